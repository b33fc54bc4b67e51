import { describe, expect, it } from 'vitest';
import { compileFilter, FilterPatternError, matchesFilter, type FilterPattern } from '../../src/esm/filter.js';
import { streamRecords } from '@kiro-serverless/events';

const record = {
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  awsRegion: 'eu-west-1',
  dynamodb: {
    Keys: { pk: { S: 'ORDER#1' }, sk: { S: 'META' } },
    NewImage: {
      pk: { S: 'ORDER#1' },
      sk: { S: 'META' },
      status: { S: 'Paid' },
      note: { S: '' },
      gift: { NULL: true },
      tags: { SS: ['red', 'blue'] },
    },
    SizeBytes: 120,
  },
  score: 7.5,
  flag: false,
  nothing: null,
  empty: '',
  lines: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 0 }],
};

describe('compileFilter', () => {
  it.each<[string, FilterPattern, boolean]>([
    // exact values and nesting
    ['an exact string in the list', { eventName: ['MODIFY', 'INSERT'] }, true],
    ['no exact string in the list', { eventName: ['MODIFY', 'REMOVE'] }, false],
    ['nested fields, all matching', { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['META'] } } } }, true],
    ['nested fields, one not matching', { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['LINE'] } } } }, false],
    ['a nested field that is absent', { dynamodb: { OldImage: { sk: { S: ['META'] } } } }, false],
    ['a number compared as a number', { score: [7.50] }, true],
    ['a number does not equal its string', { dynamodb: { SizeBytes: ['120'] } }, false],
    ['a boolean', { flag: [false] }, true],
    ['null matches an explicit null', { nothing: [null] }, true],
    ['null does not match an absent field', { missing: [null] }, false],
    ['null does not match the empty string', { empty: [null] }, false],
    ['the empty string matches the empty string', { empty: [''] }, true],
    ['the empty string in a nested image', { dynamodb: { NewImage: { note: { S: [''] } } } }, true],
    ['the empty string does not match an absent field', { missing: [''] }, false],
    ['a value in an event array', { dynamodb: { NewImage: { tags: { SS: ['blue'] } } } }, true],
    ['no value in an event array', { dynamodb: { NewImage: { tags: { SS: ['green'] } } } }, false],
    ['an object in an event array', { lines: { sku: ['B-2'], qty: [0] } }, true],
    ['fields spread over two objects of an array do not match', { lines: { sku: ['A-1'], qty: [0] } }, false],
    ['an exact value does not match an object', { dynamodb: ['x'] }, false],
    // prefix, suffix, equals-ignore-case
    ['prefix', { dynamodb: { Keys: { pk: { S: [{ prefix: 'ORDER#' }] } } } }, true],
    ['prefix not matching', { dynamodb: { Keys: { pk: { S: [{ prefix: 'order#' }] } } } }, false],
    ['prefix ignoring case', { dynamodb: { Keys: { pk: { S: [{ prefix: { 'equals-ignore-case': 'order#' } }] } } } }, true],
    ['prefix on a number', { score: [{ prefix: '7' }] }, false],
    ['suffix', { dynamodb: { Keys: { pk: { S: [{ suffix: '#1' }] } } } }, true],
    ['suffix not matching', { dynamodb: { Keys: { pk: { S: [{ suffix: '#2' }] } } } }, false],
    ['suffix ignoring case', { eventSource: [{ suffix: { 'equals-ignore-case': 'DYNAMODB' } }] }, true],
    ['equals-ignore-case', { dynamodb: { NewImage: { status: { S: [{ 'equals-ignore-case': 'PAID' }] } } } }, true],
    ['equals-ignore-case not matching', { dynamodb: { NewImage: { status: { S: [{ 'equals-ignore-case': 'new' }] } } } }, false],
    // anything-but
    ['anything-but a value', { eventName: [{ 'anything-but': 'REMOVE' }] }, true],
    ['anything-but the value itself', { eventName: [{ 'anything-but': 'INSERT' }] }, false],
    ['anything-but a list', { eventName: [{ 'anything-but': ['MODIFY', 'INSERT'] }] }, false],
    ['anything-but a list without the value', { eventName: [{ 'anything-but': ['MODIFY', 'REMOVE'] }] }, true],
    ['anything-but a number', { score: [{ 'anything-but': 7.5 }] }, false],
    ['anything-but does not match an absent field', { missing: [{ 'anything-but': 'x' }] }, false],
    ['anything-but a prefix', { eventName: [{ 'anything-but': { prefix: 'INS' } }] }, false],
    ['anything-but a suffix', { eventName: [{ 'anything-but': { suffix: 'FY' } }] }, true],
    // numeric
    ['numeric in a range', { score: [{ numeric: ['>', 0, '<=', 7.5] }] }, true],
    ['numeric out of a range', { score: [{ numeric: ['>', 7.5] }] }, false],
    ['numeric equals', { dynamodb: { SizeBytes: [{ numeric: ['=', 120] }] } }, true],
    ['numeric >=', { dynamodb: { SizeBytes: [{ numeric: ['>=', 121] }] } }, false],
    ['numeric < on an array element', { lines: { qty: [{ numeric: ['<', 1] }] } }, true],
    ['numeric on a DynamoDB number string', { dynamodb: { NewImage: { sk: { S: [{ numeric: ['>', 0] }] } } } }, false],
    ['numeric on an absent field', { missing: [{ numeric: ['>', 0] }] }, false],
    // exists
    ['exists true on a leaf', { dynamodb: { NewImage: { status: { S: [{ exists: true }] } } } }, true],
    ['exists true on an absent field', { dynamodb: { NewImage: { total: { N: [{ exists: true }] } } } }, false],
    ['exists false on an absent field', { dynamodb: { NewImage: { total: { N: [{ exists: false }] } } } }, true],
    ['exists false on a present field', { dynamodb: { NewImage: { status: { S: [{ exists: false }] } } } }, false],
    ['exists false under an absent object', { dynamodb: { OldImage: { status: { S: [{ exists: false }] } } } }, true],
    ['exists true on an object (not a leaf)', { dynamodb: { NewImage: [{ exists: true }] } }, false],
    ['exists true on null', { nothing: [{ exists: true }] }, true],
    ['exists with another matcher', { missing: ['x', { exists: false }] }, true],
    // $or
    ['$or, first alternative', { $or: [{ eventName: ['INSERT'] }, { eventName: ['MODIFY'] }] }, true],
    ['$or, second alternative', { $or: [{ eventName: ['REMOVE'] }, { score: [{ numeric: ['>', 7] }] }] }, true],
    ['$or, no alternative', { $or: [{ eventName: ['REMOVE'] }, { score: [{ numeric: ['>', 8] }] }] }, false],
    ['$or ANDed with a sibling', { eventSource: ['aws:sqs'], $or: [{ eventName: ['INSERT'] }, { flag: [false] }] }, false],
    ['$or nested in an object', { dynamodb: { $or: [{ Keys: { pk: { S: ['x'] } } }, { SizeBytes: [120] }] } }, true],
  ])('%s', (_name, pattern, expected) => {
    // Arrange
    const matches = compileFilter(pattern);

    // Act
    const result = matches(record);

    // Assert
    expect(result).toBe(expected);
  });

  it('matches the spec example against records of the stream builder', () => {
    // Arrange: the orders spec filters INSERT and MODIFY of order items (sk ORDER)
    const pattern = { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { sk: { S: ['ORDER'] } } } };
    const orders = streamRecords({ table: 'orders', keys: ['pk', 'sk'] });
    const order = { pk: 'O#1', sk: 'ORDER', status: 'new' };
    const line = { pk: 'O#1', sk: 'LINE#1', qty: 1 };

    // Act
    const results = [
      orders.insert(order),
      orders.modify(order, { ...order, status: 'paid' }),
      orders.remove(order),
      orders.insert(line),
    ].map((r) => matchesFilter(pattern, JSON.parse(JSON.stringify(r))));

    // Assert
    expect(results).toEqual([true, true, false, false]);
  });

  it.each<[string, unknown, string]>([
    ['a leaf that is not an array', { eventName: 'INSERT' }, 'eventName: expected a list of values (e.g. ["INSERT"])'],
    ['an unknown operator', { eventName: [{ wildcard: 'IN*' }] }, "eventName: unknown operator 'wildcard'"],
    ['a malformed numeric range', { score: [{ numeric: ['>', 'a'] }] }, 'score: numeric needs pairs'],
    ['a numeric with an odd length', { score: [{ numeric: ['>'] }] }, 'score: numeric takes [op, number]'],
    ['an operator object with two keys', { a: [{ prefix: 'x', suffix: 'y' }] }, 'a: an operator object has exactly one key'],
    ['an empty list', { a: [] }, 'a: an empty list of values matches nothing'],
    ['a $or with one alternative', { $or: [{ a: ['x'] }] }, '$or: expected an array of at least two patterns'],
    ['exists with a string', { a: [{ exists: 'yes' }] }, 'a: exists takes true or false'],
  ])('rejects %s', (_name, pattern, message) => {
    // Act
    const act = () => compileFilter(pattern as FilterPattern);

    // Assert
    expect(act).toThrow(FilterPatternError);
    expect(act).toThrow(message);
  });

  it('lists every issue of a pattern at once', () => {
    // Act
    let error: unknown;
    try {
      compileFilter({ a: [{ nope: 1 }], b: { c: [{ numeric: ['>'] }] } });
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(FilterPatternError);
    expect((error as FilterPatternError).issues).toHaveLength(2);
  });
});
