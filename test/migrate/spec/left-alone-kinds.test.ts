import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

// Session 38 (trial of automatisch @ 41f3c56a): the census counts written 403s ("3 outside --spec") while the
// coverage list of sites left alone also holds statuses read from a variable, which a run without --spec names for
// review ("left alone: 8"). The two figures disagreed with no word why; each left-alone site now says what a plain
// run does with it, and the count says how it splits.

const DOC = `openapi: 3.0.3
info: { title: t, version: '1' }
servers: [{ url: 'https://api.example.com' }]
components:
  securitySchemes:
    mtls: { type: mutualTLS }
paths:
  /private:
    get:
      security: [{ mtls: [] }]
      responses: { '200': { description: ok }, '403': { description: no } }
  /public:
    get:
      responses: { '200': { description: ok }, '403': { description: no } }
`;

const APP = `import express from 'express';
const app = express();
app.get('/private', (req, res) => {
  if (!req.user) return res.status(403).end();
  res.json({});
});
app.get('/public', (req, res) => {
  if (!req.user) return res.status(403).end();
  const { status } = req.body;
  res.status(status).end();
});
export default app;
`;

describe('migrate --spec: the sites left alone say what a plain run does with each', () => {
  it('splits the count and tags the sites a plain run names for review (human and --json)', async () => {
    const dir = tempProject({ 'openapi.yaml': DOC, 'src/app.ts': APP });
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const json = await runCliAsync(['migrate', '--json', '--spec', 'openapi.yaml', '--dry-run'], {
      cwd: dir,
    });
    const report = JSON.parse(json.stdout) as {
      census: { outOfScope?: number };
      coverage: { notReached: number; leftAlone: { file: string; line: number; kind: string }[] };
    };
    expect(report.coverage.leftAlone).toEqual([
      expect.objectContaining({ file: 'src/app.ts', line: 8, kind: 'rewrite' }),
      expect.objectContaining({ file: 'src/app.ts', line: 10, kind: 'manual' }),
    ]);
    const human = await runCliAsync(['migrate', '--spec', 'openapi.yaml', '--dry-run'], { cwd: dir });
    expect(human.stdout).toContain(
      '403 sites no mTLS operation reaches (left alone): 2 (1 a run without --spec would rewrite, 1 it would name for review)',
    );
    expect(human.stdout).toContain('src/app.ts:10  manual  res.status(status)');
    expect(human.stdout).toMatch(/src\/app\.ts:8 {2}res\.status\(403\)/);
  });
});
