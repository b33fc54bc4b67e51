/**
 * Setup of the unit tier (vitest.config.ts), run before each of its files. Unit files share their
 * worker's loaded modules (`isolate: false`: the SDK, CDK and TypeScript are imported once per
 * worker, not once per file), so what one file stubs must not reach the next. Vitest restores its
 * own mocks after every file (`vi.restoreAllMocks`); this restores aws-sdk-client-mock's stubs too:
 * `mockClient(DynamoDBDocumentClient)` replaces `send` on the class's prototype (through sinon's
 * default sandbox), which would otherwise answer for every client of that class in later files.
 */
import { createRequire } from 'node:module';
import { afterAll } from 'vitest';

/** The sinon that aws-sdk-client-mock stubs with (its own, by Node's resolution from its folder). */
const sinon = createRequire(createRequire(import.meta.url).resolve('aws-sdk-client-mock'))('sinon') as { restore(): void };

afterAll(() => {
  sinon.restore();
});
