import { describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { isTooDeep, parseSource, TOO_DEEP } from '../../src/migrate/parse.js';
import { runCli, tempProject } from '../helpers/cli.js';

// A generated or bundled file can nest thousands of levels (a comma sequence `a=1,b=2,…` is a left-leaning tree
// as deep as it is long). Before session 28 one such file stopped the whole run ("unexpected error: Maximum call
// stack size exceeded", plain and --spec): parseSource's parent pass and the readers' walks recurse. Now the
// parent pass never overflows, a tree deeper than TOO_DEEP is marked, and the run names the file and goes on.

/** A comma sequence of `terms` terms: a tree about `terms` levels deep. */
const commas = (terms: number): string =>
  `var deep = (${Array.from({ length: terms }, () => '1').join(',')});\n`;

/** Each node's parent, read without recursion (a work list), as `kind@pos<parentKind@pos`. */
function parents(sourceFile: ts.SourceFile): string[] {
  const out: string[] = [];
  const work: [ts.Node, ts.Node][] = [];
  ts.forEachChild(sourceFile, (child) => void work.push([child, sourceFile]));
  while (work.length) {
    const [node, expected] = work.pop()!;
    out.push(`${node.kind}@${node.pos}<${node.parent?.kind}@${node.parent?.pos}:${node.parent === expected}`);
    ts.forEachChild(node, (child) => void work.push([child, node]));
  }
  return out;
}

describe('parseSource on deep trees', () => {
  it.each([10, 999, 1000, 1001, 2500, 6000])('sets every parent of a %i-term comma sequence', (terms) => {
    const tree = parseSource('deep.js', commas(terms));
    const seen = parents(tree);
    expect(seen.length).toBeGreaterThan(terms);
    expect(seen.filter((line) => !line.endsWith(':true'))).toEqual([]);
  });

  it('marks a tree deeper than TOO_DEEP, and only such a tree', () => {
    expect(isTooDeep(parseSource('a.js', commas(TOO_DEEP - 100)))).toBe(false);
    expect(isTooDeep(parseSource('b.js', commas(TOO_DEEP + 100)))).toBe(true);
    expect(isTooDeep(parseSource('c.ts', 'export const x = [[[[1]]]];'))).toBe(false);
  });
});

describe('migrate names a file too deep to read and goes on', () => {
  const app = [
    "const express = require('express');",
    'const app = express();',
    "app.get('/x', (req, res) => res.status(403).end());",
    'module.exports = app;',
    '',
  ].join('\n');
  const files = {
    'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
    'app.js': app,
    // Bundled output beside the server: 6,000 terms, and a 403 of its own.
    'public/bundle.js': `${commas(6000)}var denied = function (res) { res.status(403).end(); };\n`,
    'openapi.yaml': [
      'openapi: 3.1.0',
      'info: { title: t, version: "1" }',
      'paths:',
      '  /x:',
      '    get:',
      '      security: [{ tls: [] }]',
      "      responses: { '403': { description: no } }",
      'components:',
      '  securitySchemes:',
      '    tls: { type: mutualTLS }',
      '',
    ].join('\n'),
  };

  it('plain: the server is rewritten, the deep file is an error of the run (exit 2), no crash', () => {
    const cwd = tempProject(files);
    const run = runCli(['migrate', '.', '--dry-run', '--force'], { cwd });
    expect(run.stderr + run.stdout).not.toMatch(/unexpected error|call stack/i);
    expect(run.stdout + run.stderr).toMatch(/public\/bundle\.js: is nested too deeply for mtls-fix to read/);
    expect(run.stdout).toMatch(/res\.status\(401\)/);
    // Its 403 is counted, not lost: the census reads it as not read, for that reason.
    expect(run.stdout).toMatch(/census 2 occurrences of 403: 1 to rewrite.* 1 not read \(too-deep 1\)/);
    expect(run.code).toBe(2);
  });

  it('--spec: the deep file is named in the coverage among registrations not read', () => {
    const cwd = tempProject(files);
    const run = runCli(['migrate', '.', '--dry-run', '--force', '--spec', 'openapi.yaml'], { cwd });
    expect(run.stderr + run.stdout).not.toMatch(/unexpected error|call stack/i);
    expect(run.stdout).toMatch(/public\/bundle\.js nests too deeply for mtls-fix to read/);
    expect(run.stdout).toMatch(/GET \/x .*1 rewritten/);
  });
});
