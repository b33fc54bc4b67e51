import { describe, expect, it } from 'vitest';
import type { NotifyCustomerResources } from '../../../src/generated/orders/notify-customer.types.js';
import { notifyCustomer } from '../../../src/handlers/orders/notify-customer.js';
import { lambdaContext, snsEvent } from '../../support/events.js';

/** Stand-ins for the names the infrastructure sets; the business logic only passes them to the SDK. */
const resources: NotifyCustomerResources = {};

describe('notifyCustomer', () => {
  it('handles its input', async () => {
    await expect(notifyCustomer(snsEvent({ id: 'id-1' }, { topic: 'orderEvents' }).Records[0]!, { resources, context: lambdaContext() })).resolves.toBeUndefined();
  });

  it.todo('fails an input it cannot handle, with the error its trigger expects');
});
