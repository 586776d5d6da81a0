import { describe, expect, it } from 'vitest';
import { CallSites, calleeName, exportNamesOf } from '../../../src/migrate/analysis/call-sites.js';
import { Constants } from '../../../src/migrate/analysis/constants.js';
import { StatusEvaluator } from '../../../src/migrate/analysis/evaluation.js';
import { FileImports } from '../../../src/migrate/analysis/file-imports.js';
import { SiteRegistry } from '../../../src/migrate/analysis/sites.js';
import type { FunctionLike } from '../../../src/migrate/scope.js';
import { snippet, ts } from './parse.js';

function callSites(text: string, file = 'snippet.ts') {
  const s = snippet(text, file);
  const imports = new FileImports(s.sourceFile);
  const evaluator = new StatusEvaluator(s.sourceFile, text, 401, imports, new Constants(imports, undefined));
  const registry = new SiteRegistry('src/a.ts', text, s.sourceFile, imports, {
    testFile: false,
    importFor: () => [],
  });
  return { s, evaluator, registry, c: new CallSites(evaluator, registry, 401) };
}

describe('analysis/call-sites', () => {
  it('a helper parameter is recorded under each exported name, with one manual site', () => {
    const text = `export function deny(res, code) {\n  res.status(code);\n}\nmodule.exports.refuse = deny;`;
    const { s, evaluator, registry, c } = callSites(text);
    const form = s.find('res.status(code)', ts.isCallExpression);
    const param = evaluator.evaluate(form.arguments[0]);
    if (param.kind !== 'param') throw new Error('a parameter expected');
    expect(c.addHelper(param, form, 'express')).toBe(true);
    expect(c.addHelper(param, form, 'express')).toBe(false);
    expect(c.helpers.map((h) => [h.name, h.index, h.exportName])).toEqual([
      ['code', 1, 'deny'],
      ['code', 1, 'refuse'],
    ]);
    expect(registry.sites).toHaveLength(1);
    expect(registry.sites[0]).toMatchObject({ kind: 'manual', framework: 'express' });
    expect(registry.sites[0].reason).toContain(`parameter 'code'`);
  });

  it('a result helper (report) gets no site of its own', () => {
    const text = `const fail = (status) => ({ status });`;
    const { s, evaluator, registry, c } = callSites(text);
    const value = s.find('{ status }', ts.isObjectLiteralExpression)
      .properties[0] as ts.ShorthandPropertyAssignment;
    const param = evaluator.evaluate(value.name);
    if (param.kind !== 'param') throw new Error('a parameter expected');
    expect(c.addHelper(param, value, 'results', 'passed to a result')).toBe(true);
    expect(c.helpers).toEqual([expect.objectContaining({ name: 'status', report: 'passed to a result' })]);
    expect(registry.sites).toEqual([]);
  });

  it('candidate calls: a 403 argument, a 403 key, forwarded parameters; not an unrelated value (req.body)', () => {
    const text = [
      `deny(res, 403);`,
      `new ns.AppError({ status: 403, message: 'x' });`,
      `function wrap(res, code) { deny(res, code ?? 400); other(req.body); }`,
      `class E extends Base { constructor(opts) { super({ httpStatus: opts.status }); } }`,
    ].join('\n');
    const { s, c } = callSites(text);
    const calls: (ts.CallExpression | ts.NewExpression)[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.push(node);
      node.forEachChild(visit);
    };
    visit(s.sourceFile);
    for (const call of calls) c.candidateCall(call);
    expect(
      c.candidateCalls.map((k) => [
        k.callee,
        k.index,
        k.property ?? null,
        k.value.getText(s.sourceFile),
        k.forward?.name ?? null,
      ]),
    ).toEqual([
      ['deny', 1, null, '403', null],
      ['ns.AppError', 0, 'status', '403', null],
      // Any parameter passed on is recorded; matching with a helper's status index decides later.
      ['deny', 0, null, 'res', 'res'],
      ['deny', 1, null, 'code ?? 400', 'code'],
      ['Base', 0, 'httpStatus', 'opts.status', 'opts'],
    ]);
  });

  it('exportNamesOf: ES exports, default, export lists and CommonJS', () => {
    const text = [
      `export default class ApiError { constructor(status) {} }`,
      `const local = (status) => status;`,
      `export { local as shared };`,
      `function cjs(status) {}`,
      `module.exports = cjs;`,
    ].join('\n');
    const s = snippet(text);
    const fns: FunctionLike[] = [
      s.find('constructor(status) {}', ts.isConstructorDeclaration),
      s.find('(status) => status', ts.isArrowFunction),
      s.find('function cjs(status) {}', ts.isFunctionDeclaration),
    ];
    expect(fns.map((fn) => exportNamesOf(fn).sort())).toEqual([['default'], ['shared'], ['*', 'default']]);
  });

  it('calleeName names plain, member and super calls', () => {
    const s = snippet(`f(1); a.b(1); a.b.c(1); class X extends lib.Base { constructor() { super(1); } }`);
    const names = ['f(1)', 'a.b(1)', 'a.b.c(1)', 'super(1)'].map((t) =>
      calleeName(s.find(t, ts.isCallExpression)),
    );
    expect(names).toEqual(['f', 'a.b', 'a.b.c', 'lib.Base']);
  });
});
