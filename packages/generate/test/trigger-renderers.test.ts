/**
 * The generator's per-trigger table (src/render/triggers/): one renderer for every trigger type of the
 * model, and the doc line each writes says what the model's descriptor says a throw does.
 */
import { describe, expect, it } from 'vitest';
import type { TriggerModel } from '@kiro-serverless/model/model';
import { TRIGGER_KINDS, whatErrorDoes } from '@kiro-serverless/model/triggers';
import { rendererOf, TRIGGER_RENDERERS } from '../src/render/triggers/trigger-renderers.js';
import { billingModel } from './helpers/project.js';

const billing = billingModel();
const trigger = (id: string): TriggerModel => {
  const fn = billing.functions[id];
  if (!fn) throw new Error(`no function ${id} in billing`);
  return fn.trigger;
};

describe('TRIGGER_RENDERERS', () => {
  it('has a renderer for every trigger type of the model, direct included', () => {
    expect(Object.keys(TRIGGER_RENDERERS).sort()).toEqual([...TRIGGER_KINDS].sort());
  });

  it('picks the renderer of the trigger\'s type', () => {
    for (const fn of Object.values(billing.functions)) expect(rendererOf(fn.trigger)).toBe(TRIGGER_RENDERERS[fn.trigger.type]);
  });

  it.each([
    ['getInvoice', 'GET /invoices/{invoiceId} (API Gateway HTTP API). '],
    ['projectLedger', 'One change record from the stream of table ledger. '],
    ['applyPayment', 'One message of queue payments. '],
    ['archiveInvoiceEvent', 'One message of topic invoiceEvents. '],
    ['sendReminders', 'The schedule cron(0 8 * * ? *) (EventBridge). '],
    ['renderInvoicePdf', 'A direct, asynchronous invocation (Lambda Invoke, Event). '],
  ])('%s: the doc line says where the input comes from, then what the descriptor says a throw does', (id, source) => {
    const t = trigger(id);
    expect(rendererOf(t).describe(t)).toBe(`${source}${whatErrorDoes(t)}`);
  });

  it('a direct synchronous function: the caller gets the result or the error', () => {
    const t = trigger('quoteTax');
    expect(rendererOf(t).describe(t)).toBe('A direct, synchronous invocation (Lambda Invoke, RequestResponse): the caller gets the result or the error.');
  });

  it('only the http renderer needs the HTTP API and names its handler type a Route', () => {
    const routes = TRIGGER_KINDS.filter((kind) => TRIGGER_RENDERERS[kind].needsHttpApi);
    const suffixes = Object.fromEntries(TRIGGER_KINDS.map((kind) => [kind, TRIGGER_RENDERERS[kind].handlerSuffix]));
    expect(routes).toEqual(['http']);
    expect(suffixes).toEqual({ http: 'Route', dynamodbStream: 'Handler', sqs: 'Handler', sns: 'Handler', schedule: 'Handler', direct: 'Handler' });
  });
});
