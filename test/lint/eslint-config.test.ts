/**
 * End to end: the repository's own eslint.config.js, through ESLint's API, on files it has never
 * seen. The syntactic Lambda rules are checked on text (lintText with a filePath, nothing written
 * to disk); the typed parser options are switched off for that text only, because the project
 * service would otherwise load the whole repository's program (~30 s) for a file that is not on
 * disk. Where the typed rules apply is checked on the computed configuration instead.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPED_RULES = ['lambda/no-floating-promises', 'lambda/no-misused-promises', '@typescript-eslint/await-thenable'];
const LAMBDA_RULES = ['lambda/no-client-in-handler', 'lambda/no-module-state-write', 'lambda/no-aws-sdk-v2', 'lambda/no-hardcoded-resource'];

let eslint: ESLint;
let untyped: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
  untyped = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: Object.fromEntries(TYPED_RULES.map((r) => [r, 'off'])),
    },
  });
});

const severity = (entry: unknown) => (Array.isArray(entry) ? entry[0] : entry);

async function lint(code: string, filePath: string) {
  const [result] = await untyped.lintText(code, { filePath });
  const fatal = result?.messages.filter((m) => m.fatal) ?? [];
  expect(fatal, 'the file parses').toEqual([]);
  return result?.messages ?? [];
}

describe('eslint.config.js on an unseen handler file', () => {
  const imports = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\n`;

  it('flags new DynamoDBClient() inside an exported handler with LBP-INIT-CLIENTS', async () => {
    const messages = await lint(`${imports}export const handler = async () => {\n  const client = new DynamoDBClient({});\n  return client;\n};\n`, 'src/handlers/zz-unseen/x.ts');
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([['lambda/no-client-in-handler', 3]]);
    expect(messages[0]?.message).toMatch(/^LBP-INIT-CLIENTS: `new DynamoDBClient\(\)` runs on every invocation of `handler`/);
  });

  it('does not flag the same client at module scope', async () => {
    const messages = await lint(`${imports}const client = new DynamoDBClient({});\nexport const handler = async () => client;\n`, 'src/handlers/zz-unseen/x.ts');
    expect(messages).toEqual([]);
  });

  it('treats every export of a handler file as per-invocation business logic', async () => {
    const messages = await lint(`${imports}const seen: string[] = [];\nexport async function fulfil(id: string) {\n  seen.push(id);\n  return new DynamoDBClient({});\n}\n`, 'src/handlers/zz-unseen/x.ts');
    expect(messages.map((m) => m.message.slice(0, m.message.indexOf(':')))).toEqual(['LBP-STATE-EXTERNAL', 'LBP-INIT-CLIENTS']);
  });

  it('flags aws-sdk v2 and hard-coded resources in the runtime package, but not hard-coded names in src/generated', async () => {
    const code = `import AWS from 'aws-sdk';\nexport const input = { TableName: 'orders', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t' };\nexport { AWS };\n`;
    const runtime = await lint(code, 'packages/runtime/src/zz-unseen.ts');
    expect(runtime.map((m) => m.ruleId)).toEqual(['lambda/no-aws-sdk-v2', 'lambda/no-hardcoded-resource', 'lambda/no-hardcoded-resource']);
    const generated = await lint(code, 'src/generated/zz-unseen/x.ts');
    expect(generated.map((m) => m.ruleId)).toEqual(['lambda/no-aws-sdk-v2']);
  });

  it('LBP-PACKAGE-SMALL: flags `import { z } from \'zod\'` in src/ (all of zod in the bundle), not the namespace import', async () => {
    const named = await lint(`import { z } from 'zod';\nexport const Body = z.object({});\n`, 'src/handlers/zz-unseen/x.ts');
    expect(named.map((m) => m.ruleId)).toEqual(['no-restricted-syntax']);
    expect(named[0]?.message).toMatch(/^LBP-PACKAGE-SMALL: `import \{ z \} from 'zod'` bundles all of zod/);
    expect(await lint(`import * as z from 'zod';\nexport const Body = z.object({});\n`, 'src/handlers/zz-unseen/x.ts')).toEqual([]);
  });

  it('does not apply the Lambda rules to the kit\'s tools (packages other than the runtime)', async () => {
    const messages = await lint(`${imports}export const handler = async () => new DynamoDBClient({ endpoint: 'arn:aws:sns:x:1:t' });\n`, 'packages/local-cloud/src/zz-unseen.ts');
    expect(messages).toEqual([]);
  });
});

describe('eslint.config.js: where the rules apply', () => {
  it('turns the typed LBP-AWAIT-ALL rules on for src/ and every package\'s src/, in place of the plain typescript-eslint ones', async () => {
    for (const file of ['src/handlers/zz/x.ts', 'packages/runtime/src/zz.ts', 'packages/local-cloud/src/zz.ts', 'packages/eslint-plugin/src/zz.ts']) {
      const { rules } = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown> };
      for (const rule of TYPED_RULES) expect(severity(rules[rule]), `${rule} on ${file}`).toBe(2);
      expect(severity(rules['@typescript-eslint/no-floating-promises'] ?? 0), file).toBe(0);
      expect(severity(rules['@typescript-eslint/no-misused-promises'] ?? 0), file).toBe(0);
    }
  });

  it('turns the Lambda rules on for src/ and the runtime package only', async () => {
    const inSrc = ((await eslint.calculateConfigForFile('src/handlers/zz/x.ts')) as { rules: Record<string, unknown> }).rules;
    for (const rule of LAMBDA_RULES) expect(severity(inSrc[rule]), rule).toBe(2);
    const inRuntime = ((await eslint.calculateConfigForFile('packages/runtime/src/zz.ts')) as { rules: Record<string, unknown> }).rules;
    for (const rule of LAMBDA_RULES) expect(severity(inRuntime[rule]), rule).toBe(2);
    const inTools = ((await eslint.calculateConfigForFile('packages/local-cloud/src/zz.ts')) as { rules: Record<string, unknown> }).rules;
    for (const rule of LAMBDA_RULES) expect(severity(inTools[rule] ?? 0), rule).toBe(0);
  });
});
