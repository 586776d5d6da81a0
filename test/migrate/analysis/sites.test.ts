import { describe, expect, it } from 'vitest';
import { FileImports } from '../../../src/migrate/analysis/file-imports.js';
import { SiteRegistry } from '../../../src/migrate/analysis/sites.js';
import type { Edit, ImportNeed } from '../../../src/migrate/types.js';
import { snippet, ts } from './parse.js';

function registry(text: string, testFile = false, importFor: (edit: Edit) => ImportNeed[] = () => []) {
  const s = snippet(text);
  return {
    s,
    r: new SiteRegistry('src/a.ts', text, s.sourceFile, new FileImports(s.sourceFile), {
      testFile,
      importFor,
    }),
  };
}

describe('analysis/sites', () => {
  it('records a rewrite with its form, replacement, span and scope; a second report of the location is dropped', () => {
    const text = `app.get('/a', (req, res) => {\n  res.status(403).send('x');\n});`;
    const { s, r } = registry(text);
    const form = s.find('res.status(403)', ts.isCallExpression);
    const literal = form.arguments[0];
    const edit = { start: literal.getStart(s.sourceFile), end: literal.getEnd(), text: '401' };
    r.addSite({ node: form, framework: 'express', edits: [edit, { ...edit }] });
    r.addSite({ node: form, framework: 'other', manual: true });
    expect(r.sites).toHaveLength(1);
    const [site] = r.sites;
    expect(site).toMatchObject({
      file: 'src/a.ts',
      framework: 'express',
      form: 'res.status(403)',
      kind: 'rewrite',
      replacement: 'res.status(401)',
      edits: [edit],
      reason: null,
      operation: null,
    });
    expect(text.slice(site.start, site.end)).toBe('res.status(403)');
    expect(site.span).toEqual({ start: site.start, end: site.end });
  });

  it('a manual site carries no edits and no replacement; `at` and `cover` move location and span', () => {
    const text = `throw new HttpError(code, { extra: 403 });`;
    const { s, r } = registry(text);
    const form = s.find('new HttpError(code, { extra: 403 })', ts.isNewExpression);
    const at = s.find('code', ts.isIdentifier);
    r.addSite({
      node: form,
      at,
      framework: 'x',
      manual: true,
      reason: 'why',
      edits: [{ start: 0, end: 1, text: 'y' }],
      cover: { start: 0, end: text.length },
    });
    expect(r.sites[0]).toMatchObject({
      kind: 'manual',
      edits: [],
      imports: [],
      replacement: null,
      reason: 'why',
    });
    expect(text.slice(r.sites[0].start, r.sites[0].end)).toBe('code');
    expect(r.sites[0].span).toEqual({ start: 0, end: text.length });
  });

  it('links the import edit that goes with a value edit', () => {
    const need: ImportNeed = {
      module: './codes',
      from: 'A',
      to: 'B',
      present: false,
      rename: { start: 0, end: 0, text: '' },
      add: { start: 0, end: 0, text: '' },
      remove: { start: 0, end: 0, text: '' },
    };
    const text = `f(A);`;
    const edit = { start: 2, end: 3, text: 'B' };
    const { s, r } = registry(text, false, (e) => (e.start === 2 ? [need] : []));
    r.addSite({ node: s.find('f(A)', ts.isCallExpression), framework: 'x', edits: [edit] });
    expect(r.sites[0].imports).toEqual([need]);
    expect(r.sites[0].replacement).toBe('f(B)');
  });

  it('a mock file is marked whole as not an emit, once, and gets no site', () => {
    const text = `import { http, HttpResponse } from 'msw';\nhttp.get('/x', () => new HttpResponse(null, { status: 403 }));\nres.status(403);`;
    const { s, r } = registry(text);
    expect(r.mockFile).toBe(true);
    r.addSite({ node: s.find('res.status(403)', ts.isCallExpression), framework: 'x' });
    r.addSite({ node: s.find('{ status: 403 }', ts.isObjectLiteralExpression), framework: 'x' });
    expect(r.sites).toEqual([]);
    expect(r.notAnEmitRanges).toEqual([{ start: 0, end: text.length, kind: 'mock' }]);
  });

  it('in a test file only the mock call is marked; the rest is a site', () => {
    const text = `import nock from 'nock';\nnock('https://x').get('/').reply(403);\nexpect(res.status).toBe(403);`;
    const { s, r } = registry(text, true);
    expect(r.mockFile).toBe(false);
    const reply = s.find('403', ts.isNumericLiteral);
    r.addSite({ node: reply, framework: 'tests' });
    const assertion = s.find('expect(res.status).toBe(403)', ts.isCallExpression);
    r.addSite({ node: assertion, framework: 'tests' });
    expect(r.notAnEmitRanges).toEqual([
      { start: reply.getStart(s.sourceFile), end: reply.getEnd(), kind: 'mock' },
    ]);
    expect(r.sites.map((site) => site.form)).toEqual(['expect(res.status).toBe(403)']);
  });

  it('notAnEmit marks a node range with its kind', () => {
    const { s, r } = registry(`schema.forbidden();`);
    const call = s.find('schema.forbidden()', ts.isCallExpression);
    r.notAnEmit(call, 'validator');
    expect(r.notAnEmitRanges).toEqual([{ start: 0, end: 18, kind: 'validator' }]);
  });
});
