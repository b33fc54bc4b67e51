/**
 * Helpers for the MCP tests: an in-process server and client over the SDK's linked in-memory
 * transport, and a deployed-stack double built from the real synthesized template of the example.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { ServiceStackClass } from '@kiro-serverless/constructs/app';
import { fixtureProject } from '@kiro-serverless/fixtures';
import { generate } from '@kiro-serverless/generate';
import { STACKS_INDEX } from '@kiro-serverless/model/layout';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerOptions } from '../src/server.js';
import { createMcpServer } from '../src/server.js';

export interface Connected {
  readonly client: Client;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** A client connected to a fresh in-process server. */
export async function connect(options: McpServerOptions): Promise<Connected> {
  const server = createMcpServer(options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return {
    client,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The orders fixture project in a temporary folder, generated: its root and its stack classes. */
export async function generatedOrders(prefix: string): Promise<{ root: string; stacks: Record<string, ServiceStackClass> }> {
  const root = await fixtureProject('orders', prefix);
  const lines: string[] = [];
  if (await generate({ root, mode: 'write' }, (line) => lines.push(line)) !== 0) throw new Error(`generate failed:\n${lines.join('\n')}`);
  const index = (await import(pathToFileURL(path.join(root, STACKS_INDEX)).href)) as { STACKS: Record<string, ServiceStackClass> };
  return { root, stacks: index.STACKS };
}

export const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

export interface CfnTemplateJson {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
}

/** A physical ID as CloudFormation would make it for a resource of the stack. */
export function physicalIdOf(stack: string, logicalId: string, type: string): string {
  const suffix = logicalId.slice(0, 20);
  switch (type) {
    case 'AWS::Lambda::Function': return `${stack}-${suffix}-AbCdEf123456`;
    case 'AWS::SQS::Queue': return `https://sqs.eu-west-1.amazonaws.com/123456789012/${stack}-${suffix}-Q1w2E3r4`;
    case 'AWS::Lambda::EventSourceMapping': return `esm-${logicalId.toLowerCase().slice(0, 24)}`;
    case 'AWS::CloudWatch::Alarm': return `${stack}-${suffix}-ALARM1`;
    case 'AWS::CodeDeploy::Application': return `${stack}-${suffix}-app`;
    case 'AWS::CodeDeploy::DeploymentGroup': return `${stack}-${suffix}-group`;
    default: return `${stack}-${logicalId}-phys`;
  }
}
