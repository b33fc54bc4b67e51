import { describe, expect, it } from 'vitest';
import type { FulfilOrderResources } from '../../../src/generated/orders/fulfil-order.types.js';
import { fulfilOrder } from '../../../src/handlers/orders/fulfil-order.js';
import { lambdaContext, sqsRecord } from '../../support/events.js';

/** Stand-ins for the names the infrastructure sets; the business logic only passes them to the SDK. */
const resources: FulfilOrderResources = {
  tables: { orders: 'test-orders' },
};

describe('fulfilOrder', () => {
  it('handles its input', async () => {
    await expect(fulfilOrder(sqsRecord({ id: 'id-1' }, { queue: 'fulfilment' }), { resources, context: lambdaContext() })).resolves.toBeUndefined();
  });

  it.todo('fails an input it cannot handle, with the error its trigger expects');
});
