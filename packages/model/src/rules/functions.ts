/** Per-function rules: one trigger, explicit and valid configuration, environment, concurrency, idempotency. */
import {
  ENV_NAME_PATTERN, LAMBDA_LIMITS, RESERVED_ENV_NAMES, TRIGGER_TYPES,
} from '../constants.js';
import { generatedEnvNames } from '../environment.js';
import { didYouMean, listOf } from '../findings.js';
import { isRetried } from '../model.js';
import { TRIGGERS } from '../triggers.js';
import type { TriggerKind } from '../triggers.js';
import type { Rule, RuleContext } from './context.js';

export const oneTrigger: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.spec.functions ?? {})) {
    if (fn.trigger === undefined) {
      continue;
    }
    const declared = TRIGGER_TYPES.filter((t) => fn.trigger?.[t] !== undefined);
    if (declared.length === 0) {
      ctx.report({
        rule: 'SPEC-TRIGGER-ONE', path: ['functions', fnId, 'trigger'],
        message: `\`${fnId}\` has an empty \`trigger\` map.`,
        fix: `Add one of ${listOf(TRIGGER_TYPES)} under \`trigger\`, or remove \`trigger\` for a directly invoked function.`,
      });
    }
    for (const extra of declared.slice(1)) {
      ctx.report({
        rule: 'SPEC-TRIGGER-ONE', path: ['functions', fnId, 'trigger', extra],
        message: `\`${fnId}\` declares ${declared.length} triggers (${listOf(declared, 'and')}); a function has exactly one, so that its error handling fits its invocation type.`,
        fix: `Keep \`${declared[0]}\` and move \`${extra}\` to a function of its own.`,
      });
    }
  }
};

export const invocation: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.spec.functions ?? {})) {
    if (fn.trigger !== undefined && fn.invocation !== undefined) {
      ctx.report({
        rule: 'SPEC-INVOCATION', path: ['functions', fnId, 'invocation'],
        message: `\`${fnId}\` has a trigger, which decides how it is invoked; \`invocation\` is for functions with no trigger.`,
        fix: 'Remove `invocation`.',
      });
    }
    if (fn.async !== undefined && (fn.trigger !== undefined || fn.invocation === 'sync')) {
      const where = fn.trigger?.sns ? 'trigger.sns' : fn.trigger?.schedule ? 'trigger.schedule' : undefined;
      ctx.report({
        rule: 'SPEC-INVOCATION', path: ['functions', fnId, 'async'],
        message: `\`async\` configures a directly, asynchronously invoked function; \`${fnId}\` ${fn.trigger ? 'has a trigger' : 'is invoked synchronously'}.`,
        fix: where ? `Move maxRetries, maxEventAgeSeconds and onFailure under \`${where}\`.` : 'Remove `async`.',
      });
    }
  }
};

export const configLimits: Rule = (ctx) => {
  const places: [readonly string[], { memoryMb?: number | undefined; timeoutSeconds?: number | undefined } | undefined][] = [
    [['defaults', 'function'], ctx.spec.defaults?.function],
    ...Object.entries(ctx.spec.functions ?? {}).map(([id, fn]) => [['functions', id], fn] as [readonly string[], typeof fn]),
  ];
  for (const [base, settings] of places) {
    for (const key of ['memoryMb', 'timeoutSeconds'] as const) {
      const value = settings?.[key];
      const { min, max } = LAMBDA_LIMITS[key];
      if (value === undefined || (value >= min && value <= max)) continue;
      ctx.report({
        rule: 'LBP-CONFIG-EXPLICIT', path: [...base, key], target: 'value',
        message: `\`${key}\` is ${value}; Lambda accepts ${min} to ${max}.`,
        fix: key === 'memoryMb'
          ? `Choose a memory size between ${min} and ${max} MB; measure with a power-tuning run rather than guessing.`
          : `Choose a timeout between ${min} and ${max} s, a little above the slowest expected run.`,
      });
    }
  }
};

export const concurrency: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.model.functions)) {
    if (fn.provisionedConcurrency !== undefined && fn.reservedConcurrency !== undefined && fn.provisionedConcurrency > fn.reservedConcurrency) {
      ctx.report({
        rule: 'LBP-PROVISIONED-CONCURRENCY', path: ['functions', fnId, 'provisionedConcurrency'], target: 'value',
        message: `\`${fnId}\` asks for ${fn.provisionedConcurrency} provisioned environments but reserves only ${fn.reservedConcurrency}; Lambda refuses provisioned concurrency above the reserved concurrency.`,
        fix: `Lower provisionedConcurrency to at most ${fn.reservedConcurrency}, or raise reservedConcurrency.`,
      });
    }
    const t = fn.trigger;
    if (t.type === 'sqs' && t.maxConcurrency !== undefined && fn.reservedConcurrency !== undefined && t.maxConcurrency > fn.reservedConcurrency) {
      ctx.report({
        rule: 'SPEC-SQS-CONCURRENCY', severity: 'warning', path: ['functions', fnId, 'trigger', 'sqs', 'maxConcurrency'], target: 'value',
        message: `The sqs trigger of \`${fnId}\` may run ${t.maxConcurrency} invocations at once but the function reserves ${fn.reservedConcurrency}; the excess is throttled and the throttled messages count as receives towards the DLQ.`,
        fix: `Set maxConcurrency to at most ${fn.reservedConcurrency}, or raise reservedConcurrency.`,
      });
    }
  }
};

export const environment: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.spec.functions ?? {})) {
    const model = ctx.model.functions[fnId];
    const generated = model ? generatedEnvNames(ctx.model, model) : [];
    for (const [name, value] of Object.entries(fn.environment ?? {})) {
      const path = ['functions', fnId, 'environment', name];
      if (generated.includes(name)) {
        ctx.report({
          rule: 'SPEC-ENV-NAME', path,
          message: `\`${name}\` is set for \`${fnId}\` by the generated infrastructure${name.startsWith('POWERTOOLS_') ? '' : ' from its permissions'}; a value here would hide the real one.`,
          fix: `Remove \`${name}\` (the generated entry point reads it for you), or pick another name.`,
        });
      } else if (!ENV_NAME_PATTERN.test(name)) {
        ctx.report({
          rule: 'SPEC-ENV-NAME', path,
          message: `\`${name}\` is not a valid environment variable name.`,
          fix: 'Use letters, digits and underscores, not starting with a digit (e.g. `LOG_LEVEL`).',
        });
      } else if ((RESERVED_ENV_NAMES as readonly string[]).includes(name)) {
        ctx.report({
          rule: 'SPEC-ENV-NAME', path,
          message: `\`${name}\` is set by Lambda itself and cannot be configured.`,
          fix: `Remove \`${name}\`, or use a name of your own.`,
        });
      }
      if (typeof value !== 'string') {
        ctx.report({
          rule: 'LBP-CONFIG-ENV', path, target: 'value',
          message: `\`${name}\` of \`${fnId}\` is ${value === null ? 'empty' : `a ${Array.isArray(value) ? 'list' : typeof value}`}; environment variables hold strings only.`,
          fix: value !== null && typeof value === 'object'
            ? 'Store structured configuration in a bucket or table and read it once at INIT, or encode it as a string.'
            : `Quote the value: \`${name}: "${value === null ? '' : String(value)}"\`.`,
        });
      } else if (/^arn:aws[a-z-]*:/.test(value)) {
        ctx.report({
          rule: 'LBP-CONFIG-ENV', severity: 'warning', path, target: 'value',
          message: `\`${name}\` of \`${fnId}\` holds a hard-coded ARN; it will point at the wrong resource in another account, stage or the local cloud.`,
          fix: 'Declare the resource in the spec and grant it under `permissions`: the infrastructure passes its name and ARN to the function.',
        });
      }
    }
  }
};

export const idempotency: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.model.functions)) {
    const written = ctx.spec.functions?.[fnId]?.idempotency;
    const path = ['functions', fnId, 'idempotency'];
    if (written === undefined) {
      if (isRetried(fn.trigger) && !ctx.hasEmptyTrigger(fnId)) {
        const how = fn.trigger.type === 'direct' ? 'asynchronous invocation' : `its ${fn.trigger.type} trigger`;
        ctx.report({
          rule: 'LBP-IDEMPOTENCY', path,
          message: `\`${fnId}\` can receive the same event more than once (${how} retries and redelivers), and it declares no idempotency: a repeat would redo its side effects.`,
          fix: `Add \`idempotency: { key: <path> }\`${exampleKey(fn.trigger.type)}, or \`idempotency: { disabled: "<why repeats are harmless>" }\`.`,
        });
      }
      continue;
    }
    checkIdempotencyShape(ctx, fnId, written, fn.trigger.type);
  }
};

function exampleKey(type: TriggerKind): string {
  const example = TRIGGERS[type].idempotencyKey.example;
  return example === undefined ? '' : ` (e.g. \`${example}\`)`;
}

function checkIdempotencyShape(
  ctx: RuleContext, fnId: string,
  written: { key?: string | undefined; disabled?: string | undefined; expiresAfterSeconds?: number | undefined },
  triggerType: TriggerKind,
): void {
  const path = ['functions', fnId, 'idempotency'];
  if (written.key !== undefined && written.disabled !== undefined) {
    ctx.report({ rule: 'SPEC-IDEMPOTENCY', path: [...path, 'disabled'], message: `The idempotency of \`${fnId}\` has both \`key\` and \`disabled\`.`, fix: 'Keep one: `key` to make it idempotent, or `disabled` with a reason.' });
    return;
  }
  if (written.key === undefined && written.disabled === undefined) {
    ctx.report({ rule: 'SPEC-IDEMPOTENCY', path, message: `The idempotency of \`${fnId}\` has neither \`key\` nor \`disabled\`.`, fix: 'Add `key: <path into the event>` or `disabled: "<reason>"`.' });
    return;
  }
  if (written.disabled !== undefined) {
    if (written.disabled.trim() === '') {
      ctx.report({ rule: 'SPEC-IDEMPOTENCY', path: [...path, 'disabled'], target: 'value', message: `\`idempotency.disabled\` of \`${fnId}\` gives no reason.`, fix: 'Say why a repeated event is harmless, e.g. `disabled: "writes are overwrites keyed by id"`.' });
    }
    if (written.expiresAfterSeconds !== undefined) {
      ctx.report({ rule: 'SPEC-IDEMPOTENCY', path: [...path, 'expiresAfterSeconds'], message: `\`expiresAfterSeconds\` has no effect when idempotency is disabled (\`${fnId}\`).`, fix: 'Remove `expiresAfterSeconds`.' });
    }
    return;
  }
  const key = written.key ?? '';
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(key)) {
    ctx.report({ rule: 'SPEC-IDEMPOTENCY', path: [...path, 'key'], target: 'value', message: `The idempotency key \`${key}\` of \`${fnId}\` is not a dotted path.`, fix: 'Write a path of field names separated by dots, e.g. `body.orderId`.' });
    return;
  }
  const roots = TRIGGERS[triggerType].idempotencyKey.roots;
  const root = key.split('.')[0] ?? '';
  if (roots.length > 0 && !roots.includes(root)) {
    ctx.report({
      rule: 'SPEC-IDEMPOTENCY', path: [...path, 'key'], target: 'value',
      message: `The idempotency key \`${key}\` of \`${fnId}\` starts at \`${root}\`, which a ${triggerType} ${triggerType === 'http' ? 'event' : 'record'} does not have; every request would have no key.${didYouMean(root, roots)}`,
      fix: `Start the path at one of ${listOf(roots)}.`,
    });
  }
}
