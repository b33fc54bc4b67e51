/** The generator: specs in, generated entries, types, stacks and scaffolds out. */
export { generate } from './generate.js';
export type { GenerateOptions } from './generate.js';
export { statusOf } from './status.js';
export type { GenerationStatus } from './status.js';
export { headerText, isGenerated, tsHeader } from './header.js';
