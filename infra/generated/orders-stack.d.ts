import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
export interface OrdersStackProps extends StackProps {
    /** The project root, against which function entries resolve. */
    readonly projectRoot: string;
}
/** The orders service (specs/orders.yaml): Order intake and fulfilment. */
export declare class OrdersStack extends Stack {
    constructor(scope: Construct, id: string, props: OrdersStackProps);
}
