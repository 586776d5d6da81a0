import { describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { parseSource } from '../../src/migrate/parse.js';
import { loaderStubs, moduleLoaderCall, unreadStubs } from '../../src/migrate/module-loaders.js';

// Session 41 (fixr41a), trial41 01: the test loaders that hand back the module they load, by every spelling.

/** The loader read from the last call of a snippet's last statement: `loader specifier async`, or undefined. */
function lastLoad(text: string): string | undefined {
  const sourceFile = parseSource('t.test.js', text);
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) calls.push(node);
    node.forEachChild(visit);
  };
  visit(sourceFile.statements[sourceFile.statements.length - 1]);
  for (const call of calls) {
    const found = moduleLoaderCall(call);
    if (found) return `${found.loader} ${found.specifier.getText(sourceFile)} ${found.async}`;
  }
  return undefined;
}

describe('module loaders of tests', () => {
  it.each([
    ["const proxyquire = require('proxyquire');\nproxyquire('../app', {});", "proxyquire '../app' false"],
    ["const pq = require('proxyquire').noCallThru();\npq('../app', {});", "proxyquire '../app' false"],
    [
      "const proxyquire = require('proxyquire');\nproxyquire.noCallThru().load('../app', {});",
      "proxyquire '../app' false",
    ],
    ["require('proxyquire').noPreserveCache()('../app', {});", "proxyquire '../app' false"],
    ["import proxyquire from 'proxyquire';\nproxyquire.load(modulePath, {});", 'proxyquire modulePath false'],
    ["import { default as pq } from 'proxyquireify';\npq('../app', {});", "proxyquireify '../app' false"],
    ["const rewire = require('rewire');\nrewire('../app');", "rewire '../app' false"],
    ["const mock = require('mock-require');\nmock.reRequire('../app');", "mock-require '../app' false"],
    ["const importFresh = require('import-fresh');\nimportFresh('../app');", "import-fresh '../app' false"],
    [
      "const rewiremock = require('rewiremock').default;\nrewiremock.proxy(() => require('../app'), {});",
      "rewiremock '../app' false",
    ],
    ["import esmock from 'esmock';\nawait esmock.strict('../app.js', {});", "esmock '../app.js' true"],
    ["jest.requireActual('../app');", "jest '../app' false"],
    ["require.requireActual('../app');", "jest '../app' false"],
    ["await vi.importActual('../app.js');", "vitest '../app.js' true"],
  ])('%s', (text, want) => {
    expect(lastLoad(text)).toBe(want);
  });

  it.each([
    ["const proxyquire = require('proxyquire');\nproxyquire.noCallThru();"],
    ["function proxyquire(p) { return p; }\nproxyquire('../app', {});"],
    ["const mock = require('mock-require');\nmock('../app', {});"],
    ["const td = require('testdouble');\ntd.replace('../app');"],
    ["const rewire = require('rewire');\nrewire();"],
  ])('not a load: %s', (text) => {
    expect(lastLoad(text)).toBeUndefined();
  });

  it('reads the stubs of proxyquire, member by member unless it does not call through', () => {
    const text = [
      "const proxyquire = require('proxyquire');",
      "const strict = require('proxyquire').noCallThru();",
      "proxyquire('../app', { './policy': { enforce: stub, '@noCallThru': false }, './db': dbStub });",
      "strict('../app', { './policy': { enforce: stub } });",
      "proxyquire('../app', { './db': { query: stub, '@noCallThru': true } });",
    ].join('\n');
    const sourceFile = parseSource('t.test.js', text);
    const read = sourceFile.statements.slice(2).map((statement) => {
      const call = (statement as ts.ExpressionStatement).expression as ts.CallExpression;
      return loaderStubs(call);
    });
    expect(read).toEqual([
      [
        { specifier: './policy', members: ['enforce'], whole: false },
        { specifier: './db', whole: false },
      ],
      [{ specifier: './policy', members: ['enforce'], whole: true }],
      [{ specifier: './db', members: ['query'], whole: true }],
    ]);
  });

  it('reads the stubs of proxyquire held by a local of the file, whole or one module at a time', () => {
    const text = [
      "const proxyquire = require('proxyquire');",
      'const policyStub = { enforce: stub };',
      "const stubs = { './policy': policyStub, './db': { query: stub } };",
      "proxyquire('../app', stubs);",
      "proxyquire('../app', { './policy': policyStub });",
    ].join('\n');
    const sourceFile = parseSource('t.test.js', text);
    const read = sourceFile.statements.slice(3).map((statement) => {
      const call = (statement as ts.ExpressionStatement).expression as ts.CallExpression;
      return loaderStubs(call);
    });
    expect(read).toEqual([
      [
        { specifier: './policy', members: ['enforce'], whole: false },
        { specifier: './db', members: ['query'], whole: false },
      ],
      [{ specifier: './policy', members: ['enforce'], whole: false }],
    ]);
  });

  it('reads the stubs of proxyquire spread from a local of the file, a later key winning as in the object', () => {
    const text = [
      "const proxyquire = require('proxyquire');",
      "const common = { './policy': { enforce: stub }, './db': { query: stub } };",
      "proxyquire('../app', { ...common, './db': { find: stub } });",
      "proxyquire('../app', { ...common, ...{ './log': { info: stub } } });",
      "proxyquire('../app', { ['./db']: { find: stub } });",
      "proxyquire('../app', { ['./db']: { find: stub }, [dbPath]: { query: stub } });",
    ].join('\n');
    const sourceFile = parseSource('t.test.js', text);
    const read = sourceFile.statements.slice(2).map((statement) => {
      const call = (statement as ts.ExpressionStatement).expression as ts.CallExpression;
      return loaderStubs(call);
    });
    expect(read).toEqual([
      [
        { specifier: './policy', members: ['enforce'], whole: false },
        { specifier: './db', members: ['find'], whole: false },
      ],
      [
        { specifier: './policy', members: ['enforce'], whole: false },
        { specifier: './db', members: ['query'], whole: false },
        { specifier: './log', members: ['info'], whole: false },
      ],
      [{ specifier: './db', members: ['find'], whole: false }],
      [{ specifier: './db', members: ['find'], whole: false }],
    ]);
  });

  // Session 43 (stubs43): stubs mtls-fix cannot read are named, by every proxyquire spelling; readable ones are not.
  it.each([
    ["proxyquire('../app', makeStubs());", 'a call, not an object'],
    ["proxyquire.load('../app', makeStubs());", 'a call, not an object'],
    ["strict('../app', makeStubs());", 'a call, not an object'],
    ["proxyquire.noCallThru()('../app', makeStubs());", 'a call, not an object'],
    ["proxyquire('../app', { ...makeStubs(), './db': db });", 'a spread of a call'],
    ["proxyquire('../app', { ...common, ...makeStubs() });", 'a spread of a call'],
    ["const load = (stubs) => proxyquire('../app', stubs);", 'a parameter of its function, not an object'],
    [
      "function load({ stubs }) { return proxyquire('../app', stubs); }",
      'a parameter of its function, not an object',
    ],
    ["proxyquire('../app', shared);", 'a value imported from another module, not an object'],
    ["proxyquire('../app', imported);", 'a value imported from another module, not an object'],
    [
      "proxyquire('../app', require('./support/stubs'));",
      'a value imported from another module, not an object',
    ],
    ["proxyquire('../app', this.stubs);", 'a member of another value, not an object'],
    ["proxyquire('../app', { ...this.stubs });", 'a spread of a member of another value'],
    [
      "proxyquire('../app', { [dbPath]: db });",
      'a computed key it cannot read (dbPath), not a written specifier',
    ],
    ["proxyquire('../app', unknown);", 'a name it cannot follow to one value, not an object'],
    // Read as before: an object in place, held by a local, spread from a local; no stubs; another loader.
    ["proxyquire('../app', { './db': db });", undefined],
    ["proxyquire('../app', common);", undefined],
    ["proxyquire('../app', { ...common, ['./log']: log });", undefined],
    ["proxyquire('../app');", undefined],
    // Session 44 (stubs44): rewiremock's and esmock's mocks are not read: named, unless an empty object.
    [
      "rewiremock.proxy('../app', makeStubs());",
      "rewiremock mocks: only proxyquire's and esmock's stubs are read",
    ],
    ["rewiremock.proxy(() => require('../app'), {});", undefined],
    // Session 45 (stubs45): esmock's mocks (and global mocks) are read like proxyquire's stubs, and named alike.
    ["esmock('../app.js', { './db.js': db });", undefined],
    ["esmock.strict('../app.js', {}, { './db.js': db });", undefined],
    ["esmock('../app.js', makeStubs());", 'esmock mocks: a call, not an object'],
    [
      "esmock.p('../app.js', import.meta.url, { './db.js': shared });",
      "esmock mocks: the stub of './db.js' is a value imported from another module",
    ],
    [
      "esmock.strict('../app.js', {}, { fs: fakeFs() });",
      "esmock mocks: the stub of 'fs' is a call it does not read: fakeFs()",
    ],
    ["esmock('../app.js', {});", undefined],
    // Session 44 (stubs44): one stub's value a call it does not read, by every spelling; read ones are not named.
    [
      "proxyquire('../app', { './policy': fakePolicy() });",
      "the stub of './policy' is a call it does not read: fakePolicy()",
    ],
    [
      "proxyquire.load('../app', { ['./policy']: fakePolicy() });",
      "the stub of './policy' is a call it does not read: fakePolicy()",
    ],
    [
      "strict('../app', { ...common, './db': db.make() });",
      "the stub of './db' is a call it does not read: db.make()",
    ],
    [
      "proxyquire('../app', { './policy': spreadPolicy() });",
      "the stub of './policy' is a call it does not read: spreadPolicy()",
    ],
    [
      "proxyquire('../app', { './policy': heldPolicy });",
      "the stub of './policy' is a call it does not read: fakePolicy()",
    ],
    ["proxyquire('../app', { './policy': makePolicy(), './db': makeDb() });", undefined],
    ["proxyquire('../app', { './db': sinon.stub().returns(null), './log': sandbox.spy() });", undefined],
    // Session 44 (stubs44): one stub's value imported, or a member of another value: named; a parameter's value
    // is what the file's callers pass (the test's own code): not named.
    ["const load = (db) => proxyquire('../app', { './db': db });", undefined],
    [
      "proxyquire('../app', { './db': shared });",
      "the stub of './db' is a value imported from another module",
    ],
    [
      "proxyquire('../app', { './db': require('./support/db') });",
      "the stub of './db' is a value imported from another module",
    ],
    ["proxyquire('../app', { './db': this.db });", "the stub of './db' is a member of another value"],
    // Session 44 (stubs44): keys (or members) written to the stubs after they are written, by every spelling.
    // Session 45 (stubs45): a key written to the stubs is read; a write it cannot read so is named.
    ["proxyquire('../app', added);", undefined],
    ["proxyquire('../app', deleted);", 'deleted is changed after it is written: delete deleted.db, line 21'],
    [
      "proxyquire('../app', assigned);",
      'assigned is changed after it is written: Object.assign(assigned, more), line 15',
    ],
    ["proxyquire('../app', { ...dotted });", undefined],
    [
      "proxyquire('../app', { './policy': policyStub });",
      "the stub of './policy': policyStub is changed after it is written: delete policyStub.enforce, line 19",
    ],
  ])('names proxyquire stubs it cannot read: %s', (line, why) => {
    const text = [
      "const proxyquire = require('proxyquire');",
      "const strict = require('proxyquire').noCallThru();",
      "const rewiremock = require('rewiremock').default;",
      "const { shared } = require('./support/stubs');",
      "import imported from './support/more-stubs';",
      "const common = { './policy': { enforce: stub } };",
      "import esmock from 'esmock';",
      'function makePolicy() { if (deny) return { enforce: refuse }; return { enforce: allow }; }',
      'const makeDb = () => ({ userOf: () => null });',
      "const spreadPolicy = () => ({ ...common['./policy'] });",
      'const heldPolicy = fakePolicy();',
      'const added = {};',
      "added['./db'] = db;",
      'const assigned = {};',
      'Object.assign(assigned, more);',
      'const dotted = {};',
      'dotted.db = db;',
      'const policyStub = { enforce: stub };',
      'delete policyStub.enforce;',
      'const deleted = { db };',
      'delete deleted.db;',
      line,
    ].join('\n');
    const sourceFile = parseSource('t.test.js', text);
    const found: (string | undefined)[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && moduleLoaderCall(node)) found.push(unreadStubs(node));
      node.forEachChild(visit);
    };
    visit(sourceFile.statements[sourceFile.statements.length - 1]);
    expect(found).toEqual([why]);
  });

  // Session 44 (stubs44): a stub a function of the file hands back is read member by member; two helpers each
  // with their own `stubs` are read each by its own (before: neither was, "a name it cannot follow to one value").
  it('reads stubs by the scope they are written in, and a stub a function of the file hands back', () => {
    const text = [
      "const proxyquire = require('proxyquire');",
      "function makePolicy() { return { enforce: refuse, '@noCallThru': true }; }",
      "function one() { const stubs = { './policy': makePolicy() }; return proxyquire('../app', stubs); }",
      "function two() { const stubs = { './db': { find: stub } }; return proxyquire('../app', stubs); }",
      "const three = (stubs) => { const load = () => proxyquire('../app', stubs); return load(); };",
    ].join('\n');
    const sourceFile = parseSource('t.test.js', text);
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && moduleLoaderCall(node)) calls.push(node);
      node.forEachChild(visit);
    };
    visit(sourceFile);
    expect(calls.map((call) => unreadStubs(call))).toEqual([
      undefined,
      undefined,
      'a parameter of its function, not an object',
    ]);
    expect(calls.map((call) => loaderStubs(call))).toEqual([
      [{ specifier: './policy', members: ['enforce'], whole: true }],
      [{ specifier: './db', members: ['find'], whole: false }],
      [],
    ]);
  });

  it('reads a stub that is a module loaded in place by a loader whose own stubs it reads', () => {
    const text = [
      "const proxyquire = require('proxyquire');",
      "proxyquire('../app', { './log': proxyquire('./log', { fs: { readFileSync: stub } }) });",
      "proxyquire('../app', { './log': proxyquire('./log', makeStubs()) });",
    ].join('\n');
    const sourceFile = parseSource('t.test.js', text);
    const outer = sourceFile.statements.slice(1).map((statement) => {
      const call = (statement as ts.ExpressionStatement).expression as ts.CallExpression;
      return unreadStubs(call);
    });
    expect(outer).toEqual([
      undefined,
      "the stub of './log' is a call it does not read: proxyquire('./log', makeStubs())",
    ]);
  });

  // Session 45 (stubs45): stubs assigned in hooks, written through an alias, added after, passed by callers.
  it.each([
    [
      // A `let` assigned in a hook: the hook's value (was: the empty initial value, read as stubbing nothing).
      "let stubs = {};\nbeforeEach(() => { stubs = { './policy': { enforce: refuse } }; });\nit('x', () => proxyquire('../app', stubs));",
      [{ specifier: './policy', members: ['enforce'], whole: false }],
      undefined,
    ],
    [
      // No initial value, a `before` hook, noCallThru.
      "let stubs;\nbefore(function () { stubs = { './policy': { enforce: refuse } }; });\nit('x', () => strict('../app', stubs));",
      [{ specifier: './policy', members: ['enforce'], whole: true }],
      undefined,
    ],
    [
      // Two hooks, two values: named with both lines.
      "let stubs = {};\ndescribe('a', () => { beforeEach(() => { stubs = { './policy': { enforce: refuse } }; }); });\ndescribe('b', () => { beforeEach(() => { stubs = { './db': { find } }; }); });\nit('x', () => proxyquire('../app', stubs));",
      [],
      'stubs is assigned differing values: lines 22, 23',
    ],
    [
      // Assigned outside a hook: the initial value still runs for the tests before it.
      "let stubs = { './db': { find } };\nit('a', () => { stubs = { './policy': { enforce: refuse } }; });\nit('x', () => proxyquire('../app', stubs));",
      [],
      'stubs is assigned differing values: lines 21, 22',
    ],
    [
      // A key written in the hook after the object is assigned.
      "let stubs;\nbeforeEach(() => { stubs = {}; stubs['./policy'] = { enforce: refuse }; });\nit('x', () => proxyquire('../app', stubs));",
      [{ specifier: './policy', members: ['enforce'], whole: false }],
      undefined,
    ],
    [
      // Through an alias (was: the empty object, the write unseen).
      "const stubs = {};\nconst s = stubs;\ns['./policy'] = { enforce: refuse };\nObject.assign(s, { './db': { find } });\nproxyquire('../app', stubs);",
      [
        { specifier: './policy', members: ['enforce'], whole: false },
        { specifier: './db', members: ['find'], whole: false },
      ],
      undefined,
    ],
    [
      "const stubs = {};\nconst s = stubs;\ns['./policy'].enforce = refuse;\nproxyquire('../app', stubs);",
      [],
      "stubs is changed after it is written: s['./policy'].enforce = refuse, line 23",
    ],
    [
      // A helper's parameter: what its callers pass (one value).
      "function load(stubs) { return proxyquire('../app', stubs); }\nit('x', () => load({ './policy': { enforce: refuse } }));",
      [{ specifier: './policy', members: ['enforce'], whole: false }],
      undefined,
    ],
    [
      "const load = (stubs) => proxyquire('../app', stubs);\nit('a', () => load({ './db': { find } }));\nit('b', () => load({ './policy': { enforce } }));",
      [],
      'stubs is passed differing values by the calls: lines 22, 23',
    ],
    [
      "const load = (stubs) => proxyquire('../app', stubs);\nit('a', () => load());",
      [],
      'stubs is a parameter of load, whose call at line 22 passes none',
    ],
    [
      "const load = (stubs) => proxyquire('../app', stubs);\nbeforeEach(load);",
      [],
      'stubs is a parameter of load, handed on at line 22, not only called',
    ],
    [
      "const load = (stubs) => proxyquire('../app', stubs);\nit('a', () => load(makeStubs()));",
      [],
      'a call, not an object',
    ],
    [
      // esmock: its keys resolve from the test file; merged with the module unless strict.
      "let mocks;\nbeforeEach(() => { mocks = { '../policy.js': { allow: () => false } }; });\nit('x', async () => esmock.strict('../app.js', mocks));",
      [{ specifier: '../policy.js', members: ['allow'], whole: true, fromCaller: true }],
      undefined,
    ],
  ])('reads the stubs a name holds when the loader runs: %s', (line, stubs, why) => {
    const text = [
      "const proxyquire = require('proxyquire');",
      "const strict = require('proxyquire').noCallThru();",
      "import esmock from 'esmock';",
      ...Array.from({ length: 17 }, () => ''),
      line,
    ].join('\n');
    const sourceFile = parseSource('t.test.js', text);
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && moduleLoaderCall(node)) calls.push(node);
      node.forEachChild(visit);
    };
    visit(sourceFile);
    expect(calls.map((call) => unreadStubs(call))).toEqual([why]);
    expect(calls.map((call) => loaderStubs(call))).toEqual([stubs]);
  });
});
