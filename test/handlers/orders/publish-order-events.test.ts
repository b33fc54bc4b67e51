import { describe, expect, it } from 'vitest';
import type { PublishOrderEventsResources } from '../../../src/generated/orders/publish-order-events.types.js';
import { publishOrderEvents } from '../../../src/handlers/orders/publish-order-events.js';
import { lambdaContext, streamRecords } from '../../support/events.js';

/** Stand-ins for the names the infrastructure sets; the business logic only passes them to the SDK. */
const resources: PublishOrderEventsResources = {
  tables: { orders: 'test-orders' },
  topics: { orderEvents: 'arn:aws:sns:eu-west-1:123456789012:orders-orderEvents' },
};
const records = streamRecords({ table: 'orders', keys: ['pk', 'sk'] });

describe('publishOrderEvents', () => {
  it('handles its input', async () => {
    await expect(publishOrderEvents(records.insert({ pk: 'key-1', sk: 'key-1' }), { resources, context: lambdaContext() })).resolves.toBeUndefined();
  });

  it.todo('fails an input it cannot handle, with the error its trigger expects');
});
