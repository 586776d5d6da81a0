import { describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { parseSource, syntaxErrors } from '../../src/migrate/parse.js';

// parseSource leaves JSDoc comments as comments (src/migrate/parse.ts PARSE_OPTIONS): cheaper to parse, and
// nothing of migrate reads a JSDoc node. These cases hold it to that: no JSDoc node on the tree, and every other
// node, position, parent and syntax error the same as the compiler's full parse (JSDoc parsed) gives.

/** Each node `forEachChild` reaches, as `kind@pos-end<parentKind`, in walk order. */
function shape(sourceFile: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    out.push(`${ts.SyntaxKind[node.kind]}@${node.pos}-${node.end}<${ts.SyntaxKind[node.parent.kind]}`);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return out;
}

/** Whether any node below `root` carries JSDoc (`jsDoc`, which the compiler sets when it parses a comment). */
function hasJsDoc(root: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if ((node as ts.Node & { jsDoc?: unknown[] }).jsDoc?.length) found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

const CASES: { file: string; text: string }[] = [
  {
    file: 'routes.js',
    text: [
      '/** @typedef {import("express").Response} Res */',
      '/**',
      ' * @openapi',
      ' * /items:',
      ' *   get:',
      ' *     responses:',
      ' *       403: { description: Forbidden }',
      ' * @param {import("express").Request} req',
      ' * @param {Res} res',
      ' */',
      'function list(req, res) {',
      '  /** @type {number} */',
      '  const code = 403;',
      '  return res.status(/** @type {number} */ (code)).json({ error: "forbidden" });',
      '}',
      '/** @import { Router } from "express" */',
      'module.exports = { list };',
    ].join('\n'),
  },
  {
    file: 'guard.ts',
    text: [
      "import { ForbiddenException } from '@nestjs/common';",
      '/** Denies the request. {@link ForbiddenException} @deprecated use deny() */',
      'export class Guard {',
      '  /** @returns never */',
      '  canActivate(): boolean {',
      '    throw new ForbiddenException(); /** trailing */',
      '  }',
      '}',
    ].join('\n'),
  },
  // A broken JSDoc comment and a syntax error: the syntax errors are the parser's, not JSDoc's.
  { file: 'broken.ts', text: '/** @param {Array<} x */\nfunction f(x) { return x.status(403 }\n' },
];

describe('parseSource leaves JSDoc as comments', () => {
  for (const { file, text } of CASES) {
    it(`${file}: no JSDoc node; the same tree and syntax errors as a full parse`, () => {
      const ours = parseSource(file, text);
      const full = ts.createSourceFile(
        file,
        text,
        ts.ScriptTarget.Latest,
        true,
        file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS,
      );
      expect(hasJsDoc(full)).toBe(true);
      expect(hasJsDoc(ours)).toBe(false);
      expect(shape(ours)).toEqual(shape(full));
      expect(syntaxErrors(ours).map((d) => [d.start, d.code])).toEqual(
        syntaxErrors(full).map((d) => [d.start, d.code]),
      );
    });
  }
});
