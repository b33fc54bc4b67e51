import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSpecFiles, listSpecFiles, loadServiceModels } from '../src/check.js';
import { SpecReadError, SpecValidationError } from '../src/errors.js';
import { edit, ORDERS, positionOf } from '@kiro-serverless/fixtures';

describe('checking spec files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'spec-check-'));
    await mkdir(path.join(root, 'specs', 'schema'), { recursive: true });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => writeFile(path.join(root, 'specs', name), text);

  it('lists specs/*.yaml and *.yml in order, and nothing below specs/', async () => {
    // Arrange
    await write('orders.yaml', ORDERS);
    await write('billing.yml', ORDERS);
    await write('notes.txt', 'not a spec');
    await writeFile(path.join(root, 'specs', 'schema', 'x.yaml'), 'service: x');
    // Act / Assert
    expect(await listSpecFiles(root)).toEqual(['specs/billing.yml', 'specs/orders.yaml']);
  });

  it('finds no spec in a project without specs/', async () => {
    await rm(path.join(root, 'specs'), { recursive: true });
    expect(await listSpecFiles(root)).toEqual([]);
  });

  it('reports SPEC-SERVICE-DUPLICATE on the second spec that declares a service', async () => {
    // Arrange: same service, the second file named after it would clash, so name both after it and put one in a subfolder
    const other = edit(ORDERS, [['\nservice: orders', '\nservice: orders\n']]);
    await mkdir(path.join(root, 'more', 'specs'), { recursive: true });
    await writeFile(path.join(root, 'more', 'specs', 'orders.yaml'), other);
    await write('orders.yaml', ORDERS);
    // Act
    const results = await checkSpecFiles(['specs/orders.yaml', 'more/specs/orders.yaml'], root);
    // Assert
    expect(results[0]?.findings).toEqual([]);
    expect(results[0]?.model).toBeDefined();
    const dup = results[1]?.findings.filter((f) => f.rule === 'SPEC-SERVICE-DUPLICATE');
    expect(dup).toEqual([expect.objectContaining({ file: 'more/specs/orders.yaml', ...positionOf(other, 'orders\n\n'), severity: 'error' })]);
    expect(dup?.[0]?.message).toContain('specs/orders.yaml');
    expect(results[1]?.model).toBeUndefined();
  });

  it('loads the models of valid specs', async () => {
    // Arrange
    await write('orders.yaml', ORDERS);
    // Act
    const models = await loadServiceModels(root);
    // Assert
    expect(models.map((m) => [m.service, m.sourceFile])).toEqual([['orders', 'specs/orders.yaml']]);
  });

  it('refuses to load models when any spec has an error, listing every error', async () => {
    // Arrange
    await write('orders.yaml', edit(ORDERS, [['        onFailure: orderStreamFailures\n', ''], ['maxRetries: 3', 'maxRetries: -1']]));
    // Act
    const failure = await loadServiceModels(root).catch((e: unknown) => e);
    // Assert
    expect(failure).toBeInstanceOf(SpecValidationError);
    const error = failure as SpecValidationError;
    // The queue that onFailure named is now an ordinary queue without a DLQ: reported too.
    expect(error.findings.map((f) => f.rule).sort()).toEqual(['LBP-ERR-SQS-DLQ', 'LBP-ERR-STREAM-ONFAILURE', 'LBP-ERR-STREAM-RETRIES']);
    expect(error.message).toMatch(/^3 error\(s\) in the specs/);
    expect(error.message).toMatch(/specs\/orders\.yaml:\d+:\d+ error LBP-ERR-STREAM-ONFAILURE /);
  });

  it('names the file it cannot read', async () => {
    const failure = await checkSpecFiles(['specs/missing.yaml'], root).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SpecReadError);
    expect((failure as SpecReadError).message).toContain('specs/missing.yaml');
  });
});
