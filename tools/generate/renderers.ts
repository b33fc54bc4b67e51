/** The renderers `npm run generate` runs for every service, in order. */
import type { ServiceRenderer } from './plan.js';

export const SERVICE_RENDERERS: readonly ServiceRenderer[] = [];
