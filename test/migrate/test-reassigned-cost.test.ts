import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { Project } from '../../src/migrate/routes/project.js';
import { heldValueAt } from '../../src/migrate/test-reassigned.js';
import { tempProject } from '../helpers/cli.js';
import { countKindReads, nodesOf } from '../helpers/statement-reads.js';

// Session 37 review: heldValueAt (test-reassigned.ts) looked for a `let`'s writes over the whole test file, once per
// assertion that reads it: a test file of many tests, each with its own `let res` in one describe callback, cost
// tests x file. The writes of a variable are looked for in the function that declares it. The work is counted as
// reads of every node's `kind`, which every walk makes: twice the tests must cost about twice the reads.

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A test file of `count` tests in one describe callback, each assigning its own `let res` twice. */
function source(count: number): string {
  const tests = Array.from(
    { length: count },
    (_, i) =>
      `  it('t${i}', async () => { let res; res = await request(app).get('/a${i}'); ` +
      `res = await request(app).get('/b${i}'); expect(res.status).toBe(403); });`,
  );
  return `describe('all', () => {\n${tests.join('\n')}\n});\n`;
}

/** Asks heldValueAt for each test's `res` where its assertion reads it; the answers and the `kind` reads. */
function heldValues(count: number): { answers: string[]; reads: number } {
  const text = source(count);
  const dir = tempProject({ 'test/app.test.js': text });
  temps.push(dir);
  const project = new Project(dir, [
    { absolute: path.join(dir, 'test/app.test.js'), relative: 'test/app.test.js' },
  ]);
  const file = project.byRelative('test/app.test.js');
  if (!file) throw new Error('test file not found');
  const nodes = nodesOf(file.sourceFile);
  const declarations = nodes.filter((node) => ts.isVariableDeclaration(node));
  const counter = countKindReads(nodes);
  const answers = declarations.map((declaration) => {
    const position = text.indexOf('expect(res.status)', declaration.end);
    const held = heldValueAt(project, file, declaration, position);
    return held && 'value' in held ? held.value.getText(file.sourceFile) : JSON.stringify(held?.lines);
  });
  return { answers, reads: counter.reads };
}

describe('a test file of many tests, each reassigning its own variable', () => {
  it('finds each read value, at a cost in proportion to the tests', () => {
    const few = heldValues(150);
    const many = heldValues(300);
    expect(few.answers[7]).toBe("await request(app).get('/b7')");
    expect(many.answers).toHaveLength(300);
    expect(few.reads).toBeGreaterThan(0);
    expect(many.reads / few.reads).toBeLessThan(2.5);
  });
});
