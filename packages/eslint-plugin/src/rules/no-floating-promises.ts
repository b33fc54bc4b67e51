/** lambda/no-floating-promises (LBP-AWAIT-ALL): typescript-eslint's `no-floating-promises`, with the Lambda reason in its messages. */
import { wrapTypedRule } from './typed-promise-rule.js';

export default wrapTypedRule(
  'no-floating-promises',
  'Require every promise to be awaited or handled before the handler returns (LBP-AWAIT-ALL; typed, wraps @typescript-eslint/no-floating-promises)',
  'Await it (or `await Promise.all([...])` for several) before returning.',
);
