export * from './check.js';
export * from './constants.js';
export * from './errors.js';
export * from './findings.js';
export * from './model.js';
export { RULES, RULE_IDS } from './rules/catalog.js';
export type { RuleId } from './rules/catalog.js';
export { ServiceSpecSchema } from './schema.js';
export type { FunctionSpec, ServiceSpec } from './schema.js';
