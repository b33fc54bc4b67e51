/**
 * LBP-AWAIT-ALL: typescript-eslint's typed promise rules, with the practice ID and a Lambda hint
 * added to their messages. The wrapper keeps the original `create` (typescript-eslint's
 * `createRule` applies the rule's default options inside it) and its message IDs, so options,
 * suggestions and behaviour are those of the original; only `meta.docs` and the texts change.
 */
import type { Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import { docs } from '../docs.js';

const HINT =
  'In Lambda, a promise still running when the handler returns is frozen with the execution environment: it may resume during a later invocation, or never.';

/** Suggestion texts ("Add await operator.") stay short: they label a quick fix, not a problem. */
const isSuggestion = (messageId: string) => /Fix/.test(messageId);

/** A rule of typescript-eslint's plugin (its public type, `CompatiblePlugin`, does not list the rules). */
export function typescriptEslintRule(name: string): Rule.RuleModule | undefined {
  return (tseslint.plugin as unknown as { rules?: Record<string, Rule.RuleModule> }).rules?.[name];
}

export function wrapTypedRule(name: 'no-floating-promises' | 'no-misused-promises', description: string, fix: string): Rule.RuleModule {
  const original = typescriptEslintRule(name);
  if (!original?.meta?.messages) throw new Error(`typescript-eslint has no rule ${name} with messages; check the typescript-eslint version.`);
  const messages = Object.fromEntries(
    Object.entries(original.meta.messages).map(([id, text]) => [id, isSuggestion(id) ? text : `LBP-AWAIT-ALL: ${text} ${HINT} ${fix}`]),
  );
  return {
    ...original,
    meta: { ...original.meta, docs: docs(name, description), messages },
    create: original.create,
  };
}
