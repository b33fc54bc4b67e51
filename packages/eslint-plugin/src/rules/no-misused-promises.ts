/** lambda/no-misused-promises (LBP-AWAIT-ALL): typescript-eslint's `no-misused-promises`, with the Lambda reason in its messages. */
import { wrapTypedRule } from './typed-promise-rule.js';

export default wrapTypedRule(
  'no-misused-promises',
  'Disallow promises where nothing awaits them: void callbacks, conditions, spreads (LBP-AWAIT-ALL; typed, wraps @typescript-eslint/no-misused-promises)',
  'Pass the promise-returning function only where its caller awaits it (e.g. `for ... of` with `await` instead of `forEach`), or await the promise first.',
);
