import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../../helpers/cli.js';
import {
  describeRoutes,
  FIXTURES,
  projectSources,
  ROUTE_PROJECT_ROOTS,
} from '../../helpers/route-projects.js';
import ts from '../../../src/typescript.cjs';
import { extractCodeRoutes, Project, Reach } from '../../../src/migrate/routes/index.js';
import type { CodeRoute } from '../../../src/migrate/routes/model.js';
import { routeFactMethods } from '../../../src/migrate/routes/route-facts.js';
import { scannedSkeleton } from '../../../src/migrate/routes/skeleton-scan.js';
import { factTree, routeSkeletonTree } from '../../../src/migrate/routes/skeleton-tree.js';
import { wiringMethodNames } from '../../../src/migrate/routes/skeleton.js';
import { unfollowedWiring } from '../../../src/migrate/routes/unfollowed-wiring.js';
import { WIRINGS } from '../../../src/migrate/routes/wirings.js';

// Issue 9 §11: `--spec` reads the registrations of a route file from its tokens when they show them whole (route
// facts, route-facts.ts), hands them to the route graph as plain data and parses the file without them. On every
// fixture project, every file made so, the routes, the unfollowed wiring and the reach must be those of the full
// trees and of the plain skeleton trees.
const WIRING_METHODS = wiringMethodNames(WIRINGS);
const FACT_METHODS = routeFactMethods(WIRINGS);
const plain = (routes: CodeRoute[]): unknown => JSON.parse(JSON.stringify(routes));

/** A project whose route files are all read as `--spec` reads them in place (facts where the tokens give them). */
function factProject(root: string, files: { absolute: string; relative: string }[]): Project {
  return new Project(root, files, undefined, (file) =>
    factTree(file.relative, readFileSync(file.absolute, 'utf8'), WIRING_METHODS),
  );
}

/** Whether `position` lies inside a registration read as a fact (a fact file holds no 403 form: no site is there). */
function inFact(project: Project, relative: string, position: number): boolean {
  const facts = project.byRelative(relative)?.routeFacts ?? [];
  return facts.some((f) => f.receiverStart <= position && position < f.handlerEnd + 2);
}

let factFiles = 0;
let facts = 0;

/** Routes, unfollowed wiring and reach of `root` read three ways: whole, plain skeletons, facts. */
function checkProject(root: string): void {
  const files = projectSources(root);
  const full = new Project(root, files);
  const skeletons = new Project(root, files, undefined, (file) =>
    routeSkeletonTree(file.relative, readFileSync(file.absolute, 'utf8'), WIRING_METHODS),
  );
  const withFacts = factProject(root, files);
  const fullRoutes = extractCodeRoutes(full, new Map());
  const factRoutes = extractCodeRoutes(withFacts, new Map());
  expect(plain(factRoutes)).toEqual(plain(fullRoutes));
  expect(plain(factRoutes)).toEqual(plain(extractCodeRoutes(skeletons, new Map())));
  expect(unfollowedWiring(withFacts)).toEqual(unfollowedWiring(full));
  for (const file of withFacts.files)
    if (file.routeFacts) {
      factFiles++;
      facts += file.routeFacts.length;
    }
  const fullReach = new Reach(full, fullRoutes);
  const factReach = new Reach(withFacts, factRoutes);
  for (const file of full.files) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
        const position = node.getStart(file.sourceFile);
        if (!inFact(withFacts, file.relative, position))
          expect(
            describeRoutes(factReach.routesAt(file.relative, position)),
            `${file.relative}@${position}`,
          ).toEqual(describeRoutes(fullReach.routesAt(file.relative, position)));
      }
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
}

describe('route facts from tokens', () => {
  it.each(ROUTE_PROJECT_ROOTS.map((root) => [path.relative(FIXTURES, root), root]))('%s', (_name, root) => {
    checkProject(root);
  });

  it('were read in the fixture projects (otherwise the comparison proves nothing)', () => {
    expect(factFiles).toBeGreaterThan(5);
    expect(facts).toBeGreaterThan(15);
  });

  const routeFile = (
    body: string,
    imports = "import { Router, Request, Response } from 'express';",
  ): string => `${imports}\n\n// Items.\nexport const items = Router();\n\n${body}\n`;
  const handler = 'async (req: Request, res: Response) => {\n  res.json({ id: req.params.id });\n}';
  const factsOf = (code: string, file = 'routes/items.ts'): unknown =>
    scannedSkeleton(file, code, WIRING_METHODS, FACT_METHODS)?.facts;

  it('reads plain registrations and blanks their statements, keeping every position and line', () => {
    const code = routeFile(
      [
        `items.get('/items/:id', ${handler});`,
        `items.delete("/items/:id", (req) => {});`,
        `items.del('/old', async () => {\n  const x = 1;\n  return x;\n});`,
      ].join('\n'),
    );
    const scanned = scannedSkeleton('routes/items.ts', code, WIRING_METHODS, FACT_METHODS);
    expect(scanned?.facts?.routes.map((r) => [r.receiver, r.method, r.path])).toEqual([
      ['items', 'get', '/items/:id'],
      ['items', 'delete', '/items/:id'],
      ['items', 'del', '/old'],
    ]);
    expect(scanned?.facts?.modules).toEqual(['express']);
    const text = scanned?.text ?? '';
    expect(text.length).toBe(code.length);
    expect(text.split('\n').length).toBe(code.split('\n').length);
    expect(text).not.toContain('items.');
    expect(text).toContain('export const items = Router();');
    const route = scanned?.facts?.routes[0];
    expect(code.slice(route?.handlerStart, route?.handlerEnd)).toBe(handler);
  });

  it.each([
    ['a middleware before the handler', `items.get('/x', auth, ${handler});`],
    ['a handler named, not written', "items.get('/x', show);"],
    ['a path that is not a plain string', `items.get(\`/x\`, ${handler});`],
    ['an escape in the path', `items.get('/x\\u0041', ${handler});`],
    ['no semicolon', `items.get('/x', ${handler})`],
    ['a method no fact may use (all)', `items.all('/x', ${handler});`],
    ['a method no fact may use (use)', `items.use('/x', ${handler});`],
    ['a chained registration', `items.route('/x').get(${handler});`],
    ['a receiver the file does not make', `other.get('/x', ${handler});`],
    ['a body the skeleton keeps (a name of the file)', "items.get('/x', (req) => {\n  return Request;\n});"],
    ['a parameter typed by a name the file does not import', "items.get('/x', (req: Req) => {});"],
    ['a router type on a parameter', "items.get('/x', (req: Router) => {});"],
    ['a router name as a parameter', "items.get('/x', (app) => {});"],
    ['a default value', "items.get('/x', (req = 1) => {});"],
    ['another statement', `const LIMIT = 10;\nitems.get('/x', ${handler});`],
    ['a function declaration', `function f() {}\nitems.get('/x', ${handler});`],
  ])('reads no facts from a file with %s', (_name, body) => {
    expect(factsOf(routeFile(body))).toBeUndefined();
  });

  it('reads no facts from a file whose names clash, from JSX or JavaScript, egg router files, openapi-backend', () => {
    const body = `items.get('/x', ${handler});`;
    expect(factsOf(routeFile(body), 'routes/items.tsx')).toBeUndefined();
    expect(factsOf(routeFile(body), 'routes/items.js')).toBeUndefined();
    expect(factsOf(routeFile(body), 'app/router/items.ts')).toBeUndefined();
    expect(factsOf(routeFile(`${body}\n// OpenAPIBackend`))).toBeUndefined();
    // The method is a name the file declares (a lookup from `items.get` would find it), a name is declared twice.
    expect(
      factsOf(routeFile(body, "import { Router, Request, Response, get } from 'express';")),
    ).toBeUndefined();
    expect(
      factsOf(
        routeFile(body, "import { Router, Request, Response } from 'express';\nimport { Router } from 'x';"),
      ),
    ).toBeUndefined();
    expect(factsOf(routeFile(body))).toBeDefined();
  });

  it('keeps the plain skeleton where a parameter type comes from a project file', () => {
    const root = tempProject({
      'package.json': '{"name":"x","dependencies":{"express":"4"}}',
      'src/types.ts': 'export interface Req { id: string }\n',
      'src/routes/a.ts': [
        "import { Router } from 'express';",
        "import { Req } from '../types';",
        'export const a = Router();',
        "a.get('/a', (req: Req) => {\n  return req.id;\n});",
      ].join('\n'),
      'src/routes/b.ts': [
        "import { Router, Request } from 'express';",
        'export const b = Router();',
        "b.post('/b', (req: Request) => {\n  return req.body;\n});",
        "unknownRouter.get('/c', (req: Request) => {});",
      ].join('\n'),
      'src/routes/c.ts': [
        "import { Router, Request } from 'express';",
        'export const c = Router();',
        "c.put('/c', (req: Request) => {});",
        'export default c;',
      ].join('\n'),
      'src/app.ts': [
        "import express from 'express';",
        "import { a } from './routes/a';",
        "import c from './routes/c';",
        'const app = express();',
        "app.use('/v1', a);",
        "app.use('/v2', c);",
      ].join('\n'),
    });
    const files = projectSources(root);
    const project = factProject(root, files);
    expect(project.byRelative('src/routes/a.ts')?.routeFacts).toBeUndefined();
    expect(project.byRelative('src/routes/a.ts')?.sourceFile.text).toContain("a.get('/a'");
    expect(project.byRelative('src/routes/c.ts')?.routeFacts?.length).toBe(1);
    // b.ts: `unknownRouter` is no `const` of the file, so no facts there either.
    expect(project.byRelative('src/routes/b.ts')?.routeFacts).toBeUndefined();
    checkProject(root);
    expect(describeRoutes(extractCodeRoutes(project, new Map()))).toEqual(
      [
        'GET /v1/a src/routes/a.ts:4',
        'GET /c src/routes/b.ts:6',
        'POST /b src/routes/b.ts:3',
        'PUT /v2/c src/routes/c.ts:3',
      ].sort(),
    );
  });

  it('traces each receiver as its identifier would be: per file, routers made by project functions, non-routers', () => {
    // The route graph keeps a receiver's router once traced (graph.ts `factReceiver`): the same name in two files,
    // two routers in one file, a router a project function returns and a receiver that is no router must each
    // still give the routes of the full trees.
    const root = tempProject({
      'package.json': '{"name":"x","dependencies":{"express":"4"}}',
      'src/make.ts': [
        "import { Router } from 'express';",
        'export function makeRouter() {',
        '  return Router();',
        '}',
        'export function makeThing() {',
        '  return { get() {} };',
        '}',
      ].join('\n'),
      'src/routes/a.ts': [
        "import { Router } from 'express';",
        'export const r = Router();',
        'export const s = Router();',
        "r.get('/one', (req) => {});",
        "s.get('/two', (req) => {});",
        "r.post('/three', (req) => {});",
        "s.put('/four', (req) => {});",
      ].join('\n'),
      'src/routes/b.ts': [
        "import { makeRouter } from '../make';",
        'export const r = makeRouter();',
        "r.get('/five', (req) => {});",
        "r.patch('/six', (req) => {});",
      ].join('\n'),
      'src/routes/c.ts': [
        "import { makeThing } from '../make';",
        'const r = makeThing();',
        "r.get('/seven', (req) => {});",
        "r.get('/eight', (req) => {});",
      ].join('\n'),
      'src/app.ts': [
        "import express from 'express';",
        "import * as a from './routes/a';",
        "import { r as b } from './routes/b';",
        "import { requireCert } from './mw';",
        'const app = express();',
        'app.use(requireCert);',
        "app.use('/a', a.r);",
        "app.use('/s', a.s);",
        "app.use('/b', b);",
      ].join('\n'),
      'src/mw.ts': [
        'export function requireCert(req, res, next) {',
        '  if (!req.client.authorized) return res.status(403).end();',
        '  next();',
        '}',
      ].join('\n'),
    });
    checkProject(root);
    const project = factProject(root, projectSources(root));
    for (const file of ['src/routes/a.ts', 'src/routes/b.ts', 'src/routes/c.ts'])
      expect(project.byRelative(file)?.routeFacts?.length, file).toBeGreaterThan(1);
    expect(describeRoutes(extractCodeRoutes(project, new Map()))).toEqual(
      [
        'GET /a/one src/routes/a.ts:4',
        'POST /a/three src/routes/a.ts:6',
        'GET /s/two src/routes/a.ts:5',
        'PUT /s/four src/routes/a.ts:7',
        'GET /b/five src/routes/b.ts:3',
        'PATCH /b/six src/routes/b.ts:4',
        'GET /seven src/routes/c.ts:3',
        'GET /eight src/routes/c.ts:4',
      ].sort(),
    );
  });

  it('registers facts in the order of the calls around them (a router made by another file too)', () => {
    const root = tempProject({
      'package.json': '{"name":"x","dependencies":{"express":"4"}}',
      'src/routes/a.ts': [
        "import { Router } from 'express';",
        'export const a = Router();',
        "a.get('/one', (req) => {});",
        "a.delete('/two', async (req, res) => {\n  res.end();\n});",
        "a.patch('/three', (req) => {});",
      ].join('\n'),
      'src/routes/not-mounted.ts': [
        "import express from 'express';",
        'const lonely = express.Router();',
        "lonely.get('/alone', (req) => {});",
      ].join('\n'),
      'src/mw.ts': [
        'export function requireCert(req, res, next) {',
        '  if (!req.client.authorized) return res.status(403).end();',
        '  next();',
        '}',
      ].join('\n'),
      'src/app.ts': [
        "import express from 'express';",
        "import { a } from './routes/a';",
        "import { requireCert } from './mw';",
        'const app = express();',
        'app.use(express.json());',
        'app.use(requireCert);',
        "app.use('/api', a);",
      ].join('\n'),
    });
    checkProject(root);
    const project = factProject(root, projectSources(root));
    expect(project.byRelative('src/routes/not-mounted.ts')?.routeFacts?.length).toBe(1);
    expect(project.byRelative('src/routes/a.ts')?.routeFacts?.length).toBe(3);
    // The middleware's 403 is reached from the routes read as facts, in their order.
    const routes = extractCodeRoutes(project, new Map());
    const site = readFileSync(path.join(root, 'src/mw.ts'), 'utf8').indexOf('return res.status(403)');
    expect(describeRoutes(new Reach(project, routes).routesAt('src/mw.ts', site))).toEqual([
      'DELETE /api/two src/routes/a.ts:4',
      'GET /api/one src/routes/a.ts:3',
      'PATCH /api/three src/routes/a.ts:7',
    ]);
  });
});
