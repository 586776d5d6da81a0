import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, projectSources } from '../../helpers/route-projects.js';
import { parseSource } from '../../../src/migrate/parse.js';
import { scannedSkeletonText } from '../../../src/migrate/routes/skeleton-scan.js';
import { skeletonText, trimForRoutes, wiringMethodNames } from '../../../src/migrate/routes/skeleton.js';
import { WIRINGS } from '../../../src/migrate/routes/wirings.js';

// Issue 9 §3 / 11: `--spec` makes the skeleton text of each route file from its tokens (skeleton-scan.ts)
// instead of a whole parse. It may blank a handler body only where the tree rule (skeleton.ts
// `trimmableBodies`) blanks it: every character it blanks, `skeletonText` blanks too (it may keep more).
const WIRING_METHODS = wiringMethodNames(WIRINGS);
const scan = (code: string, file = 'case.ts'): string | undefined =>
  scannedSkeletonText(file, code, WIRING_METHODS);
const tree = (code: string, file = 'case.ts'): string =>
  skeletonText(code, parseSource(file, code, false), WIRING_METHODS);

/** Checks the scanned text against the tree's; returns whether the two are equal. */
function checkAgainstTree(file: string, code: string): boolean | undefined {
  const scanned = scan(code, file);
  if (scanned === undefined) return undefined;
  const full = tree(code, file);
  expect(scanned.length, file).toBe(code.length);
  for (let i = 0; i < code.length; i++) {
    if (scanned[i] === code[i]) continue;
    // Blanked here: the tree rule blanks it too, and only a character that is no line break.
    expect(full[i], `${file}@${i}`).toBe(' ');
    expect('\n\r\u2028\u2029'.includes(code[i]), `${file}@${i}`).toBe(false);
  }
  return scanned === full;
}

describe('skeleton text from tokens', () => {
  it('blanks only what the tree rule blanks, in every fixture source file', () => {
    let equal = 0;
    let files = 0;
    for (const { absolute, relative } of projectSources(FIXTURES)) {
      const same = checkAgainstTree(relative, readFileSync(absolute, 'utf8'));
      if (same === undefined) continue;
      files++;
      if (same) equal++;
    }
    // Most files come out the same (the rest keep more bodies whole); the comparison covers hundreds.
    expect(files).toBeGreaterThan(300);
    expect(equal / files).toBeGreaterThan(0.95);
  });

  const handler = (body: string, prelude = ''): string =>
    `import { Router } from 'express';\n${prelude}\nconst r = Router();\nr.get('/x', (req, res) => {\n${body}\n});\n`;
  // The tree rule's own table (skeleton.test.ts), and forms only tokens make hard: each must come out as the
  // tree rule decides (bodies blanked, `same`), or keep more (`kept`), or not be read from tokens (`parse`).
  it.each([
    [
      'only parameters, locals and globals',
      handler('const id = String(req.params.id); res.json({ id });'),
      'same',
    ],
    [
      'a sibling handler declares the same local',
      `${handler('const id = 1; res.json(id);')}r.get('/y', (req, res) => { const id = 2; res.json(id); });`,
      'same',
    ],
    ['an imported name', handler('res.json(Router);'), 'same'],
    ['a name declared in the file', handler('res.json(config);', 'const config = {};'), 'same'],
    [
      'a call of a function the file declares',
      handler('deny(res);', 'function deny(x) { x.end(); }'),
      'same',
    ],
    ['a route method called on anything', handler("req.get('x-tenant');"), 'same'],
    ['a router-named local', handler('const app = 1; res.json(app);'), 'same'],
    ['a nested function with a router parameter', handler('[1].forEach((router) => router);'), 'same'],
    ['a nested function with a router type', handler('[1].forEach((x: Router) => x);'), 'same'],
    ['a computed call', handler("res['json']({});"), 'same'],
    ['this', handler('res.json(this);'), 'same'],
    ['require', handler("res.json(require('./x'));"), 'same'],
    ['dynamic import', handler("void import('./x');"), 'same'],
    ['new.target names a declared target', handler('res.json(new.target);', 'const target = 1;'), 'same'],
    ['a regular expression after if (...)', handler("if (req.ok) /a}/.test('x'); res.end();"), 'same'],
    ['a division after (...)', handler('const half = (req.n + 1) / 2; res.json(half);'), 'same'],
    ['a template literal with braces', handler('res.send(`a ${ { b: 1 }.b } }`);'), 'same'],
    ['the delete operator and a delete member', handler('delete req.x; res.end();'), 'same'],
    ['a delete call', handler('r.delete();'), 'same'],
    [
      'an async arrow and a function expression',
      "r.get('/a', async (q) => { q.x(); });\nr.get('/b', function (q) { q.x(); });",
      'same',
    ],
    ['a returned type on the handler', "r.get('/a', async (q): Promise<void> => { q.x(); });", 'same'],
    ['a handler passed through a wrapper', "r.get('/a', wrap(async (q) => { q.x(); }));", 'same'],
    ['nested handlers, the outer one kept', "r.use((app) => { app.get('/a', (q) => { q.x(); }); });", 'same'],
    ['a name outside that is not a declaration', handler('res.json(total);', 'console.log(total);'), 'kept'],
    ['type arguments on the call', "r.get<Params>('/a', (q) => { q.x(); });", 'kept'],
    ['a slash after a block', handler('res.end();', 'if (x) {}\n/a/.test(y);'), 'parse'],
    ['unbalanced brackets', "r.get('/a', (q) => { q.x();", 'parse'],
  ])('%s', (_name, code, expected) => {
    const same = checkAgainstTree('case.ts', code);
    expect(same === undefined ? 'parse' : same ? 'same' : 'kept').toBe(expected);
  });

  it('leaves files that may hold JSX to the parser', () => {
    const code = "r.get('/a', (q) => { q.x(); });";
    expect(scan(code, 'a.tsx')).toBeUndefined();
    expect(scan(code, 'a.js')).toBeUndefined();
    expect(scan(code, 'a.mts')).toBe(tree(code, 'a.mts'));
  });

  it('gives the trimmed tree of a generated route file, parsed', () => {
    const code = readFileSync(
      path.join(FIXTURES, 'spec-projects', 'express', 'src', 'routes', 'partners.ts'),
      'utf8',
    ).replace('403', '401');
    const scanned = scan(code);
    if (scanned === undefined) throw new Error('not scanned');
    expect(scanned).not.toBe(code);
    const inPlace = parseSource('partners.ts', code);
    expect(trimForRoutes(inPlace, WIRING_METHODS)).toBe(1);
    expect(scanned).toBe(tree(code));
  });
});

describe('wiring method names keep common words out', () => {
  it('a handler body naming `error`, `resolve`, `add` or `listen` is still trimmed (Elysia, h3 and uWebSockets.js chain on them)', () => {
    // Session 20: with Elysia's `error` / `resolve` among the wiring names, `{ error: 'bad id' }` kept every handler
    // body of the 16,000-route bench whole and turned the route facts off (`--spec` 3.3 s -> 5.2 s in place).
    const names = wiringMethodNames(WIRINGS);
    for (const word of ['error', 'resolve', 'add', 'listen', 'as', 'state', 'model', 'headers', 'any', 'ws'])
      expect(names.has(word), word).toBe(false);
    for (const wiring of ['group', 'guard', 'onBeforeHandle', 'get', 'use', 'route'])
      expect(names.has(wiring)).toBe(true);
    const text = [
      "import { Router } from 'express';",
      'export const r = Router();',
      "r.get('/x/:id', async (req, res) => {",
      '  const id = String(req.params.id);',
      "  if (!id) return res.status(400).json({ error: 'bad id', id });",
      '  return res.json({ id });',
      '});',
      '',
    ].join('\n');
    const trimmed = skeletonText(text, parseSource('r.ts', text, false), names);
    expect(trimmed).toContain("r.get('/x/:id'");
    expect(trimmed).not.toContain('bad id');
    // The same body naming a wiring method (`group`) stays whole.
    const kept = text.replace('String(req.params.id)', 'String(req.params.id ?? x.group(1))');
    expect(skeletonText(kept, parseSource('r.ts', kept, false), names)).toContain('bad id');
  });
});
