/**
 * How the MCP server describes a function's trigger (src/trigger-description.ts): a describer for every
 * trigger type of the model, the model descriptor's facts with the function's settings, and
 * list_services reporting them per function (in process, on the billing fixture in a temporary folder).
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSpec, tempDir, writeFiles } from '@kiro-serverless/fixtures';
import { checkSpecText } from '@kiro-serverless/model/check';
import { TRIGGER_KINDS } from '@kiro-serverless/model/triggers';
import { DESCRIBERS, describeTrigger } from '../src/trigger-description.js';
import type { Connected } from './support.js';
import { connect } from './support.js';

const { model } = checkSpecText(fixtureSpec('billing'), 'specs/billing.yaml');
if (!model) throw new Error('the billing fixture has errors');
const billing = model;

const HTTP_ERRORS = 'Throw an HttpError (400, 404, 409, 422) to answer the caller; any other error answers 500 and is logged.';

/** Every billing function's trigger as the server describes it. */
const EXPECTED = {
  getInvoice: { type: 'http', source: 'GET /invoices/{invoiceId}', invocation: 'sync', repeats: false, onError: HTTP_ERRORS },
  updateInvoice: { type: 'http', source: 'PUT /invoices/{invoiceId}', invocation: 'sync', repeats: false, onError: HTTP_ERRORS },
  voidInvoice: { type: 'http', source: 'DELETE /invoices/{invoiceId}', invocation: 'sync', repeats: false, onError: HTTP_ERRORS },
  projectLedger: {
    type: 'dynamodbStream', source: 'stream of table ledger', invocation: 'poll', repeats: true, onFailure: 'billingFailures',
    onError: "Throw to fail it: the shard retries from this record (up to 3 times), then sends the batch's details to billingFailures and moves on.",
  },
  applyPayment: {
    type: 'sqs', source: 'queue payments', invocation: 'poll', repeats: true,
    onError: 'Throw to fail this message alone: it returns after the visibility timeout, and goes to the dead-letter queue after maxReceiveCount.',
  },
  archiveInvoiceEvent: {
    type: 'sns', source: 'topic invoiceEvents', invocation: 'async', repeats: true, onFailure: 'billingFailures',
    onError: 'Throw to fail the invocation: Lambda retries it 2 time(s), then sends it to billingFailures.',
  },
  sendReminders: {
    type: 'schedule', source: 'schedule cron(0 8 * * ? *)', invocation: 'async', repeats: true, onFailure: 'billingFailures',
    onError: 'Throw to fail the invocation: Lambda retries it 1 time(s), then sends it to billingFailures.',
  },
  renderInvoicePdf: {
    type: 'direct', source: 'direct Event invocation', invocation: 'async', repeats: true, onFailure: 'billingFailures',
    onError: 'Throw to fail it: Lambda retries it 2 time(s), then sends it to billingFailures.',
  },
  quoteTax: {
    type: 'direct', source: 'direct RequestResponse invocation', invocation: 'sync', repeats: false,
    onError: 'Throw to answer the caller with the error; Lambda does not retry.',
  },
};

describe('describeTrigger', () => {
  it('has a describer for every trigger type of the model, direct included', () => {
    expect(Object.keys(DESCRIBERS).sort()).toEqual([...TRIGGER_KINDS].sort());
  });

  it.each(Object.entries(EXPECTED))('%s: where its events come from, how they are delivered, what a throw does', (id, expected) => {
    expect(describeTrigger(billing.functions[id]!.trigger)).toEqual(expected);
  });
});

describe('list_services', () => {
  let root: string;
  let server: Connected;

  beforeAll(async () => {
    root = await tempDir('mcp-triggers');
    await writeFiles(root, { 'specs/billing.yaml': fixtureSpec('billing') });
    server = await connect({ root });
  });

  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('reports each function\'s trigger, as data and in its text', async () => {
    // Act
    const r = await server.call('list_services', {});

    // Assert
    expect(r.isError).toBeFalsy();
    const { services } = r.structuredContent as { services: { service: string; triggers: Record<string, unknown> }[] };
    expect(services.map((s) => s.service)).toEqual(['billing']);
    expect(services[0]!.triggers).toEqual(EXPECTED);
    const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    expect(text).toContain('getInvoice [http: GET /invoices/{invoiceId}]');
    expect(text).toContain('applyPayment [sqs: queue payments]');
    expect(text).toContain('quoteTax [direct: direct RequestResponse invocation]');
  });
});
