import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource } from '../../src/migrate/transform.js';

// Session 32 (breakfix32a, breaker32 01-sendfile-root-implicit-403): Express res.sendFile / res.download with a
// root, @fastify/static's reply.sendFile / reply.download and @hapi/inert's h.file answer 403 (send's '..' and
// dotfiles 'deny', inert's confine) with no 403 and no import in the file; they read clean. Each is now a manual
// Implicit 403 site; a path the request cannot make climb is none.

function sites(file: string, text: string) {
  return migrateSource(file, text, { target: 401, frameworks: FRAMEWORKS, testFile: false })
    .sites.filter((s) => s.kind === 'manual')
    .map((s) => [s.framework, s.form, s.reason?.match(/^Implicit 403: [^(]+/)?.[0]?.trim()]);
}

const EXPRESS = "const express = require('express');\nconst app = express();\n";
const FASTIFY = "const fastify = require('fastify')();\n";
const HAPI = "import Hapi from '@hapi/hapi';\n";

describe('file senders: sites', () => {
  it.each([
    [
      'res.sendFile with a root',
      `app.get('/f/*', (req, res) => res.sendFile(req.params[0], { root: '/srv' }));`,
    ],
    [
      'res.download with a root',
      `app.get('/d/:n', (req, res) => res.download(req.params.n, { root: '/srv' }));`,
    ],
    [
      'res.download with a name and a root',
      `app.get('/d/:n', (req, res) => res.download(req.params.n, 'x.pdf', { root: dir }));`,
    ],
    [
      'res.sendfile (Express 4)',
      `app.get('/f/:n', (req, res) => res.sendfile(req.params.n, { root: dir }));`,
    ],
    [
      'res.sendFile with options held by name',
      `app.get('/f/:n', (req, res) => res.sendFile(req.params.n, opts));`,
    ],
    [
      'res.sendFile without a root, a path built by text',
      `app.get('/f/:n', (req, res) => res.sendFile(__dirname + '/files/' + req.params.n));`,
    ],
    [
      'res.sendFile without a root, a const built from the request',
      `app.get('/f/:n', (req, res) => { const file = dir + '/' + req.params.n; res.sendFile(file); });`,
    ],
    [
      'res.sendFile with a callback that passes the error on',
      `app.get('/f/:n', (req, res, next) => res.sendFile(req.params.n, { root: dir }, (err) => { if (err) next(err); }));`,
    ],
    [
      'res.sendFile with next as callback',
      `app.get('/f/:n', (req, res, next) => res.sendFile(req.params.n, { root: dir }, next));`,
    ],
    [
      'res.sendFile, a normalized path under dotfiles deny',
      `app.get('/f/:n', (req, res) => res.sendFile(path.join(dir, req.params.n), { dotfiles: 'deny' }));`,
    ],
    [
      'res.sendFile, a fixed path with ..',
      `app.get('/', (req, res) => res.sendFile(__dirname + '/../client/index.html'));`,
    ],
    // Session 33: the path comes through a helper's parameter; a route may hand it what the request sent.
    [
      "res.sendFile without a root, a helper's parameter",
      `function sendDoc(res, file) { res.sendFile(file); }\napp.get('/d/:n', (req, res) => sendDoc(res, req.params.n));`,
    ],
    [
      "res.sendFile without a root, a method's parameter",
      `class Docs { send(res, p) { return res.sendFile(p); } }`,
    ],
    [
      'res.sendFile, a fixed dotfile under deny',
      `app.get('/', (req, res) => res.sendFile('.well-known/x', { root: dir, dotfiles: 'deny' }));`,
    ],
  ])('Express: %s', (_name, line) => {
    expect(sites('app.js', `${EXPRESS}${line}\n`)).toEqual([
      [
        'express',
        expect.stringMatching(/^res\.(?:sendFile|download|sendfile)\(/),
        expect.stringMatching(/^Implicit 403: res\.\w+/),
      ],
    ]);
  });

  it('names dotfiles deny in its own words', () => {
    const [site] = migrateSource(
      'app.js',
      `${EXPRESS}app.get('/r/*', (req, res) => res.sendFile(req.params[0], { root: '/srv/raw', dotfiles: 'deny' }));\n`,
      { target: 401, frameworks: FRAMEWORKS, testFile: false },
    ).sites;
    expect(site?.reason).toContain("or names a dotfile (dotfiles: 'deny')");
    expect(site?.reason).toContain('answers 401 for err.status 403');
  });

  it.each([
    [
      'reply.sendFile with a root',
      `fastify.get('/f/:n', (req, reply) => reply.sendFile(req.params.n, '/srv'));`,
    ],
    [
      'reply.sendFile with the plugin root',
      `fastify.get('/f/:n', (req, reply) => { return reply.sendFile(req.params.n); });`,
    ],
    ['reply.download', `fastify.get('/d/:n', (req, reply) => reply.download(req.params.n));`],
  ])('Fastify: %s (the plugin registered in another file)', (_name, line) => {
    expect(sites('routes.js', `${FASTIFY}${line}\n`)).toEqual([
      [
        'fastify',
        expect.stringMatching(/^reply\.(?:sendFile|download)\(/),
        expect.stringMatching(/^Implicit 403: reply\.\w+/),
      ],
    ]);
  });

  // Session 33: the toolkit under other names (hapi 16's `reply`, `toolkit`, `responseToolkit`).
  it.each([
    [
      'reply (hapi 16)',
      `export const route = { handler: (request, reply) => reply.file(request.params.n) };`,
    ],
    ['toolkit', `export const route = { handler: (request, toolkit) => toolkit.file(request.params.n) };`],
    [
      'responseToolkit in a method',
      `export const route = { handler(req, responseToolkit) { return responseToolkit.file(req.params.n); } };`,
    ],
    ['tk of a handler function', `export function serve(request, tk) { return tk.file(request.params.p); }`],
  ])('hapi: the toolkit named %s', (_name, line) => {
    expect(sites('routes.ts', `${HAPI}${line}\n`)).toEqual([
      ['hapi', expect.stringMatching(/\.file\(/), 'Implicit 403: h.file'],
    ]);
  });

  // Session 33: @fastify/static merges its registered send options (dotfiles: 'deny') into reply.sendFile's, in
  // whatever file that is called: the registration says so.
  it('Fastify: the registration names its options as holding for reply.sendFile in every file', () => {
    const text = `${FASTIFY}fastify.register(require('@fastify/static'), { root: '/srv', dotfiles: 'deny', serve: false });\n`;
    const result = migrateSource('app.js', text, { target: 401, frameworks: FRAMEWORKS, testFile: false });
    expect(result.sites.map((s) => s.reason)).toEqual([
      expect.stringContaining('also hold for reply.sendFile / reply.download in every file of the app'),
    ]);
  });

  it('hapi: h.file of a path the request gives (inert registered in another file)', () => {
    const text = `${HAPI}export const route = { method: 'GET', path: '/f/{n}', handler: (request, h) => h.file(request.params.n) };\n`;
    expect(sites('routes.ts', text)).toEqual([['hapi', 'h.file(request.params.n)', 'Implicit 403: h.file']]);
  });
});

describe('file senders: not sites', () => {
  it.each([
    [
      'a fixed file under a root',
      `app.get('/', (req, res) => res.sendFile('index.html', { root: 'dist' }));`,
    ],
    ['a fixed absolute path', `app.get('/', (req, res) => res.sendFile(__dirname + '/public/index.html'));`],
    ['a fixed template path', "app.get('/', (req, res) => res.sendFile(`${__dirname}/public/index.html`));"],
    [
      'a path.join path without a root',
      `app.get('/f/:n', (req, res) => res.sendFile(path.join(__dirname, 'files', req.params.n)));`,
    ],
    [
      'a const holding path.resolve',
      `const index = path.resolve(__dirname, 'dist', 'index.html');\napp.get('*', (req, res) => res.sendFile(index));`,
    ],
    [
      'res.download without a root (Express resolves it)',
      `app.get('/d/:n', (req, res) => res.download(dir + '/' + req.params.n));`,
    ],
    // thelounge server/server.ts: the theme's file comes from installed package data, not from the request.
    [
      'a path the server holds, without a root',
      `app.get('/t/:n', (req, res) => res.sendFile(themes.get(req.params.n).filename));`,
    ],
    [
      "a callback's parameter (an element of a list the server holds)",
      `app.get('/all', (req, res) => files.forEach((f) => res.sendFile(f)));`,
    ],
    [
      'a callback that answers itself',
      `app.get('/f/:n', (req, res) => res.sendFile(req.params.n, { root: dir }, (err) => { if (err) res.status(404).end(); }));`,
    ],
  ])('Express: %s', (_name, line) => {
    expect(sites('app.js', `const path = require('path');\n${EXPRESS}${line}\n`)).toEqual([]);
  });

  it.each([
    ['a fixed file', `fastify.get('/', (req, reply) => reply.sendFile('index.html'));`],
    ['an object with a download method', `fastify.get('/', async () => storage.download(key));`],
  ])('Fastify: %s', (_name, line) => {
    expect(sites('routes.js', `${FASTIFY}${line}\n`)).toEqual([]);
  });

  it.each([
    ['a fixed file', `export const h1 = (request, h) => h.file('index.html');`],
    ['confine off', `export const h2 = (request, h) => h.file(request.params.n, { confine: false });`],
    ['a zip file call', `export const z = (zip, name) => zip.file(name, 'x');`],
    [
      'a file call on a callback parameter',
      `export const z = (items) => items.forEach((err, x) => x.file(err));`,
    ],
  ])('hapi: %s', (_name, line) => {
    expect(sites('routes.ts', `${HAPI}${line}\n`)).toEqual([]);
  });

  it('a test file', () => {
    const text = `${EXPRESS}app.get('/f/*', (req, res) => res.sendFile(req.params[0], { root: '/srv' }));\n`;
    const result = migrateSource('app.test.js', text, {
      target: 401,
      frameworks: FRAMEWORKS,
      testFile: true,
    });
    expect(result.sites.filter((s) => /sendFile/.test(s.form))).toEqual([]);
  });
});
