import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { envArn, envPositiveInt, envString, envUrl, loadConfig } from '../src/config.js';
import { ConfigError, RuntimeError } from '../src/errors.js';

const SOURCE = 'set by the generated infrastructure in infra/, or by the local cloud';

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  const shape = {
    TABLE_ORDERS: envString('the name of table orders'),
    TOPIC_ORDER_EVENTS: envArn('the ARN of topic orderEvents'),
    QUEUE_FULFILMENT: envUrl('the URL of queue fulfilment'),
    BATCH_SIZE: envPositiveInt('the batch size'),
  };
  const good = {
    TABLE_ORDERS: 'orders-table',
    TOPIC_ORDER_EVENTS: 'arn:aws:sns:eu-west-1:123456789012:order-events',
    QUEUE_FULFILMENT: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fulfilment',
    BATCH_SIZE: '25',
    UNRELATED: 'ignored',
  };

  it('returns the typed, parsed values of the shape and nothing else, frozen', () => {
    const config = loadConfig(shape, good);
    expect(config).toEqual({
      TABLE_ORDERS: 'orders-table',
      TOPIC_ORDER_EVENTS: 'arn:aws:sns:eu-west-1:123456789012:order-events',
      QUEUE_FULFILMENT: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fulfilment',
      BATCH_SIZE: 25,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expectTypeOf(config).toEqualTypeOf<
      Readonly<{ TABLE_ORDERS: string; TOPIC_ORDER_EVENTS: string; QUEUE_FULFILMENT: string; BATCH_SIZE: number }>
    >();
  });

  it('reads process.env by default', () => {
    process.env.RUNTIME_CONFIG_TEST_VARIABLE = 'from process.env';
    try {
      expect(loadConfig({ RUNTIME_CONFIG_TEST_VARIABLE: z.string() })).toEqual({ RUNTIME_CONFIG_TEST_VARIABLE: 'from process.env' });
    } finally {
      delete process.env.RUNTIME_CONFIG_TEST_VARIABLE;
    }
  });

  it('accepts a whole schema, optional variables and defaults', () => {
    const schema = z.object({ TABLE: z.string(), LOG_SAMPLE: z.string().optional(), STAGE: z.string().default('dev') });
    const config = loadConfig(schema, { TABLE: 't' });
    expect(config).toEqual({ TABLE: 't', STAGE: 'dev' });
    expectTypeOf(config).toEqualTypeOf<Readonly<{ TABLE: string; LOG_SAMPLE?: string | undefined; STAGE: string }>>();
  });

  it('names a missing variable, its description and where it comes from', () => {
    const error = errorOf(() => loadConfig({ TABLE_ORDERS: envString('the name of table orders') }, {}));
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(`Missing environment variable TABLE_ORDERS (the name of table orders; ${SOURCE})`);
    expect(error.problems).toEqual([{ variable: 'TABLE_ORDERS', kind: 'missing', description: 'the name of table orders' }]);
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it('names every missing and malformed variable at once, without echoing values', () => {
    const error = errorOf(() =>
      loadConfig(shape, {
        TOPIC_ORDER_EVENTS: 'not-an-arn-secret',
        QUEUE_FULFILMENT: 'ftp://example.com/q',
        BATCH_SIZE: '0',
      }),
    );
    expect(error.problems.map((p) => [p.variable, p.kind])).toEqual([
      ['TABLE_ORDERS', 'missing'],
      ['TOPIC_ORDER_EVENTS', 'malformed'],
      ['QUEUE_FULFILMENT', 'malformed'],
      ['BATCH_SIZE', 'malformed'],
    ]);
    expect(error.message).toBe(
      [
        '4 environment variables are missing or malformed:',
        `  - Missing environment variable TABLE_ORDERS (the name of table orders; ${SOURCE})`,
        `  - Malformed environment variable TOPIC_ORDER_EVENTS (the ARN of topic orderEvents; ${SOURCE}): expected an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)`,
        `  - Malformed environment variable QUEUE_FULFILMENT (the URL of queue fulfilment; ${SOURCE}): expected an http(s) URL`,
        `  - Malformed environment variable BATCH_SIZE (the batch size; ${SOURCE}): expected a positive whole number, e.g. 25`,
      ].join('\n'),
    );
    expect(error.message).not.toContain('secret');
  });

  it('describes variables without a description by their origin only, and uses zod messages for plain schemas', () => {
    const error = errorOf(() => loadConfig({ A: z.string(), B: z.enum(['x', 'y']) }, { B: 'z' }));
    expect(error.message).toContain(`Missing environment variable A (${SOURCE})`);
    expect(error.message).toContain(`Malformed environment variable B (${SOURCE}): Invalid option: expected one of "x"|"y"`);
  });

  it('finds descriptions through optional, default and pipe wrappers', () => {
    const error = errorOf(() =>
      loadConfig({ LIMIT: envPositiveInt('the limit').optional(), NAME: z.string().min(3).describe('the name').default('abc') }, { LIMIT: '-1', NAME: 'ab' }),
    );
    expect(error.problems.map((p) => p.description)).toEqual(['the limit', 'the name']);
  });

  it('reports schema-level refinements without a variable name', () => {
    const schema = z
      .object({ MIN: envPositiveInt(), MAX: envPositiveInt() })
      .refine((c) => c.MIN <= c.MAX, { error: 'MIN must not exceed MAX' });
    const error = errorOf(() => loadConfig(schema, { MIN: '5', MAX: '2' }));
    expect(error.message).toBe(`Invalid configuration (${SOURCE}): MIN must not exceed MAX`);
  });
});

describe('variable helpers', () => {
  const accepts = (schema: z.ZodType, value: string): boolean => schema.safeParse(value).success;

  it('envString rejects the empty string', () => {
    expect(accepts(envString(), 'orders')).toBe(true);
    expect(envString().safeParse('').error?.issues[0]?.message).toBe('must not be empty');
  });

  it('envArn accepts ARNs of every partition, with or without region and account', () => {
    for (const arn of [
      'arn:aws:sns:eu-west-1:123456789012:orders',
      'arn:aws:s3:::catalog-bucket',
      'arn:aws:iam::123456789012:role/service-role/x',
      'arn:aws-cn:sqs:cn-north-1:123456789012:q',
      'arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000',
      'arn:aws:lambda:eu-west-1:000000000000:function:local',
    ]) {
      expect(accepts(envArn(), arn), arn).toBe(true);
    }
    for (const bad of ['', 'orders', 'arn:aws:sns', 'arn:aws:sns:eu-west-1:12345:orders', 'arn:gcp:sns:eu-west-1:123456789012:x', 'arn:aws:sns:eu-west-1:123456789012:']) {
      expect(accepts(envArn(), bad), bad).toBe(false);
    }
  });

  it('envUrl accepts http and https URLs only', () => {
    expect(accepts(envUrl(), 'https://sqs.eu-west-1.amazonaws.com/123456789012/q')).toBe(true);
    expect(accepts(envUrl(), 'http://127.0.0.1:4566/000000000000/q')).toBe(true);
    for (const bad of ['', 'sqs.amazonaws.com/q', 'ftp://example.com', 'file:///etc/passwd']) {
      expect(accepts(envUrl(), bad), bad).toBe(false);
    }
  });

  it('envPositiveInt parses decimal whole numbers and rejects anything coercion would let through', () => {
    expect(envPositiveInt().parse('1')).toBe(1);
    expect(envPositiveInt().parse('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['', '0', '-1', '+1', '1.5', '1e3', ' 1', '01', '0x10', 'NaN', 'Infinity', '9007199254740993']) {
      expect(accepts(envPositiveInt(), bad), bad).toBe(false);
    }
  });

  it('attaches the description only when given', () => {
    expect(envString('d').description).toBe('d');
    expect(envString().description).toBeUndefined();
    expect(envPositiveInt('n').description).toBe('n');
  });
});
