/**
 * Helpers for the MCP tests: an in-process server and client over the SDK's linked in-memory
 * transport, and a deployed-stack double built from the real synthesized template of the example.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerOptions } from '../../tools/mcp/server.js';
import { createMcpServer } from '../../tools/mcp/server.js';

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
