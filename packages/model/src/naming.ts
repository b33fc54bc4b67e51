/**
 * How deployed things are named: the stack of a service and the construct ID of each spec element.
 * The generated stacks and the MCP server (which finds a function's resources in a deployed stack)
 * both use these, so they cannot drift apart. No aws-cdk-lib import: the MCP server loads this.
 *
 * @module
 */

/** `STAGE` from the environment, else `dev`: the prefix of every stack name. */
export function defaultStage(env: NodeJS.ProcessEnv = process.env): string {
  return env.STAGE?.trim() || 'dev';
}

/** A service's stack name: `<stage>-<service>`. */
export function stackName(stage: string, service: string): string {
  return `${stage}-${service}`;
}

/** The kinds of spec element that become one construct each in a service's stack. */
export type ConstructKind = 'Function' | 'Table' | 'Queue' | 'Topic' | 'Bucket' | 'Database' | 'FileSystem';

/**
 * The construct ID of a spec element in its service's stack: `createOrder` -> `CreateOrderFunction`,
 * `fulfilment` -> `FulfilmentQueue`. Its resources sit under `<stack>/<constructId>/` in the
 * `aws:cdk:path` metadata of the template.
 */
export function constructId(kind: ConstructKind, id: string): string {
  return `${id.charAt(0).toUpperCase()}${id.slice(1)}${kind}`;
}
