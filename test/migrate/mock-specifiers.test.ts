import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/migrate/parse.js';
import { moduleMocks, unreadModuleMocks } from '../../src/migrate/test-doubles.js';

// Session 45 (mocks45): a module mock whose specifier is not a written string was dropped without a word. Read at
// no cost when the file spells it out, else named.

/** The mocks of a snippet: `read:<specifier>` for each read, `unread:<callee>` for each named. */
function mocks(text: string): string[] {
  const sourceFile = parseSource('test/t.test.js', text);
  return [
    ...moduleMocks(sourceFile).map((m) => `read:${m.specifier}`),
    ...unreadModuleMocks(sourceFile).map((c) => `unread:${c.expression.getText(sourceFile)}`),
  ];
}

describe('module mock specifiers', () => {
  it.each([
    ["jest.mock('../policy', () => ({}));", ['read:../policy']],
    ["const P = '../policy';\njest.mock(P, () => ({}));", ['read:../policy']],
    ["const D = '..';\nvi.mock(`${D}/policy`);", ['read:../policy']],
    ["jest.doMock('..' + '/policy', () => ({}));", ['read:../policy']],
    [
      "const path = require('path');\njest.mock(path.join(__dirname, '../policy'), () => ({}));",
      ['read:../policy'],
    ],
    ["jest.mock(path.resolve(__dirname, 'fakes', 'policy'));", ['read:./fakes/policy']],
    ["vi.mock(join(import.meta.dirname, '../policy.js'));", ['read:../policy.js']],
    ["vi.mock(import('../policy.js'), () => ({}));", ['read:../policy.js']],
    ["const F = '../fakes';\nmockery.registerSubstitute('./policy', `${F}/policy`);", ['read:./policy']],
    ["jest.mock(path.join('..', 'lib', 'policy'));", ['read:../lib/policy']],
    ["jest.doMock(path.join('fakes', 'policy'), () => ({}), { virtual: true });", ['read:fakes/policy']],
    ["jest.mock(path.resolve('..', 'policy'));", ['unread:jest.mock']],
    ['jest.mock(policyPath(), () => ({}));', ['unread:jest.mock']],
    ['vi.mock(POLICY_PATH);', ['unread:vi.mock']],
    ["let P = '../policy';\njest.mock(P);", ['unread:jest.mock']],
    ["jest.mock(path.join(process.cwd(), 'policy'));", ['unread:jest.mock']],
    ["jest.mock(path.join(__dirname, '/abs/policy'));", ['unread:jest.mock']],
    [
      "mockery.registerSubstitute(`${process.cwd()}/lib/policy`, './fake');",
      ['unread:mockery.registerSubstitute'],
    ],
    ["mockery.registerSubstitute('./policy', fakePath);", ['unread:mockery.registerSubstitute']],
    ['mockery.registerMock(name, {});', ['unread:mockery.registerMock']],
    ['mock.module(spec, {});', ['unread:mock.module']],
    ["const mock = require('mock-require');\nmock(spec, {});", ['unread:mock']],
    ["td.replace(auth, 'check');", []],
  ])('%s', (text, want) => {
    expect(mocks(text)).toEqual(want);
  });
});
