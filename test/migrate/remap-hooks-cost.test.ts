import { describe, expect, it } from 'vitest';
import type { ImportLink } from '../../src/migrate/analysis/types.js';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { parseSource } from '../../src/migrate/parse.js';
import { codeRemaps } from '../../src/migrate/remaps-hooks.js';
import { analyzeSource } from '../../src/migrate/transform.js';
import { countKindReads } from '../helpers/statement-reads.js';

// Review of session 37's remaps (rev-remaps): every run reads each analysed file's hook registrations for remaps
// (remaps-covered.ts), and a hook passed by name (`app.use(mw1)`) is looked up among the file's locals
// (remaps-handlers.ts). The lookup walked the whole file once per registration, so a file of many `app.use(name)`
// lines cost the square of its size (2,000 of them: 21 s). The work is counted as reads of the top-level
// statements' `kind`, which every walk over the file makes: twice the registrations must cost about twice the reads.

/** The analysis of `text` as app.js, a non-test file, its imports followed through `link` when given. */
function analyzeApp(text: string, link?: ImportLink) {
  return analyzeSource('app.js', text, { target: 401, frameworks: () => FRAMEWORKS, testFile: false, link });
}

/** An Express app of `count` local middlewares, each answering 403, registered by name. */
function source(count: number): string {
  const lines = ["const express = require('express');", 'const app = express();'];
  for (let i = 0; i < count; i++)
    lines.push(
      `const mw${i} = (req, res, next) => { if (req.x${i}) return res.status(403).end(); next(); };`,
    );
  for (let i = 0; i < count; i++) lines.push(`app.use(mw${i});`);
  return `${lines.join('\n')}\n`;
}

/** Reads of the top-level statements' `kind` while the file's remaps are read (the analysis before is not counted). */
function statementReads(count: number): number {
  const analysis = analyzeApp(source(count));
  const reads = countKindReads(analysis.sourceFile.statements);
  codeRemaps(analysis);
  return reads.reads;
}

describe('a file of many hook registrations passed by name', () => {
  it('costs reads in proportion to its registrations', () => {
    const few = statementReads(150);
    const many = statementReads(300);
    expect(few).toBeGreaterThan(0);
    expect(many / few).toBeLessThan(2.5);
  });

  it('still reads a remap passed by name among them', () => {
    const text = `${source(3)}const errors = (err, req, res, next) => { if (err.status === 403) return res.status(401).end(); next(err); };\napp.use(errors);\n`;
    const analysis = analyzeApp(text);
    expect(codeRemaps(analysis).map((r) => [r.how, r.status, r.via])).toEqual([
      ['error middleware', 401, 'errors (app.js:9)'],
    ]);
  });
});

// The same, for middlewares another file declares (`import { mw0, … } from './mw'`, `app.use(mw0)`, …): each lookup
// read the declaring file's imports and then its exports by walking all its statements, so a module of many
// middlewares registered one by one cost the square of its size too.

/** A module of `count` exported middlewares, each answering 403, and an app that imports and registers each. */
function importedSources(count: number): { app: string; mw: string } {
  const names = Array.from({ length: count }, (_, i) => `mw${i}`);
  const mw = names
    .map(
      (n, i) =>
        `export const ${n} = (req, res, next) => { if (req.x${i}) return res.status(403).end(); next(); };`,
    )
    .join('\n');
  const app = [
    `import express from 'express';`,
    `import { ${names.join(', ')} } from './mw';`,
    'const app = express();',
    ...names.map((n) => `app.use(${n});`),
  ].join('\n');
  return { app: `${app}\n`, mw: `${mw}\n` };
}

/** Reads of the declaring module's top-level statements' `kind` while the app's remaps are read. */
function importedStatementReads(count: number): number {
  const { app, mw } = importedSources(count);
  const mwFile = parseSource('mw.js', mw);
  const link: ImportLink = {
    constant: () => undefined,
    member: () => undefined,
    classStatus: () => undefined,
    declaration: (binding) =>
      binding.module === './mw'
        ? { file: '/p/mw.js', name: binding.name, sourceFile: mwFile, link }
        : undefined,
  };
  const analysis = analyzeApp(app, link);
  const reads = countKindReads(mwFile.statements);
  codeRemaps(analysis);
  return reads.reads;
}

describe('an app registering many middlewares another module declares', () => {
  it('costs reads in proportion to its registrations', () => {
    const few = importedStatementReads(150);
    const many = importedStatementReads(300);
    expect(few).toBeGreaterThan(0);
    expect(many / few).toBeLessThan(2.5);
  });
});
