import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { ALREADY_ANSWERS } from '../../src/migrate/test-target-places.js';

// Session 41 (fastify41): a Fastify decorator that a route reads through a binding of its own (`const { guard } =
// fastify`, `const auth = fastify.authenticate`, `const { authenticate } = app` in a plugin, `fastify['authenticate']`,
// `{ preHandler }` held in a variable) was linked to no route: under --spec its 403 was "left alone" as reached from
// no mTLS operation (silent), and a test of such a route followed whatever the app's factory reached (a
// fastify-guard route's test was rewritten to 401 while the guard still answers 403; an unguarded route's test
// followed the decorators' rewrite).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-decorator-bindings-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

/** One decorator per spelling of the read, each read by one mTLS route only. */
const SPELLINGS: [decorator: string, read: string, route: string][] = [
  ['viaAlias', 'const check = fastify.viaAlias', "fastify.get('/alias', { onRequest: [check] }, h)"],
  ['viaShorthand', 'const preHandler = fastify.viaShorthand', "fastify.get('/shorthand', { preHandler }, h)"],
  ['viaQuoted', '', "fastify.get('/quoted', { preValidation: fastify['viaQuoted'] }, h)"],
  [
    'viaDestructured',
    'const { viaDestructured } = fastify',
    "fastify.get('/destructured', { preParsing: viaDestructured }, h)",
  ],
  [
    'viaRenamed',
    'const { viaRenamed: mustLogin } = fastify',
    "fastify.route({ method: 'GET', url: '/renamed', preHandler: [mustLogin], handler: h })",
  ],
  ['viaList', 'const hooks = [fastify.viaList]', "fastify.get('/list', { onRequest: hooks }, h)"],
  ['viaAuth', '', "fastify.get('/any', { preHandler: fastify.auth([fastify.viaAuth]) }, h)"],
];

describe('a decorator a route reads through a binding', () => {
  it('is reached from that route under --spec: its 403 is rewritten for the mTLS operation, not left alone', async () => {
    const decorators = SPELLINGS.map(
      ([name], i) =>
        `  fastify.decorate('${name}', async (request, reply) => {\n    if (!request.headers.authorization) return reply.code(403).send({ n: ${i} })\n  })`,
    );
    const cwd = project({
      'package.json': JSON.stringify({
        name: 'svc',
        dependencies: { fastify: '^4', 'fastify-plugin': '^4' },
      }),
      'src/auth.js': [
        "const fp = require('fastify-plugin')",
        'module.exports = fp(async function (fastify) {',
        ...decorators,
        "  fastify.decorate('viaPublic', async (request, reply) => reply.code(403).send())",
        '})',
        '',
      ].join('\n'),
      'src/routes.js': [
        'const h = async () => ({ ok: true })',
        'module.exports = async function (fastify) {',
        ...SPELLINGS.flatMap(([, read, route]) => (read ? [`  ${read}`, `  ${route}`] : [`  ${route}`])),
        '  const { viaPublic } = fastify',
        "  fastify.get('/public', { onRequest: viaPublic }, h)",
        '}',
        '',
      ].join('\n'),
      'src/app.js': [
        "const fastify = require('fastify')",
        'const app = fastify()',
        "app.register(require('./auth'))",
        "app.register(require('./routes'))",
        'app.listen({ port: 3000 })',
        '',
      ].join('\n'),
      'openapi.yaml': [
        'openapi: 3.0.0',
        'info: { title: t, version: "1" }',
        'paths:',
        ...['/alias', '/shorthand', '/quoted', '/destructured', '/renamed', '/list', '/any'].map(
          (p) => `  ${p}: { get: { x-mtls: true, responses: { '200': { description: ok } } } }`,
        ),
        "  /public: { get: { responses: { '200': { description: ok } } } }",
        '',
      ].join('\n'),
    });
    const { report } = await migrate({
      cwd,
      status: 401,
      mode: 'check',
      spec: { files: ['openapi.yaml'], mtls: { schemes: [], servers: [], everywhere: false } },
    });
    const operations = ['/alias', '/shorthand', '/quoted', '/destructured', '/renamed', '/list', '/any'];
    expect(report.sites.map((s) => [s.file, s.line, s.action, s.operation])).toEqual(
      operations.map((p, i) => ['src/auth.js', 4 + 3 * i, 'would-rewrite', `GET ${p}`]),
    );
    // The one read by the public route alone stays, on purpose, and is counted.
    expect(report.census.outOfScope).toBe(1);
  });
});

describe('after a server-only write, the tests of routes guarded through decorator bindings', () => {
  const fixture = path.resolve(import.meta.dirname, '../fixtures/follow/decorator-bindings');

  it('are named with the place that now answers 401, or with the guard that still answers 403', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-decorator-bindings-written-'));
    temps.push(cwd);
    cpSync(fixture, cwd, { recursive: true });
    const written = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(written.report.summary.rewritten).toBe(3);
    expect(readFileSync(path.join(cwd, 'src/plugins/auth.ts'), 'utf8')).not.toContain('403');

    const check = await migrate({ cwd, status: 401, mode: 'check', force: true, includeTests: true });
    const tests = new Map(
      check.report.sites
        .filter((s) => s.framework === 'tests')
        .map((s) => [s.line, `${s.action} ${s.reason ?? ''}`]),
    );
    // The guard (fastify-guard's implicit 403) still answers the routes that read it through `{ guard }`.
    for (const line of [6, 10])
      expect(tests.get(line)).toContain('still emitted by the middleware fastify-guard');
    // Each decorator's body now sends 401: the route reaches it however it spells the read.
    const answered: [number, string][] = [
      [
        14,
        'route GET /a/alias (src/routes/aliased.ts:8) reaches no 403 and sends 401 at src/plugins/auth.ts:8',
      ],
      [
        18,
        'route GET /a/shorthand (src/routes/aliased.ts:10) reaches no 403 and sends 401 at src/plugins/auth.ts:8',
      ],
      [
        22,
        'route GET /a/quoted (src/routes/aliased.ts:11) reaches no 403 and sends 401 at src/plugins/auth.ts:8',
      ],
      [
        26,
        'route GET /a/any (src/routes/aliased.ts:12) reaches no 403 and sends 401 at src/plugins/auth.ts:12',
      ],
      [
        30,
        'route GET /a/list (src/routes/aliased.ts:14) reaches no 403 and sends 401 at src/plugins/auth.ts:3',
      ],
      [
        38,
        'route GET /d/one (src/routes/destructured.ts:4) reaches no 403 and sends 401 at src/plugins/auth.ts:8',
      ],
      [
        42,
        'route POST /d/two (src/routes/destructured.ts:5) reaches no 403 and sends 401 at src/plugins/auth.ts:8',
      ],
    ];
    for (const [line, via] of answered) {
      expect(tests.get(line)).toContain(`manual Asserts a 403 ${ALREADY_ANSWERS} 401: ${via}`);
    }
    // A route of the same app that reads no decorator runs none of their bodies.
    expect(tests.get(34)).toContain('no 403 site is reached from route GET /a/open');

    // A plain --check lists the same seven as tests that fail as the code stands, and nothing else.
    const plain = await migrate({ cwd, status: 401, mode: 'check', force: true });
    expect((plain.report.skippedTestsMayFail ?? []).map((a) => a.line)).toEqual(answered.map(([l]) => l));
  });
});

// The decorator's body a server-only write rewrote to 401 is whole again for the places a test's route reaches
// (the route graph keeps a trimmed tree of a file with no 403 form, whose decorator bodies were empty): a plain
// --check lists every test of a route that reads it, whatever the hook key or spelling, and not the unguarded one.
describe('after a server-only write, a decorator read by a route hook', () => {
  it('is the place that now answers 401 for each hook key and spelling', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-decorator-hooks-'));
    temps.push(cwd);
    cpSync(path.resolve(import.meta.dirname, '../fixtures/follow/decorator-hooks-written'), cwd, {
      recursive: true,
    });
    const plain = await migrate({ cwd, status: 401, mode: 'check' });
    const listed = plain.report.skippedTestsMayFail ?? [];
    expect(listed.map((a) => a.line)).toEqual([6, 10, 14, 18, 22, 26, 30, 34]);
    expect(listed.every((a) => a.reason.includes(`${ALREADY_ANSWERS} 401`))).toBe(true);
    expect(listed.at(-1)?.reason).toContain('sends 401 at src/plugins/auth.ts:8 (reply.code(401))');
  });
});
