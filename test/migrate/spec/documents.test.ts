import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

/**
 * Issue 14 §5: `migrate --spec` with several documents. A handler or route shared by an mTLS operation of one
 * document and a public operation of another is not rewritten; the reason names both documents.
 */
const PARTNER =
  "openapi: 3.1.0\ninfo: {title: partner, version: '1'}\nx-mtls: true\npaths:\n" +
  "  /status: {get: {responses: {'200': {description: ok}}}}\n" +
  "  /partner/only: {get: {responses: {'200': {description: ok}}}}\n" +
  "  /partner/check: {get: {responses: {'200': {description: ok}}}}\n";

const PUBLIC =
  "openapi: 3.1.0\ninfo: {title: public, version: '1'}\npaths:\n" +
  "  /status: {get: {responses: {'200': {description: ok}}}}\n" +
  "  /health: {get: {responses: {'200': {description: ok}}}}\n";

const APP = `import express from 'express';
const app = express();
function deny(res: express.Response) {
  res.status(403).send('no');
}
app.get('/status', (req, res) => {
  res.status(403).send('x');
});
app.get('/partner/only', (req, res) => {
  res.status(403).end();
});
app.get('/health', (req, res) => deny(res));
app.get('/partner/check', (req, res) => deny(res));
export default app;
`;

interface Site {
  line: number;
  action: string;
  operation: string | null;
  reason: string | null;
}

async function sites(files: Record<string, string>, specs: string[]): Promise<Site[]> {
  const folder = tempProject({
    'package.json': '{"name":"x","dependencies":{"express":"4"}}',
    'src/app.ts': APP,
    ...files,
  });
  const args = [
    'migrate',
    ...specs.flatMap((spec) => ['--spec', spec]),
    '--json',
    '--dry-run',
    '--force',
    '.',
  ];
  const run = await runCliAsync(args, { cwd: folder });
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { sites: Site[] };
  return report.sites.map(({ line, action, operation, reason }) => ({ line, action, operation, reason }));
}

describe('migrate --spec with several documents (issue 14 §5)', () => {
  it('a route and a helper shared with a public document are manual, naming both documents', async () => {
    const found = await sites({ 'partner-api.yaml': PARTNER, 'public-api.yaml': PUBLIC }, [
      'partner-api.yaml',
      'public-api.yaml',
    ]);
    expect(found).toEqual([
      {
        line: 4,
        action: 'manual',
        operation: 'GET /partner/check of partner-api.yaml',
        reason: expect.stringContaining(
          'Shared by mTLS GET /partner/check of partner-api.yaml (src/app.ts:13) and non-mTLS GET /health of public-api.yaml',
        ) as unknown,
      },
      {
        line: 7,
        action: 'manual',
        operation: 'GET /status of partner-api.yaml',
        reason: expect.stringContaining(
          'Shared by mTLS GET /status of partner-api.yaml (src/app.ts:6) and non-mTLS GET /status of public-api.yaml',
        ) as unknown,
      },
      { line: 10, action: 'would-rewrite', operation: 'GET /partner/only of partner-api.yaml', reason: null },
    ]);
  }, 180_000);

  it('the same route in two mTLS documents is rewritten (every reader is migrated)', async () => {
    const found = await sites(
      { 'partner-api.yaml': PARTNER, 'other-api.yaml': PUBLIC.replace('paths:', 'x-mtls: true\npaths:') },
      ['partner-api.yaml', 'other-api.yaml'],
    );
    expect(found.map((site) => [site.line, site.action])).toEqual([
      [4, 'would-rewrite'],
      [7, 'would-rewrite'],
      [10, 'would-rewrite'],
    ]);
  }, 180_000);

  it('coverage counts the sites of an operation two documents share under each document (session 11: tyk-fapi)', async () => {
    const folder = tempProject({
      'package.json': '{"name":"x","dependencies":{"express":"4"}}',
      'src/app.ts': APP,
      'partner-api.yaml': PARTNER,
      'other-api.yaml': PUBLIC.replace('paths:', 'x-mtls: true\npaths:'),
    });
    const run = await runCliAsync(
      [
        'migrate',
        '--spec',
        'partner-api.yaml',
        '--spec',
        'other-api.yaml',
        '--json',
        '--dry-run',
        '--force',
        '.',
      ],
      { cwd: folder },
    );
    const report = JSON.parse(run.stdout) as {
      coverage: { handled: { operation: string; rewritten: number }[] };
    };
    // GET /status is in both documents; its one site was counted under neither (0 and 0) before.
    expect(
      report.coverage.handled
        .filter((entry) => entry.operation === 'GET /status')
        .map((entry) => entry.rewritten),
    ).toEqual([1, 1]);
  }, 180_000);
});
