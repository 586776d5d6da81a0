import * as fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { extractRouterRoutes } from '../../../src/migrate/routes/graph.js';
import { Project } from '../../../src/migrate/routes/project.js';
import { SPEC_PROJECTS } from '../../helpers/spec-run.js';

// Review of session 42 (rvspec): exegesis, oas3-tools and the a127 runners read their OpenAPI document for their
// routes and read it again for their security checks (security-checks.ts `addDocumentChecks`), and the a127
// runner its config/default.yaml twice (controllers folders, security handlers module): each is parsed once per
// run now (document-files.ts, held by the route graph).
vi.mock('node:fs', async (original) => {
  const actual = await original<typeof fs>();
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) };
});

/** The project's source files, for `new Project`. */
function sources(root: string): { absolute: string; relative: string }[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((relative) => /\.(js|ts)$/.test(relative))
    .map((relative) => ({ absolute: path.join(root, relative), relative }));
}

/** [fixture, the files the library reads (relative to it)]. */
const CASES: [string, string[]][] = [
  ['spellings-security-hooks-exegesis', ['openapi.yaml']],
  ['spellings-security-hooks-oas3-tools', ['api/openapi.yaml']],
  ['spellings-security-hooks-swagger-node/by-module', ['api/swagger/swagger.yaml', 'config/default.yaml']],
  ['spellings-security-hooks-swagger-node/by-option', ['api/swagger/swagger.yaml']],
];

describe('migrate --spec: a library document is parsed once per run', () => {
  it.each(CASES)('%s', (fixture, documents) => {
    const root = path.join(SPEC_PROJECTS, fixture);
    const project = new Project(root, sources(root));
    const read = vi.mocked(fs.readFileSync);
    read.mockClear();
    const routes = extractRouterRoutes(project, new Map());
    // The security checks are there: the document was read for them too.
    expect(routes.some((r) => r.securityCheck)).toBe(true);
    for (const document of documents) {
      const file = path.join(root, document);
      expect(
        read.mock.calls.filter(([f]) => f === file),
        document,
      ).toHaveLength(1);
    }
  });
});
