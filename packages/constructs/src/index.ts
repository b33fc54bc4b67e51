/**
 * Hand-written L3 constructs that carry the Lambda best practices as defaults. The generated stacks
 * (infra/generated/) use them declaratively; see docs/best-practices.md for the practice IDs.
 */
export * from './data.js';
export * from './database.js';
export * from './file-system.js';
export * from './function.js';
export * from './http.js';
export * from './messaging.js';
export * from './network.js';
export { NagRule } from './nag.js';
