import { afterEach } from 'vitest';

// A test worker answers vitest over an RPC channel whose replies it reads only when its event loop reaches the poll
// phase. A file of synchronous tests (in-process codemod runs, spawnSync CLI runs) only awaits promises between its
// tests, which never gets there: after 60 s of them vitest's pending call timed out and failed a run whose tests all
// passed ("[vitest-worker]: Timeout calling onTaskUpdate", test/lint/unchecked-root-line.test.ts at 60.5 s,
// vitest-dev/vitest#6479 / #8164). One turn of the event loop after each test lets the worker read the replies.
// The real setImmediate, taken before any test runs: a test that fakes timers (vi.useFakeTimers fakes setImmediate)
// and leaves them faked would otherwise make this hook wait until its timeout.
const nextTurn = setImmediate;
afterEach(() => new Promise<void>((resolve) => nextTurn(resolve)));
