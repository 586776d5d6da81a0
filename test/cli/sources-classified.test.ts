import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// On the sources thread (src/migrate/sources.ts), discovery is posted before the files are read: each file's
// test flag is by name and folder until the thread has read every text, then the test-folder rules
// (test-folders.ts) turn some (`classified`) and the engine settles those files (engine.ts `final`). The run
// must end exactly as the in-place run (MTLS_FIX_SOURCES_WORKER=never), which classifies before analysing.

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
  // A production controller in a test-named folder, imported by a source: a source (promoted).
  'src/app.ts': [
    "import express from 'express';",
    "import { testController } from './test/test.controller';",
    "import { wrap } from './support/used-helper';",
    'const app = express();',
    "app.get('/a', wrap((req, res) => res.status(403).json({ error: 'forbidden' })));",
    "app.get('/t', testController);",
    'export default app;',
    '',
  ].join('\n'),
  'src/test/test.controller.ts': [
    "import type { Request, Response } from 'express';",
    'export const testController = (req: Request, res: Response) => res.sendStatus(403);',
    '',
  ].join('\n'),
  // In a test folder below src/, no test code, imported by nothing: scanned, its site reported by hand (unproven).
  'src/test/fixtures.ts':
    "import { Response } from 'express';\nexport const deny = (res: Response) => res.sendStatus(403);\n",
  // Imports a test library and no source imports it: test support code (demoted).
  'src/support/expect-forbidden.ts': [
    "import { expect } from 'vitest';",
    "import request from 'supertest';",
    "import app from '../app';",
    'export const expectForbidden = async (url: string) => { const res = await request(app).get(url); expect(res.status).toBe(403); };',
    '',
  ].join('\n'),
  // Imports a test library, but a source imports it: stays a source.
  'src/support/used-helper.ts': [
    "import { expect } from 'chai';",
    "import type { RequestHandler } from 'express';",
    'export const wrap = (h: RequestHandler): RequestHandler => (req, res, next) => { expect(req).to.exist; h(req, res, next); };',
    "export const refuse: RequestHandler = (req, res) => { res.status(403).send('no'); };",
    '',
  ].join('\n'),
  'src/app.test.ts': [
    "import request from 'supertest';",
    "import app from './app';",
    "it('denies', async () => { await request(app).get('/a').expect(403); });",
    '',
  ].join('\n'),
  'openapi.yaml': [
    'openapi: 3.1.0',
    'info: { title: t, version: 1.0.0 }',
    'security: [{ cert: [] }]',
    'paths:',
    '  /a:',
    "    get: { responses: { '200': { description: ok }, '403': { description: no } } }",
    '  /t:',
    "    get: { responses: { '200': { description: ok }, '403': { description: no } } }",
    'components:',
    '  securitySchemes:',
    '    cert: { type: mutualTLS }',
    '',
  ].join('\n'),
};

interface Report {
  summary: { filesScanned: number; filesParsed: number; rewritten: number };
  skipped: Record<string, number>;
  sites: { file: string; kind: string; action: string }[];
}

const RUNS: [string, string[]][] = [
  ['plain', []],
  ['tests included', ['--include-tests']],
  ['--spec', ['--spec', 'openapi.yaml']],
  ['--spec, tests included', ['--spec', 'openapi.yaml', '--include-tests']],
];

describe('test flags settled after the sources thread has read every file', () => {
  it.each(RUNS)('%s: the same report as classifying first, in place', async (_, extra) => {
    const outputs: string[] = [];
    const envs: Record<string, string>[] = [{}, { MTLS_FIX_SOURCES_WORKER: 'never' }];
    for (const env of envs) {
      const cwd = tempProject(FILES);
      const run = await runCliAsync(['migrate', '--dry-run', '--json', ...extra], {
        cwd,
        env: { CI: '1', ...env },
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      outputs.push(run.stdout);
    }
    expect(outputs[0]).toBe(outputs[1]);
    const report = JSON.parse(outputs[0]) as Report;
    const files = new Set(report.sites.map((s) => s.file));
    // Promoted: the controller in src/test/ is a source, rewritten whether tests are included or not.
    expect(files).toContain('src/test/test.controller.ts');
    // Not demoted: a source imports it (under --spec its `refuse` is on no route, so out of scope).
    if (!extra.includes('--spec')) expect(files).toContain('src/support/used-helper.ts');
    if (extra.includes('--include-tests')) {
      expect(files).toContain('src/support/expect-forbidden.ts');
    } else {
      // Demoted: the vitest helper is a test, skipped with the other tests (and counted with them).
      expect(files).not.toContain('src/support/expect-forbidden.ts');
      // Unproven: named by hand in a plain run; under --spec on no route, so out of scope.
      const fixture = report.sites.filter((s) => s.file === 'src/test/fixtures.ts').map((s) => s.action);
      expect(fixture).toEqual(extra.includes('--spec') ? [] : ['manual']);
      expect(report.skipped.test).toBe(2);
    }
  });
});

describe('migrate --debug', () => {
  it('prints when each phase ended, in order, on stderr (the report on stdout unchanged)', async () => {
    const cwd = tempProject(FILES);
    const plain = await runCliAsync(['migrate', '--dry-run', '--json'], { cwd, env: { CI: '1' } });
    const run = await runCliAsync(['migrate', '--dry-run', '--json', '--debug', '--spec', 'openapi.yaml'], {
      cwd,
      env: { CI: '1' },
    });
    expect(run.code).toBe(0);
    const marks = [...run.stderr.matchAll(/^mtls-fix: debug: (\S+) done at (\d+) ms$/gm)];
    expect(marks.length).toBe(run.stderr.trim().split('\n').length);
    const phases = marks.map((m) => m[1]);
    for (const phase of [
      'migrate/loaded',
      'migrate/discovery',
      'migrate/analysis',
      'spec/routes',
      'migrate/report',
    ])
      expect(phases).toContain(phase);
    const times = marks.map((m) => Number(m[2]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(phases.indexOf('migrate/discovery')).toBeLessThan(phases.indexOf('spec/routes'));
    expect(plain.stderr).toBe('');
  });
});
