/**
 * The MCP server as an IDE starts it: the command, args and env of .kiro/settings/mcp.json (the
 * registration this repository ships), spoken to by the SDK's own client over stdio. It runs in a
 * project of the test's own, the orders fixture generated into a temporary folder, so that what it
 * reports does not depend on the service at the repository's root. No AWS credentials anywhere in
 * its environment, so the aws target must answer with a clear error and keep serving.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureProject, REPO_ROOT } from '@kiro-serverless/fixtures';
import { generate } from '@kiro-serverless/generate';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface McpJson {
  mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string>; disabled?: boolean; autoApprove?: string[] }>;
}

const config = JSON.parse(readFileSync(path.join(REPO_ROOT, '.kiro/settings/mcp.json'), 'utf8')) as McpJson;
const entry = config.mcpServers['kiro-serverless-starter'];

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('.kiro/settings/mcp.json', () => {
  it('registers the server with node and explicit args (no npx, which fails when the IDE lacks the shell PATH)', () => {
    expect(entry).toBeDefined();
    expect(entry?.command).toBe('node');
    expect(entry?.args).toEqual(['--import', 'tsx', 'packages/mcp/src/server.ts']);
    expect(entry?.disabled).toBe(false);
    expect(JSON.stringify(config)).not.toMatch(/npx|AKIA|SECRET_ACCESS_KEY/);
  });
});

describe('the MCP server over stdio, started as mcp.json says, without AWS credentials', () => {
  let client: Client;
  let home: string;
  /** The orders fixture project, generated: the server's working folder, as the project's root is in an IDE. */
  let project = '';
  let stderr = '';

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'mcp-home-'));
    project = await fixtureProject('orders', 'mcp-stdio');
    const lines: string[] = [];
    expect(await generate({ root: project, mode: 'write' }, (l) => lines.push(l)), lines.join('\n')).toBe(0);
    // Only what an IDE would pass: PATH, a HOME without ~/.aws, a region; no AWS_* credentials.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '', HOME: home, AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true', ...entry?.env,
    };
    // mcp.json names the server relative to this repository; the fixture project has no copy of the
    // kit, so that one argument is made absolute (tsx resolves through the project's linked node_modules).
    const args = (entry?.args ?? []).map((arg) => (arg.endsWith('.ts') ? path.join(REPO_ROOT, arg) : arg));
    const transport = new StdioClientTransport({ command: entry?.command ?? 'node', args, cwd: project, env, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    rmSync(home, { recursive: true, force: true });
    if (project !== '') await rm(project, { recursive: true, force: true });
  });

  it('lists the five read-only tools, each with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['check_specs', 'get_deployment_status', 'get_generation_status', 'get_recent_failures', 'list_services']);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.inputSchema.type, tool.name).toBe('object');
    }
    const status = tools.find((t) => t.name === 'get_deployment_status');
    expect(status?.inputSchema.required).toEqual(['target']);
  });

  it('list_services names the orders service with its functions and triggers', async () => {
    const r = await client.callTool({ name: 'list_services', arguments: {} }) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const { services } = r.structuredContent as { services: { service: string; sourceFile: string; functions: Record<string, { trigger: { type: string } }>; stacks: { stackName: string } }[] };
    const orders = services.find((s) => s.service === 'orders');
    expect(orders?.sourceFile).toBe('specs/orders.yaml');
    expect(orders?.stacks.stackName).toBe('dev-orders');
    expect(Object.fromEntries(Object.entries(orders?.functions ?? {}).map(([id, f]) => [id, f.trigger.type]))).toEqual({
      createOrder: 'http', publishOrderEvents: 'dynamodbStream', fulfilOrder: 'sqs', notifyCustomer: 'sns',
    });
    expect(text(r)).toContain('orders (specs/orders.yaml)');
  });

  it('get_deployment_status for aws answers without credentials with what is wrong and what to do, then keeps serving', async () => {
    const r = await client.callTool({ name: 'get_deployment_status', arguments: { target: 'aws' } }) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^\[NO_CREDENTIALS\] No AWS credentials were found for stack dev-orders/);
    expect(text(r)).toContain('AWS_PROFILE');
    expect(text(r)).toContain('.kiro/settings/mcp.json');
    expect(text(r)).not.toMatch(/\n\s+at /); // no stack trace
    const again = await client.callTool({ name: 'check_specs', arguments: {} }) as CallToolResult;
    expect(again.isError).toBeFalsy();
  });

  it('get_recent_failures for aws fails the same clear way', async () => {
    const r = await client.callTool({ name: 'get_recent_failures', arguments: { target: 'aws', service: 'orders' } }) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^\[NO_CREDENTIALS\]/);
  });

  it('an unknown service is an error that lists the known ones', async () => {
    const r = await client.callTool({ name: 'get_deployment_status', arguments: { target: 'local', service: 'billing' } }) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('There is no service `billing` in specs/ (services: orders)');
  });

  it('check_specs returns the validator findings as data', async () => {
    const r = await client.callTool({ name: 'check_specs', arguments: {} }) as CallToolResult;
    expect(r.structuredContent).toMatchObject({ ok: true, errors: 0, specs: [{ file: 'specs/orders.yaml', service: 'orders', valid: true }] });
  });

  it('get_generation_status says the generated files are current', async () => {
    const r = await client.callTool({ name: 'get_generation_status', arguments: {} }) as CallToolResult;
    expect(r.structuredContent).toMatchObject({ upToDate: true, specs: 1, pending: [] });
  });

  it('get_deployment_status and get_recent_failures for local say whether the local cloud is up', async () => {
    const status = await client.callTool({ name: 'get_deployment_status', arguments: { target: 'local', service: 'orders' } }) as CallToolResult;
    expect(status.isError).toBeFalsy();
    const local = (status.structuredContent as { local: { running: boolean; message: string } }).local;
    // Nothing runs `npm run dev` in the test's own project: the answer says so and how to start it.
    expect(local).toMatchObject({ running: false, message: expect.stringMatching(/npm run dev/) });
    const failures = await client.callTool({ name: 'get_recent_failures', arguments: { target: 'local', service: 'orders' } }) as CallToolResult;
    expect(failures.isError).toBeFalsy();
    expect(failures.structuredContent).toMatchObject({ target: 'local', service: 'orders' });
  });

  it('serves the specs and the practice catalog as resources, and the implement-feature prompt', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(['spec://orders', 'docs://best-practices.md']));
    const spec = await client.readResource({ uri: 'spec://orders' });
    const first = spec.contents[0];
    expect(first && 'text' in first ? first.text : '').toContain('service: orders');
    const prompt = await client.getPrompt({ name: 'implement-feature', arguments: { feature: 'order cancellation', service: 'orders' } });
    const body = prompt.messages[0]?.content;
    expect(body?.type === 'text' ? body.text : '').toMatch(/spec:check[\s\S]*generate[\s\S]*npm test[\s\S]*synth/);
  });

  it('logs only to stderr (stdout carries the protocol), naming the project it serves', () => {
    expect(stderr).toContain(`MCP server ready (project ${project})`);
  });
});
