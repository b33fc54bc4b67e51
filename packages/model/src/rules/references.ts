/** Names: IDs unique within the spec, and every reference naming a declared resource of the right kind. */
import { PERMISSION_KINDS, RESOURCE_KINDS } from '../constants.js';
import type { PermissionKind, ResourceKind } from '../constants.js';
import { kebabCase } from '../model.js';
import type { Rule, RuleContext } from './context.js';
import { singular } from './context.js';

export const uniqueIds: Rule = (ctx) => {
  const seen = new Map<string, string>();
  for (const kind of [...RESOURCE_KINDS, 'functions'] as const) {
    for (const id of Object.keys(ctx.spec[kind] ?? {})) {
      const first = seen.get(id);
      if (first === undefined) { seen.set(id, kind); continue; }
      ctx.report({
        rule: 'SPEC-DUPLICATE-ID', path: [kind, id],
        message: `\`${id}\` is declared as a ${singular(first)} and again as a ${singular(kind)}; IDs name resources, environment variables and files, so they must be unique in a spec.`,
        fix: `Rename one of them (e.g. \`${id}${singular(kind).replace(/^./, (c) => c.toUpperCase()).replace(/\s/g, '')}\`) and update its references.`,
      });
    }
  }
  const byFile = new Map<string, string>();
  for (const id of Object.keys(ctx.spec.functions ?? {})) {
    const file = kebabCase(id);
    const first = byFile.get(file);
    if (first === undefined) { byFile.set(file, id); continue; }
    ctx.report({
      rule: 'SPEC-DUPLICATE-ID', path: ['functions', id],
      message: `\`${id}\` and \`${first}\` name the same files (${file}.ts): function IDs must differ by more than the case of their letters.`,
      fix: `Rename \`${id}\`.`,
    });
  }
};

/** Which resources each permission list grants access to. */
export const PERMISSION_TARGETS: Record<PermissionKind, readonly ResourceKind[]> = {
  read: ['tables', 'buckets', 'fileSystems'],
  write: ['tables', 'buckets', 'fileSystems'],
  publish: ['topics'],
  send: ['queues'],
  connect: ['databases'],
};

function permissionFor(kind: string): PermissionKind | undefined {
  return PERMISSION_KINDS.find((p) => (PERMISSION_TARGETS[p] as readonly string[]).includes(kind));
}

export const permissionReferences: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.spec.functions ?? {})) {
    for (const perm of PERMISSION_KINDS) {
      (fn.permissions?.[perm] ?? []).forEach((name, i) => {
        ctx.checkRef(['functions', fnId, 'permissions', perm, i], name, PERMISSION_TARGETS[perm], `\`permissions.${perm}\` of \`${fnId}\``, (kind) => {
          const right = permissionFor(kind);
          return right === undefined
            ? `Remove \`${name}\` from \`permissions.${perm}\`: a ${singular(kind)} is not granted this way.`
            : `Move \`${name}\` to \`permissions.${right}\`.`;
        });
      });
    }
  }
};

export const triggerReferences: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.spec.functions ?? {})) {
    const t = fn.trigger;
    const base = ['functions', fnId, 'trigger'];
    if (t?.dynamodbStream) ctx.checkRef([...base, 'dynamodbStream', 'table'], t.dynamodbStream.table, ['tables'], `The dynamodbStream trigger of \`${fnId}\``);
    if (t?.sqs) ctx.checkRef([...base, 'sqs', 'queue'], t.sqs.queue, ['queues'], `The sqs trigger of \`${fnId}\``);
    if (t?.sns) ctx.checkRef([...base, 'sns', 'topic'], t.sns.topic, ['topics'], `The sns trigger of \`${fnId}\``);
    const destinations: [readonly (string | number)[], string | undefined][] = [
      [[...base, 'dynamodbStream', 'onFailure'], t?.dynamodbStream?.onFailure],
      [[...base, 'sns', 'onFailure'], t?.sns?.onFailure],
      [[...base, 'schedule', 'onFailure'], t?.schedule?.onFailure],
      [['functions', fnId, 'async', 'onFailure'], fn.async?.onFailure],
    ];
    for (const [path, name] of destinations) {
      if (name !== undefined) destinationReference(ctx, path, name, fnId);
    }
  }
};

/** An OnFailure destination: a declared standard queue or topic (Lambda destinations do not take FIFO). */
function destinationReference(ctx: RuleContext, path: readonly (string | number)[], name: string, fnId: string): void {
  if (!ctx.checkRef(path, name, ['queues', 'topics'], `The onFailure destination of \`${fnId}\``)) return;
  const target = ctx.model.queues[name] ?? ctx.model.topics[name];
  if (target?.fifo) {
    ctx.report({
      rule: 'SPEC-FIFO', path, target: 'value',
      message: `The onFailure destination of \`${fnId}\` is \`${name}\`, a FIFO ${singular(ctx.kindOf.get(name) ?? '')}; Lambda destinations accept standard queues and topics only.`,
      fix: `Point onFailure at a standard queue (declare one, e.g. \`${fnId}Failures: {}\` under \`queues:\`).`,
    });
  }
}

export const subscriptionReferences: Rule = (ctx) => {
  for (const [queueId, queue] of Object.entries(ctx.spec.queues ?? {})) {
    (queue.subscribe ?? []).forEach((topicId, i) => {
      const path = ['queues', queueId, 'subscribe', i];
      if (!ctx.checkRef(path, topicId, ['topics'], `\`subscribe\` of queue \`${queueId}\``)) return;
      if (ctx.model.queues[queueId]?.fifo && !ctx.model.topics[topicId]?.fifo) {
        ctx.report({
          rule: 'SPEC-FIFO', path, target: 'value',
          message: `FIFO queue \`${queueId}\` subscribes to \`${topicId}\`, a standard topic; SNS delivers to FIFO queues from FIFO topics only.`,
          fix: `Make \`${topicId}\` a FIFO topic (\`fifo: true\`) or \`${queueId}\` a standard queue.`,
        });
      }
    });
  }
};
