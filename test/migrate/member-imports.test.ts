import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A helper class taken from a whole module under a name (kutt: `const utils = require('../utils'); const
// CustomError = utils.CustomError; throw new CustomError(m, 403)`): on 433619b the call was an unknown shape
// (manual) while the class's helper report said literal 403s were rewritten; now the call is rewritten.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const errors =
  'class CustomError extends Error {\n  constructor(message, statusCode) {\n    super(message);\n    this.statusCode = statusCode ?? 500;\n  }\n}\nmodule.exports = { CustomError };\n';

it.each([
  [
    'a member taken by name',
    "const utils = require('../lib/errors');\nconst CustomError = utils.CustomError;\n",
  ],
  [
    'a member taken by key',
    "const utils = require('../lib/errors');\nconst CustomError = utils['CustomError'];\n",
  ],
  [
    'a whole module destructured',
    "const utils = require('../lib/errors');\nconst { CustomError } = utils;\n",
  ],
  [
    'an ES namespace member',
    "import * as utils from '../lib/errors';\nconst CustomError = utils.CustomError;\n",
  ],
])('%s', async (_name, head) => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-mi-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  mkdirSync(path.join(cwd, 'lib'));
  mkdirSync(path.join(cwd, 'handlers'));
  writeFileSync(path.join(cwd, 'lib/errors.js'), errors);
  writeFileSync(
    path.join(cwd, 'handlers/auth.js'),
    `${head}exports.deny = () => {\n  throw new CustomError('banned', 403);\n};\n`,
  );
  const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
  expect(report.sites.map((s) => `${s.file}:${s.line} ${s.action}`)).toEqual([
    'handlers/auth.js:4 would-rewrite',
    'lib/errors.js:4 manual',
  ]);
});
