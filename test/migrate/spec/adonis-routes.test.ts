import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../../helpers/cli.js';
import type { SpecCoverage } from '../../../src/migrate/types.js';

// End-to-end (spawns bin/run.js; `npm test` builds first): AdonisJS routes under --spec (session 49). mtls-fix
// does not read them; before, a route naming its controller was dropped without a word and one with a function
// handler was listed as an untraced Express route. Each registration is now named, once.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DOCUMENT = [
  'openapi: 3.0.3',
  "info: { title: t, version: '1' }",
  'components: { securitySchemes: { mtls: { type: mutualTLS } } }',
  'security: [ { mtls: [] } ]',
  'paths:',
  "  /api/docs/{id}: { get: { responses: { '200': { description: ok } } } }",
  '',
].join('\n');

function unresolvedOf(files: Record<string, string>): { coverage: SpecCoverage; human: string } {
  const dir = tempProject({
    'package.json': JSON.stringify({ dependencies: { '@adonisjs/core': '*' } }),
    'openapi.yaml': DOCUMENT,
    ...files,
  });
  temps.push(dir);
  const args = ['migrate', '.', '--spec', 'openapi.yaml', '--dry-run'];
  const json = runCli([...args, '--json'], { cwd: dir });
  const human = runCli(args, { cwd: dir });
  return { coverage: (JSON.parse(json.stdout) as { coverage: SpecCoverage }).coverage, human: human.stdout };
}

const CONTROLLER = [
  "import type { HttpContext } from '@adonisjs/core/http';",
  'export default class DocsController {',
  '  async show({ response }: HttpContext) {',
  "    return response.forbidden('no');",
  '  }',
  '}',
  '',
].join('\n');

describe('--spec coverage: AdonisJS routes are named, not dropped', () => {
  it('AdonisJS 6: string, array and function handlers, inside a group, one entry each', () => {
    const { coverage, human } = unresolvedOf({
      'app/controllers/docs_controller.ts': CONTROLLER,
      'start/routes.ts': [
        "import router from '@adonisjs/core/services/router';",
        "const DocsController = () => import('#controllers/docs_controller');",
        'router',
        '  .group(() => {',
        "    router.get('docs/:id', [DocsController, 'show']);",
        "    router.delete('docs/:id', '#controllers/docs_controller.destroy');",
        '  })',
        "  .prefix('/api');",
        "router.get('/health', async () => ({ ok: true }));",
        "router.resource('posts', DocsController);",
        '',
      ].join('\n'),
    });
    const adonis = coverage.unresolved.filter((u) => u.file === 'start/routes.ts');
    expect(adonis.map((u) => [u.line, u.method, u.path, u.framework])).toEqual([
      [5, 'GET', '/docs/:id', 'adonis'],
      [6, 'DELETE', '/docs/:id', 'adonis'],
      [9, 'GET', '/health', 'adonis'],
      [10, 'ALL', '/posts', 'adonis'],
    ]);
    for (const u of adonis) {
      expect(u.byHand).toBe(true);
      expect(u.reason).toMatch(/AdonisJS route .*which mtls-fix does not read/);
    }
    expect(human).toContain("an AdonisJS route (get, handler [DocsController, 'show'])");
  });

  it("AdonisJS 5 (@ioc:Adonis/Core/Route) and AdonisJS 4 (use('Route'))", () => {
    const { coverage } = unresolvedOf({
      'start/routes.ts': [
        "import Route from '@ioc:Adonis/Core/Route';",
        "Route.get('/api/docs/:id', 'DocsController.show');",
        '',
      ].join('\n'),
      'legacy/routes.js': [
        "const Route = use('Route');",
        "Route.post('docs', 'DocsController.store');",
        '',
      ].join('\n'),
    });
    const entries = coverage.unresolved
      .filter((u) => u.framework === 'adonis')
      .map((u) => [u.file, u.line, u.method, u.path]);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['start/routes.ts', 2, 'GET', '/api/docs/:id'],
        ['legacy/routes.js', 2, 'POST', '/docs'],
      ]),
    );
    expect(entries).toHaveLength(2);
  });
});
