import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeRoutes,
  FIXTURES,
  projectSources,
  ROUTE_PROJECT_ROOTS,
  shape,
} from '../../helpers/route-projects.js';
import ts from '../../../src/typescript.cjs';
import { parseSource } from '../../../src/migrate/parse.js';
import { extractCodeRoutes, Project, Reach } from '../../../src/migrate/routes/index.js';
import type { CodeRoute } from '../../../src/migrate/routes/model.js';
import { skeletonText, trimForRoutes, wiringMethodNames } from '../../../src/migrate/routes/skeleton.js';
import { WIRINGS } from '../../../src/migrate/routes/wirings.js';

// `--spec` keeps trimmed trees of the files that hold no 403 (routes/skeleton.ts): handler bodies that can
// matter to no route and no reach lose their statements. The route graph and the reach index must answer on
// them exactly as on the full trees: checked on every fixture project with routes, every file trimmed (the
// run trims only files with no 403 form; trimming all is the harder check), at every identifier, return and
// throw of the full trees (places inside trimmed bodies included).
const fixtures = FIXTURES;
const PROJECT_ROOTS = ROUTE_PROJECT_ROOTS;
const WIRING_METHODS = wiringMethodNames(WIRINGS);

const sources = projectSources;

let trimmedInAll = 0;

describe('routes on trimmed trees answer as on full ones', () => {
  it.each(PROJECT_ROOTS.map((root) => [path.relative(fixtures, root), root]))('%s', (_name, root) => {
    const files = sources(root);
    const full = new Project(root, files);
    const trimmed = new Project(root, files, undefined, (file) => {
      const sourceFile = parseSource(file.relative, readFileSync(file.absolute, 'utf8'));
      trimmedInAll += trimForRoutes(sourceFile, WIRING_METHODS);
      return sourceFile;
    });
    const fullRoutes = extractCodeRoutes(full, new Map());
    const trimmedRoutes = extractCodeRoutes(trimmed, new Map());
    const plain = (routes: CodeRoute[]): unknown => JSON.parse(JSON.stringify(routes));
    expect(plain(trimmedRoutes)).toEqual(plain(fullRoutes));
    const fullReach = new Reach(full, fullRoutes);
    const trimmedReach = new Reach(trimmed, trimmedRoutes);
    for (const file of full.files) {
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
          const position = node.getStart(file.sourceFile);
          expect(
            describeRoutes(trimmedReach.routesAt(file.relative, position)),
            `${file.relative}@${position}`,
          ).toEqual(describeRoutes(fullReach.routesAt(file.relative, position)));
        }
        node.forEachChild(visit);
      };
      visit(file.sourceFile);
    }
  });

  it('trimmed bodies in the fixture projects (otherwise the comparison proves nothing)', () => {
    expect(trimmedInAll).toBeGreaterThan(10);
  });
});

describe('skeleton text', () => {
  it.each(PROJECT_ROOTS.map((root) => [path.relative(fixtures, root), root]))(
    '%s: parsed, gives the trimmed tree; same positions and lines',
    (_name, root) => {
      for (const file of sources(root)) {
        const text = readFileSync(file.absolute, 'utf8');
        // Made as the worker makes it: parsed without parent pointers.
        const skeleton = skeletonText(text, parseSource(file.relative, text, false), WIRING_METHODS);
        expect(skeleton.length).toBe(text.length);
        expect(skeleton.split('\n').length).toBe(text.split('\n').length);
        const inPlace = parseSource(file.relative, text);
        trimForRoutes(inPlace, WIRING_METHODS);
        expect(shape(parseSource(file.relative, skeleton)), file.relative).toBe(shape(inPlace));
      }
    },
  );
});

describe('which handler bodies are trimmed', () => {
  const trims = (code: string): number => trimForRoutes(parseSource('case.ts', code), WIRING_METHODS);
  const handler = (body: string, prelude = ''): string =>
    `import { Router } from 'express';\n${prelude}\nconst r = Router();\nr.get('/x', (req, res) => {\n${body}\n});\n`;
  it.each([
    [
      'only parameters, locals and globals',
      handler('const id = String(req.params.id); res.json({ id });'),
      1,
    ],
    [
      'a sibling handler declares the same local',
      `${handler('const id = 1; res.json(id);')}r.get('/y', (req, res) => { const id = 2; res.json(id); });`,
      2,
    ],
    ['an imported name', handler('res.json(Router);'), 0],
    ['a name declared in the file', handler('res.json(config);', 'const config = {};'), 0],
    ['a call of a function the file declares', handler('deny(res);', 'function deny(x) { x.end(); }'), 0],
    ['a route method called on anything', handler("req.get('x-tenant');"), 0],
    ['a router-named local', handler('const app = 1; res.json(app);'), 0],
    ['a nested function with a router parameter', handler('[1].forEach((router) => router);'), 0],
    ['a computed call', handler("res['json']({});"), 0],
    ['this', handler('res.json(this);'), 0],
    ['require', handler("res.json(require('./x'));"), 0],
    ['dynamic import', handler("void import('./x');"), 0],
  ])('%s', (_name, code, expected) => {
    expect(trims(code)).toBe(expected);
  });

  it('keeps a function that is not a call argument, and a plugin registering routes on its parameter', () => {
    expect(trims('export const h = (req, res) => { res.json({}); };')).toBe(0);
    expect(
      trims(
        "import Fastify from 'fastify';\nconst f = Fastify();\nf.register(async (i) => { i.get('/x', async () => 1); });",
      ),
    ).toBe(0);
  });
});
