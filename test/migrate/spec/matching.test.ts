import { describe, expect, it } from 'vitest';
import { matchRoutes, type SpecOperation } from '../../../src/migrate/routes/match.js';
import type { CodeRoute } from '../../../src/migrate/routes/model.js';
import { RouteIndex } from '../../../src/migrate/routes/route-index.js';
import {
  compareSegments,
  joinPaths,
  parseCodePath,
  parseSpecPath,
  serverBasePath,
} from '../../../src/migrate/routes/paths.js';

function route(method: string, path: string, syntax: CodeRoute['syntax'] = 'colon'): CodeRoute {
  return { framework: 'x', method, path, syntax, file: 'a.ts', line: 1, handlers: [] };
}

function operation(method: string, path: string, base = '', mtls = true): SpecOperation {
  const segments = parseSpecPath(path);
  const variants = base ? [{ segments: [...parseSpecPath(base), ...segments], viaBase: true }] : [];
  return {
    name: `${method} ${path}`,
    method,
    variants: [...variants, { segments, viaBase: false }],
    mtls,
    source: 'openapi.yaml',
  };
}

describe('route paths', () => {
  it.each([
    ['/users/:id', 'colon', ['users/{}']],
    ['/users/:id?', 'colon', ['users/{}', 'users']],
    ['/users{/:id}', 'colon', ['users/{}', 'users']],
    ['/files/:name.:ext', 'colon', ['files/{}.{}']],
    ['/items/:id(\\d+)', 'colon', ['items/{}']],
    ['/repos/:path([^/]*)', 'colon', ['repos/{}']],
    ['/compare/:base([^/]*)...:head([^/]*)', 'colon', ['compare/{}...{}']],
    ['/items/:id{[0-9]+}', 'colon', ['items/{}']],
    ['/static/*', 'colon', ['static/**']],
    ['/docs/:slug+', 'colon', ['docs/**']],
    ['/docs/:slug*', 'colon', ['docs/**?']],
    ['/a::b', 'colon', ['a:b']],
    ['/users/{id}', 'hapi', ['users/{}']],
    ['/users/{id?}', 'hapi', ['users/{}', 'users']],
    ['/files/{path*}', 'hapi', ['files/**?']],
    ['/Users/ME', 'colon', ['users/me']],
    // Express 4 passes groups on as regex: an assertion group matches no characters (juice-shop's ftp route).
    ['/ftp(?!/quarantine)/:file', 'colon', ['ftp/{}']],
    ['/(?=v)v1/:id', 'colon', ['v1/{}']],
    ['/x/(?<!y)(?!z)/:id', 'colon', ['x/{}']],
    // A parameter whose regex spans `/` in some alternatives (cnpmcore's npm names, scoped or not): a request for
    // `/@cnpm/foo/syncs` and the document's `/{fullname}/syncs` both fit.
    // A parameter keeps the literal it starts with: `/v1/hooks/syncs` is no scoped name.
    ['/:fullname(@[^/]{1,220}/[^/]{1,220}|[^@/]{1,220})/syncs', 'colon', ['@{}/{}/syncs', '{}/syncs']],
    ['/:p(a/b)', 'colon', ['a/b']],
    ['/:p(a/+b)', 'colon', ['{}']], // a quantified `/`: not a fixed count
  ] as const)('%s (%s)', (path, syntax, expected) => {
    expect(parseCodePath(path, syntax).map((s) => s.join('/'))).toEqual(expected);
  });

  it('matches a segment mixing literals and parameters against the literal a request spells', () => {
    const [scoped, plain] = parseCodePath('/:fullname(@[^/]+/[^/]+|[^@/]+)/syncs', 'colon');
    expect(compareSegments(scoped ?? [], ['@cnpm', 'banana', 'syncs'])).toEqual([1, 1, 0]);
    expect(compareSegments(scoped ?? [], ['v1', 'hooks', 'syncs'])).toBeUndefined();
    expect(compareSegments(plain ?? [], ['banana', 'syncs'])).toEqual([1, 0]);
    expect(compareSegments(['files', '{}.{}'], ['files', 'a.txt'])).toEqual([0, 1]);
    expect(compareSegments(['files', '{}.{}'], ['files', 'readme'])).toBeUndefined();
  });

  it('joins prefixes with one slash and no trailing slash', () => {
    expect(joinPaths('/api/', '', '/v1', 'users/')).toBe('/api/v1/users');
    expect(joinPaths('', '/')).toBe('/');
    // The spelling it replaced (filter, strip with a regular expression, join), on every mix of slashes.
    const reference = (...parts: string[]): string =>
      `/${parts
        .filter((p) => p !== '' && p !== '/')
        .map((p) => p.replace(/^\/+|\/+$/g, ''))
        .filter(Boolean)
        .join('/')}`;
    const pieces = ['', '/', '//', 'a', '/a', 'a/', '//a//', 'a/b', '/a//b/', ':id', '*', '/{x}/'];
    for (const a of pieces)
      for (const b of pieces) {
        expect(joinPaths(a, b), `${a} + ${b}`).toBe(reference(a, b));
        expect(joinPaths(a, 'c', b), `${a} + c + ${b}`).toBe(reference(a, 'c', b));
      }
    expect(joinPaths()).toBe('/');
  });

  it('takes the path part of server URLs', () => {
    expect(serverBasePath('https://{env}.example.com/api/v1')).toBe('/api/v1');
    expect(serverBasePath('/relative')).toBe('/relative');
    expect(serverBasePath('https://example.com')).toBe('/');
  });
});

describe('matching code routes to operations', () => {
  it('ignores parameter names and tries the path with and without the server base', () => {
    const withBase = route('GET', '/api/v1/users/:userId');
    const stripped = route('GET', '/v2/users/:userId');
    const ops = [operation('GET', '/v1/users/{id}', '/api'), operation('GET', '/v2/users/{id}', '/api')];
    const result = matchRoutes([withBase, stripped], ops);
    expect(result.byRoute.get(withBase)?.map((m) => [m.operation.name, m.viaBase])).toEqual([
      ['GET /v1/users/{id}', true],
    ]);
    expect(result.byRoute.get(stripped)?.map((m) => [m.operation.name, m.viaBase])).toEqual([
      ['GET /v2/users/{id}', false],
    ]);
  });

  it('prefers static over parameter over wildcard, and leaves unpicked routes unmatched', () => {
    const me = route('GET', '/users/me');
    const byId = route('GET', '/users/:id');
    const any = route('ALL', '*');
    const result = matchRoutes(
      [me, byId, any],
      [operation('GET', '/users/{id}'), operation('GET', '/users/me')],
    );
    expect(result.byOperation.get([...result.byOperation.keys()][0])).toEqual([byId]);
    expect(result.byRoute.get(me)?.map((m) => m.operation.name)).toEqual(['GET /users/me']);
    expect(result.byRoute.has(any)).toBe(false);
  });

  it('lets a GET answer HEAD and ALL answer anything, but prefers the exact method', () => {
    const get = route('GET', '/a');
    const all = route('ALL', '/b');
    const result = matchRoutes(
      [get, all],
      [operation('HEAD', '/a'), operation('POST', '/b'), operation('POST', '/a')],
    );
    expect(result.byRoute.get(get)?.map((m) => m.operation.name)).toEqual(['HEAD /a']);
    expect(result.byRoute.get(all)?.map((m) => m.operation.name)).toEqual(['POST /b']);
  });

  it('keeps the same path registered twice as two handlers, not an ambiguity', () => {
    const first = route('GET', '/a/:x');
    const second = route('GET', '/a/{x}', 'hapi');
    const result = matchRoutes([first, second], [operation('GET', '/a/{id}')]);
    expect(result.ambiguous).toEqual([]);
    expect([...result.byOperation.values()][0]).toEqual([first, second]);
  });

  it('ranks segment by segment: a literal earlier wins, mixed literals beat parameters', () => {
    const early = route('GET', '/a/b/:y');
    const late = route('GET', '/a/:x/c');
    expect([...matchRoutes([late, early], [operation('GET', '/a/b/c')]).byOperation.values()][0]).toEqual([
      early,
    ]);
    const json = route('GET', '/f/:n.json');
    const any = route('GET', '/f/:n.:e');
    expect([...matchRoutes([any, json], [operation('GET', '/f/{n}.json')]).byOperation.values()][0]).toEqual([
      json,
    ]);
  });

  it('marks a route that answers two operations the spec spells twice as ambiguous', () => {
    const byId = route('GET', '/users/:id');
    const result = matchRoutes(
      [byId],
      [operation('GET', '/users/{id}'), operation('GET', '/users/{name}', '', false)],
    );
    expect(result.ambiguous.map((a) => a.operation.name)).toEqual(['GET /users/{id}', 'GET /users/{name}']);
    expect(result.byRoute.get(byId)?.every((m) => m.ambiguous)).toBe(true);
  });
});

describe('the route index (issue 9 §3)', () => {
  // Every pair of these paths, both ways: the index must offer every route the exact comparison accepts.
  const codePaths = [
    '/users',
    '/users/:id',
    '/users/me',
    '/users/:id/cards/:cardId',
    '/files/:name.:ext',
    '/files/*',
    '/docs/:slug*',
    '/:tenant/users/:id',
    '/v1/*',
    '/',
  ];
  const specPaths = [
    '/users',
    '/users/{id}',
    '/users/me',
    '/users/{id}/cards/{cardId}',
    '/files/{name}.json',
    '/files/a/b',
    '/docs',
    '/docs/a/b',
    '/acme/users/{id}',
    '/{tenant}/users/me',
    '/v1/x',
    '/',
  ];
  it.each(specPaths)('offers every route that fits %s', (specPath) => {
    const routes = codePaths.flatMap((p) => [route('GET', p), route('ALL', p), route('POST', p)]);
    const index = new RouteIndex(
      routes.map((r) => ({ route: r, alternatives: parseCodePath(r.path, r.syntax) })),
    );
    const spec = parseSpecPath(specPath);
    for (const method of ['GET', 'HEAD']) {
      const offered = index.candidates(method, spec);
      for (const r of routes) {
        const fits =
          (r.method === method || r.method === 'ALL' || (r.method === 'GET' && method === 'HEAD')) &&
          parseCodePath(r.path, r.syntax).some((code) => compareSegments(code, spec) !== undefined);
        if (fits) expect(offered.has(r), `${method} ${specPath} <- ${r.method} ${r.path}`).toBe(true);
      }
      expect([...offered].some((r) => r.method === 'POST')).toBe(false);
    }
  });
});

// DOTORI-api (docs/migrate-spec.md, "Trials, session 12"): the document's `/` under server `/api` was matched to
// the app's root `index.all('/')` (a shorter path, base stripped) instead of `api.get('/')` at `/api`.
describe('exact paths of different lengths', () => {
  it('the exact method with the base path wins over a catch-all method with the base stripped', () => {
    const root = route('ALL', '/');
    const api = route('GET', '/api');
    const result = matchRoutes([root, api], [operation('GET', '/', '/api')]);
    expect(result.byRoute.get(api)?.map((m) => [m.operation.name, m.viaBase])).toEqual([['GET /', true]]);
    expect(result.byRoute.get(root)).toBeUndefined();
  });

  it('between equally exact routes of the same method, the base path decides', () => {
    const root = route('GET', '/');
    const api = route('GET', '/api');
    const result = matchRoutes([root, api], [operation('GET', '/', '/api')]);
    expect(result.byRoute.get(api)?.map((m) => m.viaBase)).toEqual([true]);
    expect(result.byRoute.get(root)).toBeUndefined();
  });
});
