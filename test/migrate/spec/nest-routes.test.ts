import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { excludePattern } from '../../../src/migrate/routes/nest-exclude.js';
import { extractNestRoutes } from '../../../src/migrate/routes/nestjs.js';
import { Project } from '../../../src/migrate/routes/project.js';
import { tempProject } from '../../helpers/cli.js';

const root = path.resolve(import.meta.dirname, '../../fixtures/spec-projects/nest-router');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(dir: string): Project {
  const files: { absolute: string; relative: string }[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts'))
        files.push({ absolute: full, relative: path.relative(dir, full).split(path.sep).join('/') });
    }
  };
  walk(path.join(dir, 'src'));
  return new Project(dir, files);
}

describe('NestJS setGlobalPrefix exclude patterns (path-to-regexp 3.x and 8.x, as Nest tests them)', () => {
  it.each([
    ['health', '/health', true],
    ['health', '/HEALTH/', true],
    ['health', '/health/live', false],
    ['/cats/:id', '/cats/:id', true], // Nest tests the route template: `:id` is a value of the parameter
    ['cats/:id', '/cats', false],
    ['cats/:id?', '/cats', true],
    ['cats/:id(\\d+)', '/cats/12', true],
    ['cats/:id(\\d+)', '/cats/:id', false],
    ['hooks/(.*)', '/hooks/stripe/events', true],
    ['hooks/(.*)', '/hooks', false],
    ['hooks/*', '/hooks/x', true],
    ['hooks/*splat', '/hooks/x/y', true],
    ['hooks/*splat', '/hooks', false],
    ['hooks{/*splat}', '/hooks', true],
    ['hooks{/*splat}', '/hooks/a/b', true],
    ['docs/:p*', '/docs', true],
    ['docs/:p+', '/docs', false],
    ['files/:name.json', '/files/:name.json', true],
    ['files/:name.json', '/files/:namexjson', false],
  ])('%s on %s: %s', (pattern, route, excluded) => {
    expect(excludePattern(pattern)?.test(route)).toBe(excluded);
  });

  it('gives up on a pattern it cannot read', () => {
    expect(excludePattern('cats/(\\d+')).toBeUndefined();
    expect(excludePattern('cats{/:id')).toBeUndefined();
  });
});

describe('NestJS routes under RouterModule paths and the global prefix', () => {
  const routes = extractNestRoutes(project(root));
  const resolved = routes
    .filter((r) => !r.unresolved)
    .map((r) => `${r.method} ${r.path}`)
    .sort();

  it('applies module paths (nested children, bare child modules) and the exclude list', () => {
    expect(resolved).toEqual(
      [
        'GET /api/banking/accounts/:accountId', // children: banking + accounts, routes in an imported const
        'GET /api/banking/accounts/:accountId/statement',
        'DELETE /api/banking/cards/:cardId', // a bare module class among children: the parent's path
        'GET /api/shared/info', // imported by BankingModule, not registered: no module path
        'GET /health', // exclude: 'health'
        'POST /hooks/:provider', // exclude: 'hooks/(.*)'
        'GET /status', // exclude: { path: 'status', method: RequestMethod.GET }
        'POST /api/status', // ... not for POST
      ].sort(),
    );
  });

  it('lists a computed module path (for --mount) and an entry it cannot read (by hand)', () => {
    const unresolved = routes
      .filter((r) => r.unresolved)
      .map((r) => [`${r.method} ${r.path}`, r.mountFile ?? null, r.unreadable ?? false]);
    expect(unresolved).toEqual([
      ['ALL /*', null, true],
      ['GET /items/:id', 'src/legacy/legacy.module.ts', false],
    ]);
  });

  it('takes the module path from --mount when the code computes it', () => {
    const mounted = extractNestRoutes(project(root), new Map([['src/legacy/legacy.module.ts', '/legacy']]));
    expect(
      mounted.filter((r) => r.file.includes('legacy')).map((r) => `${r.path} ${r.unresolved ?? ''}`),
    ).toEqual(['/api/legacy/items/:id ']);
  });
});

describe('NestJS global prefixes the code computes', () => {
  const routesOf = (main: string, mounts = new Map<string, string>()): string[] => {
    const dir = tempProject({
      'src/main.ts': main,
      'src/cats.controller.ts':
        "@Controller('cats')\nexport class CatsController {\n  @Get(':id') find() {}\n}\n",
    });
    temps.push(dir);
    return extractNestRoutes(project(dir), mounts).map(
      (r) => `${r.method} ${r.path}${r.unresolved ? ` unresolved --mount ${r.mountFile ?? ''}` : ''}`,
    );
  };

  it('reads an unknown substitution inside one segment as a parameter', () => {
    expect(routesOf('app.setGlobalPrefix(`api/v${process.env.VERSION}`);')).toEqual([
      'GET /api/:VERSION/cats/:id',
    ]);
    expect(routesOf("const V = '2';\napp.setGlobalPrefix(`api/v${V}`);")).toEqual(['GET /api/v2/cats/:id']);
  });

  it('lists routes under a prefix it cannot place, and takes it from --mount', () => {
    expect(routesOf('app.setGlobalPrefix(`${process.env.BASE}/api`);')).toEqual([
      'GET /cats/:id unresolved --mount src/main.ts',
    ]);
    expect(routesOf('app.setGlobalPrefix(config.prefix);')).toEqual([
      'GET /cats/:id unresolved --mount src/main.ts',
    ]);
    expect(routesOf('app.setGlobalPrefix(config.prefix);', new Map([['src/main.ts', '/edge']]))).toEqual([
      'GET /edge/cats/:id',
    ]);
  });
});

describe('NestJS route paths held in constants', () => {
  const routesOf = (files: Record<string, string>): string[] => {
    const dir = tempProject(files);
    temps.push(dir);
    return extractNestRoutes(project(dir)).map(
      (r) => `${r.method} ${r.path}${r.unreadable ? ' (by hand)' : ''}`,
    );
  };

  it('reads members of const objects and string enums, also imported', () => {
    expect(
      routesOf({
        'src/routes.ts':
          "export const ROUTES = { users: { root: 'users', byId: ':id' } } as const;\nexport enum Paths { Me = 'me' }\n",
        'src/users.controller.ts':
          "import { ROUTES, Paths } from './routes';\n@Controller(ROUTES.users.root)\nexport class UsersController {\n  @Get(ROUTES['users'].byId) one() {}\n  @Get(Paths.Me) me() {}\n}\n",
      }),
    ).toEqual(['GET /users/:id', 'GET /users/me']);
  });

  it('lists a path it cannot read for review by hand, never guessing it', () => {
    expect(
      routesOf({
        'src/users.controller.ts':
          "@Controller(config.usersPath)\nexport class UsersController {\n  @Get(':id') one() {}\n}\n@Controller('cards')\nexport class CardsController {\n  @Get(pathFor('card')) one() {}\n}\n",
      }),
    ).toEqual(['GET /*/:id (by hand)', 'GET /cards/* (by hand)']);
  });
});
