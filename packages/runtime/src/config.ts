import * as z from 'zod';
import type { ConfigProblem } from './errors.js';
import { ConfigError } from './errors.js';

/** The environment variables to read: `process.env` or, in tests, a plain object. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** What {@link loadConfig} returns for a shape: the parsed (output) types of its schemas, read-only. */
export type ConfigOf<TShape extends z.ZodRawShape> = Readonly<z.output<z.ZodObject<TShape>>>;

function isSchema(value: unknown): value is z.core.$ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** The description given with `.describe()`/`.meta()`, looking through optional/default/pipe wrappers. */
function describe(schema: z.core.$ZodType | undefined): string | undefined {
  let current: z.core.$ZodType | undefined = schema;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    const description = z.globalRegistry.get(current)?.description;
    if (description !== undefined) return description;
    const def = current._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    current = def.innerType ?? def.in;
  }
  return undefined;
}

function toProblems(
  issues: readonly z.core.$ZodIssue[],
  env: EnvSource,
  shape: z.ZodRawShape | undefined,
): ConfigProblem[] {
  const byVariable = new Map<string, { kind: ConfigProblem['kind']; reasons: string[] }>();
  for (const issue of issues) {
    const head = issue.path[0];
    const variable = typeof head === 'string' ? head : head === undefined ? '' : String(head);
    const kind = variable !== '' && env[variable] === undefined ? 'missing' : 'malformed';
    const entry = byVariable.get(variable) ?? { kind, reasons: [] };
    if (!entry.reasons.includes(issue.message)) entry.reasons.push(issue.message);
    byVariable.set(variable, entry);
  }
  return [...byVariable].map(([variable, { kind, reasons }]): ConfigProblem => {
    const description = variable === '' ? undefined : describe(shape?.[variable]);
    return {
      variable,
      kind,
      ...(description === undefined ? {} : { description }),
      ...(kind === 'malformed' ? { reason: reasons.join('; ') } : {}),
    };
  });
}

/**
 * Reads and validates a function's configuration from its environment variables, once, at INIT:
 *
 * ```ts
 * const config = loadConfig({ TABLE_ORDERS: envString('the name of table orders') });
 * ```
 *
 * Variables not in the shape are ignored; the result is frozen. The variables are set by the
 * generated infrastructure (infra/) on AWS and by the local cloud on a developer's machine, so a
 * failure is a deployment problem, reported all at once.
 *
 * @param shape - A zod object shape (variable name to schema), or a whole zod schema of the environment.
 * @param env - Where to read the variables from. @default process.env
 * @returns The parsed values, typed by the schemas' outputs (e.g. numbers from {@link envPositiveInt}).
 * @throws {ConfigError} naming every missing or malformed variable (values are never echoed).
 */
export function loadConfig<const TShape extends z.ZodRawShape>(shape: TShape, env?: EnvSource): ConfigOf<TShape>;
export function loadConfig<TSchema extends z.ZodType<object>>(schema: TSchema, env?: EnvSource): Readonly<z.output<TSchema>>;
export function loadConfig(shapeOrSchema: z.ZodRawShape | z.ZodType<object>, env: EnvSource = process.env): object {
  const schema = isSchema(shapeOrSchema) ? shapeOrSchema : z.object(shapeOrSchema);
  const shape = schema instanceof z.ZodObject ? (schema.shape as z.ZodRawShape) : undefined;
  const result = z.safeParse(schema, env);
  if (!result.success) {
    throw new ConfigError(toProblems(result.error.issues, env, shape), { cause: result.error });
  }
  return Object.freeze(result.data as object);
}

/**
 * A required, non-empty string variable (a table name, a bucket name).
 *
 * @param description - What the variable holds, quoted by {@link ConfigError}, e.g. `the name of table orders`.
 */
export function envString(description?: string): z.ZodString {
  const schema = z.string().min(1, { error: 'must not be empty' });
  return description === undefined ? schema : schema.describe(description);
}

/**
 * A required string variable that may be empty (a setting the spec gives, such as `LOG_LEVEL`).
 *
 * @param description - What the variable holds, quoted by {@link ConfigError}.
 */
export function envValue(description?: string): z.ZodString {
  const schema = z.string();
  return description === undefined ? schema : schema.describe(description);
}

/** `arn:partition:service:region:account:resource`; region and account may be empty (S3, IAM). */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;

/**
 * A required ARN variable (a topic, a state machine, a role).
 *
 * @param description - What the variable holds, quoted by {@link ConfigError}.
 */
export function envArn(description?: string): z.ZodString {
  const schema = z.string().regex(ARN, { error: 'expected an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)' });
  return description === undefined ? schema : schema.describe(description);
}

/**
 * A required http(s) URL variable (a queue URL, an API endpoint); `http:` is allowed for the local cloud.
 *
 * @param description - What the variable holds, quoted by {@link ConfigError}.
 */
export function envUrl(description?: string): z.ZodURL {
  const schema = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
  return description === undefined ? schema : schema.describe(description);
}

/**
 * A required positive whole number written in decimal (`"25"`), parsed to a `number`; signs,
 * exponents, decimals and whitespace are rejected rather than coerced.
 *
 * @param description - What the variable holds, quoted by {@link ConfigError}.
 */
export function envPositiveInt(description?: string): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> {
  const schema = z
    .string()
    .regex(/^[1-9]\d*$/, { error: 'expected a positive whole number, e.g. 25' })
    .refine((value) => Number.isSafeInteger(Number(value)), { error: 'too large' })
    .transform(Number);
  return description === undefined ? schema : schema.describe(description);
}
