import * as fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { tempProject } from '../helpers/cli.js';

// Review of session 39 (rv39-remaps): a file with no 403 form that registers a remap (server.js's
// `app.use(tokenErrors)`) was read again from disk by remaps-covered.ts `readOthers` though the run held its
// text, and, when the run held none (the reading thread keeps no text of a file with no 403 form), read once more
// for the analysis aside it was handed to. It is read once now: the run's text, or one read handed on.
vi.mock('node:fs', async (original) => {
  const actual = await original<typeof fs>();
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) };
});

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('a file with no 403 form that registers a remap is read once', async () => {
  const cwd = tempProject({
    'package.json': JSON.stringify({ dependencies: { express: '4', csurf: '1' } }),
    'server.js': `const express = require('express');
const { tokenErrors } = require('./errors');
const app = express();
app.use(require('./routes'));
app.use(tokenErrors);
app.listen(3000);
`,
    'errors.js': `exports.tokenErrors = function (err, req, res, next) {
  if (err.code !== 'EBADCSRFTOKEN') return next(err);
  res.status(401).send('form tampered with');
};
`,
    'routes.js': `const router = require('express').Router();
router.use(require('csurf')());
router.post('/x', (req, res) => res.send('ok'));
module.exports = router;
`,
  });
  temps.push(cwd);
  const read = vi.mocked(fs.readFileSync);
  read.mockClear();
  const { report } = await migrate({ cwd, status: 401, mode: 'check' });
  expect(report.sites.filter((s) => s.action === 'ignored').map((s) => `${s.file}:${s.line}`)).toEqual([
    'routes.js:2',
  ]);
  const server = path.join(cwd, 'server.js');
  expect(read.mock.calls.filter(([file]) => file === server)).toHaveLength(1);
});
