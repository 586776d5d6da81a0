import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { Project } from '../../src/migrate/routes/project.js';
import { codeAround } from '../../src/migrate/test-doubles.js';
import { tempProject } from '../helpers/cli.js';
import { countKindReads, type KindReads } from '../helpers/statement-reads.js';

// Session 38 review: codeAround (test-doubles.ts), asked once per test body, found the file's module mocks by a walk
// of the whole file, and the hooks and stubs around the test by a scan of every statement of each enclosing suite:
// a test file of many tests in one describe callback cost tests x file. Each is now found once per file or
// statement list. The work is counted as reads of the `kind` of the describe callback's statements, which every
// scan of them makes: twice the tests must cost about twice the reads.

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A test file of `count` tests in one describe callback, with a module mock, a hook and a stub around them. */
function source(count: number): string {
  const tests = Array.from(
    { length: count },
    (_, i) =>
      `  it('t${i}', async () => { const res = await request(app).get('/a${i}'); expect(res.status).toBe(403); });`,
  );
  return [
    "jest.mock('../src/auth');",
    "describe('all', () => {",
    '  beforeEach(() => { app = build(); });',
    "  jest.spyOn(auth, 'check').mockReturnValue(false);",
    ...tests,
    '});',
    '',
  ].join('\n');
}

/** codeAround for each test body; what it found for the first and the statement `kind` reads. */
function around(count: number): { first: string[]; reads: number } {
  const text = source(count);
  const dir = tempProject({ 'test/app.test.js': text });
  temps.push(dir);
  const project = new Project(dir, [
    { absolute: path.join(dir, 'test/app.test.js'), relative: 'test/app.test.js' },
  ]);
  const file = project.byRelative('test/app.test.js');
  if (!file) throw new Error('test file not found');
  const bodies: ts.Node[] = [];
  let counter: KindReads = { reads: 0 };
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node) && node.statements.length === count + 2) {
      for (const statement of node.statements) {
        if (ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression)) {
          const callback = statement.expression.arguments[1];
          if (
            callback &&
            ts.isArrowFunction(callback) &&
            statement.getText(file.sourceFile).startsWith('it(')
          )
            bodies.push(callback.body);
        }
      }
      counter = countKindReads(node.statements);
      return;
    }
    node.forEachChild(visit);
  };
  visit(file.sourceFile);
  counter.reads = 0;
  const found = bodies.map((body) => codeAround(project, file, body));
  return {
    first: (found[0] ?? []).map((node) => node.getText(file.sourceFile).split('\n')[0] ?? ''),
    reads: counter.reads,
  };
}

describe('a test file of many tests in one suite', () => {
  it('finds the mocks, hooks and stubs around each test at a cost in proportion to the tests', () => {
    const few = around(150);
    const many = around(300);
    expect(few.first).toEqual(
      expect.arrayContaining([
        'beforeEach(() => { app = build(); })',
        "jest.spyOn(auth, 'check').mockReturnValue(false);",
        "jest.mock('../src/auth')",
      ]),
    );
    expect(few.reads).toBeGreaterThan(0);
    expect(many.reads / few.reads).toBeLessThan(2.5);
  });
});
