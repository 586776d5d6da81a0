import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { isFixedBinding } from '../../src/migrate/analysis/fixed-bindings.js';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Session 33: a `let` / `var` holding a status library's 403 and never assigned again read as "Dynamic status"
// (`let { FORBIDDEN: V } = httpStatus; res.status(V)`); it is as good as a `const`.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(text: string): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-fixed-'));
  temps.push(cwd);
  const dependencies = { express: '*', 'http-status': '*', 'http-status-codes': '*' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/a.js'), text);
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const head =
  "const express = require('express');\nconst httpStatus = require('http-status');\nconst { StatusCodes } = require('http-status-codes');\nconst app = express();\n";
const tail = "app.get('/a', (req, res) => res.status(V).end());\nmodule.exports = app;\n";

describe('a let or var never assigned again holds its status', () => {
  it.each([
    ['let destructuring, renamed', 'let { FORBIDDEN: V } = httpStatus;\n'],
    ['var destructuring, renamed', 'var { FORBIDDEN: V } = httpStatus;\n'],
    ['let destructuring with a default', 'let { FORBIDDEN: V = 500 } = httpStatus;\n'],
    ['let of a library member', 'let V = StatusCodes.FORBIDDEN;\n'],
    ['var of a library member', 'var V = httpStatus.FORBIDDEN;\n'],
    ['let of a literal', 'let V = 403;\n'],
    ['let of a folded literal', 'let V = 400 + 3;\n'],
    ['let of a destructured alias', 'let L = StatusCodes;\nlet { FORBIDDEN: V } = L;\n'],
    [
      'nested let destructuring of the require',
      "let { StatusCodes: { FORBIDDEN: V } } = require('http-status-codes');\n",
    ],
  ])('%s is rewritten, nothing left manual', async (_name, declaration) => {
    const report = await run(head + declaration + tail);
    expect(report.sites.map((s) => s.action)).not.toContain('manual');
    expect(report.sites.filter((s) => s.action === 'would-rewrite').length).toBeGreaterThan(0);
    expect(report.census.manual).toBe(0);
  });

  it.each([
    ['assigned again', 'let V = StatusCodes.FORBIDDEN;\nV = 500;\n'],
    ['assigned in another function', 'let V = 403;\nfunction reset() {\n  V = 500;\n}\n'],
    ['changed by ++', 'let V = 403;\nV++;\n'],
    ['a destructuring assignment', 'let V = 403;\n({ V } = { V: 500 });\n'],
    ['a var declared twice', 'var V = 403;\nvar V = 500;\n'],
    ['destructured, then assigned', 'let { FORBIDDEN: V } = httpStatus;\n[V] = [500];\n'],
  ])('%s stays a dynamic status', async (_name, declaration) => {
    const report = await run(head + declaration + tail);
    const slot = report.sites.find((s) => s.form === 'res.status(V)');
    expect(slot?.action).toBe('manual');
    expect(slot?.reason).toMatch(/Dynamic status/);
  });
});

describe('isFixedBinding', () => {
  const listOf = (text: string, name: string): ts.Node => {
    const file = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
    let found: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.name.getText() === name) found ??= node.parent;
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (!found) throw new Error(`no ${name}`);
    return found;
  };
  it.each([
    ['const x = 1;', 'x', true],
    ['let x = 1;', 'x', true],
    ['let x = 1; x = 2;', 'x', false],
    ['let x = 1; x ??= 2;', 'x', false],
    ['let x = 1; for (x of []) {}', 'x', false],
    ['for (let x = 0; x < 1; ) {}', 'x', false],
    ['declare let x: number;', 'x', false],
    ['var x = 1; function f() { var x = 2; }', 'x', false],
  ])('%s: %s', (text, name, fixed) => {
    expect(isFixedBinding(listOf(text, name), name)).toBe(fixed);
  });
});
