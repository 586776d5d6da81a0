import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';

// A monorepo's browser app (its own package.json with a UI framework and no server framework) is not a route
// source for --spec: its files are not walked for routes (nor read by the skeleton thread), so a route-shaped
// call in a frontend mock does not count as a code route, while the server package's routes do.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DOCUMENT = [
  'openapi: 3.1.0',
  'info: { title: t, version: "1" }',
  'paths:',
  '  /items:',
  '    get:',
  "      responses: { '200': { description: ok } }",
  '',
].join('\n');

const SERVER = [
  "import express from 'express';",
  'const app = express();',
  "app.get('/items', (req, res) => res.status(403).json({ error: 'forbidden' }));",
  'export default app;',
  '',
].join('\n');

// A dev-server mock inside the frontend, spelled like Express.
const FRONTEND_MOCK = [
  "import { Router } from 'express';",
  'export const mocks = Router();',
  "mocks.get('/mock-only', (req, res) => res.json([]));",
  '',
].join('\n');

function monorepo(frontendDependencies: Record<string, string>): string {
  const dir = tempProject({
    'package.json': JSON.stringify({ private: true, workspaces: ['server', 'web'] }),
    'openapi.yaml': DOCUMENT,
    'server/package.json': JSON.stringify({ dependencies: { express: '^4' } }),
    'server/app.ts': SERVER,
    'web/package.json': JSON.stringify({ dependencies: frontendDependencies }),
    'web/src/mocks.ts': FRONTEND_MOCK,
    'web/src/App.tsx': 'export const App = () => <main>items</main>;\n',
  });
  temps.push(dir);
  return dir;
}

interface Report {
  summary: { rewritten: number };
  coverage: { codeRoutes: number };
}

function run(dir: string): Report {
  const result = runCli(['migrate', '--spec', 'openapi.yaml', '--mtls-everywhere', '--json', '--dry-run'], {
    cwd: dir,
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

describe('--spec in a monorepo with a browser app', () => {
  it('reads routes from the server package only when the frontend is a React app', () => {
    const report = run(monorepo({ react: '^19', 'react-dom': '^19', 'react-router': '^7' }));
    expect(report.coverage.codeRoutes).toBe(1);
    expect(report.summary.rewritten).toBe(1);
  });

  it('still reads a package that renders on a server (Next.js) as a route source', () => {
    const report = run(monorepo({ react: '^19', next: '^15' }));
    expect(report.coverage.codeRoutes).toBe(2);
    expect(report.summary.rewritten).toBe(1);
  });
});
