import { OrdersStack } from './orders-stack.js';
/** The stack class of every service, by service name (infra/app.ts builds one stack per spec). */
export declare const STACKS: {
    readonly orders: typeof OrdersStack;
};
