import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { tempProject } from '../helpers/cli.js';

// breaker33: `const { default: D } = await import('./deny.js')` whose only name a rewrite replaced became
// `const {  } = await import('./deny.js')` (valid, odd): the planner dropped the unused name and only knew how to
// drop a whole `import {…} from` or `const {…} = require(…)`. Now a destructuring of a module load in any spelling
// goes whole (its line too), one declaration among several goes with its comma, and an indented statement that
// goes leaves no indentation behind; a destructuring of anything else keeps its list.
it('an emptied destructuring of a module load goes whole, tidily, in every spelling', async () => {
  const cwd = tempProject({
    'package.json': JSON.stringify({ dependencies: { express: '^5', 'http-status-codes': '^2' } }),
    'src/deny.ts': 'const DENY = 403;\nexport default DENY;\n',
    'src/app.ts': [
      "import express from 'express';",
      'const app = express();',
      "app.get('/a', async (req, res) => {",
      "  const { default: A } = await import('./deny.js');",
      '  res.status(A).end();',
      '});',
      "app.get('/b', async (req, res) => {",
      "  const { default: B } = (await import('./deny.js'));",
      '  res.status(B).end();',
      '});',
      "app.get('/c', async (req, res) => {",
      '  const { default: C } = await import(/* webpackChunkName: "deny" */ \'./deny.js\');',
      '  res.status(C).end();',
      '});',
      "app.get('/d', async (req, res) => {",
      "  const m = 1, { default: D } = await import('./deny.js');",
      '  res.status(D).end(m);',
      '});',
      "app.get('/e', async (req, res) => {",
      "  const { default: E, other } = await import('./deny.js');",
      '  res.status(E).end(other);',
      '});',
      "app.get('/f', async (req, res) => {",
      "  const { FORBIDDEN } = require('http-status-codes').StatusCodes;",
      '  res.status(FORBIDDEN).end();',
      '});',
      'export default app;',
      '',
    ].join('\n'),
  });
  try {
    await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(readFileSync(path.join(cwd, 'src/app.ts'), 'utf8')).toBe(
      [
        "import express from 'express';",
        'const app = express();',
        "app.get('/a', async (req, res) => {",
        '  res.status(401).end();',
        '});',
        "app.get('/b', async (req, res) => {",
        '  res.status(401).end();',
        '});',
        "app.get('/c', async (req, res) => {",
        '  res.status(401).end();',
        '});',
        "app.get('/d', async (req, res) => {",
        '  const m = 1;',
        '  res.status(401).end(m);',
        '});',
        "app.get('/e', async (req, res) => {",
        "  const { other } = await import('./deny.js');",
        '  res.status(401).end(other);',
        '});',
        "app.get('/f', async (req, res) => {",
        '  res.status(401).end();',
        '});',
        'export default app;',
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
