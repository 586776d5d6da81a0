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
import { scannedSkeletonText } from '../../../src/migrate/routes/skeleton-scan.js';
import { routeSkeletonTree } from '../../../src/migrate/routes/skeleton-tree.js';
import { trimForRoutes, wiringMethodNames } from '../../../src/migrate/routes/skeleton.js';
import { WIRINGS } from '../../../src/migrate/routes/wirings.js';

// Issue 9 §3 / 11: the trees the main thread trims itself (`--spec` in place, and the files the skeleton thread
// has not reached) come from the tokens' skeleton text when the tokens can tell, else from a whole parse and the
// tree rule. Every fixture project, every file made so: the routes and the reach at every identifier, return and
// throw of the full trees must be the same as on the full trees and as on the trees of the whole-parse path.
const WIRING_METHODS = wiringMethodNames(WIRINGS);
const plain = (routes: CodeRoute[]): unknown => JSON.parse(JSON.stringify(routes));

let fromTokens = 0;
let fromParse = 0;

describe('route skeleton trees made on the calling thread', () => {
  it.each(ROUTE_PROJECT_ROOTS.map((root) => [path.relative(FIXTURES, root), root]))('%s', (_name, root) => {
    const files = projectSources(root);
    const full = new Project(root, files);
    const viaParse = new Project(root, files, undefined, (file) => {
      const sourceFile = parseSource(file.relative, readFileSync(file.absolute, 'utf8'));
      trimForRoutes(sourceFile, WIRING_METHODS);
      return sourceFile;
    });
    const viaTokens = new Project(root, files, undefined, (file) => {
      const text = readFileSync(file.absolute, 'utf8');
      if (scannedSkeletonText(file.relative, text, WIRING_METHODS) === undefined) fromParse++;
      else fromTokens++;
      return routeSkeletonTree(file.relative, text, WIRING_METHODS);
    });
    const fullRoutes = extractCodeRoutes(full, new Map());
    const tokenRoutes = extractCodeRoutes(viaTokens, new Map());
    expect(plain(tokenRoutes)).toEqual(plain(fullRoutes));
    expect(plain(tokenRoutes)).toEqual(plain(extractCodeRoutes(viaParse, new Map())));
    const fullReach = new Reach(full, fullRoutes);
    const tokenReach = new Reach(viaTokens, tokenRoutes);
    for (const file of full.files) {
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
          const position = node.getStart(file.sourceFile);
          expect(
            describeRoutes(tokenReach.routesAt(file.relative, position)),
            `${file.relative}@${position}`,
          ).toEqual(describeRoutes(fullReach.routesAt(file.relative, position)));
        }
        node.forEachChild(visit);
      };
      visit(file.sourceFile);
    }
  });

  it('took both ways in the fixture projects (otherwise the comparison proves nothing)', () => {
    expect(fromTokens).toBeGreaterThan(100);
    expect(fromParse).toBeGreaterThan(10);
  });

  it('gives the tree rule tree where the tokens can tell, the trimmed whole parse where they cannot', () => {
    const handler =
      "import { Router } from 'express';\nconst r = Router();\nr.get('/x', (req, res) => { res.end(); });\n";
    const trimmed = (file: string, code: string): string => {
      const sourceFile = parseSource(file, code);
      trimForRoutes(sourceFile, WIRING_METHODS);
      return shape(sourceFile);
    };
    for (const [file, code] of [
      ['a.ts', handler],
      // Tokens cannot tell: JSX may be in a .tsx / .js file, and a `/` after `}` may start a regular expression.
      ['a.tsx', handler],
      ['a.js', handler],
      ['a.ts', `${handler}if (x) {}\n/a/.test(y);\n`],
    ] as const) {
      const made = routeSkeletonTree(file, code, WIRING_METHODS);
      expect(made.text.length, file).toBe(code.length);
      expect(shape(made), file).toBe(trimmed(file, code));
    }
  });
});
