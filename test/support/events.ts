/**
 * Builders for the events Lambda hands to a handler, for handler tests. They live in tools/local/events, where the
 * local cloud builds the real events with them; tests (and the scaffolded handler tests) import them from here.
 */
export * from '../../tools/local/events/index.js';
