import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { TRPC_CODES } from '../../status-names.js';
import { expectSubject } from './subjects.js';

// tRPC error codes in tests: `expect(error.code).toBe('FORBIDDEN')` on a tRPC caller is the procedure's 403.

/** `'FORBIDDEN'`: the tRPC error code a procedure answers 403 with (`new TRPCError({ code: 'FORBIDDEN' })`). */
export function isTrpcCode(
  value: ts.Expression | undefined,
): value is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return Boolean(
    value &&
    (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) &&
    value.text === TRPC_CODES[403],
  );
}

/** `expect(error.code)`, `expect(err.data?.code)`, `expect(e.shape.data.code)`: an error's code, the subject. */
export function isCodeSubject(object: ts.Expression): boolean {
  const subject = expectSubject(object);
  return Boolean(subject && ts.isPropertyAccessExpression(subject) && subject.name.text === 'code');
}

/**
 * A test of tRPC procedures: it imports a tRPC package (directly or through a project module that re-exports
 * it) or calls a server-side caller (`createCaller(ctx)`, `createCallerFactory(router)`), so a `code: 'FORBIDDEN'` it expects is the procedure's TRPCError code
 * (trpc.ts rewrites it with the status), not a body text of the project's own.
 */
export function trpcTest(analysis: FileAnalysis): boolean {
  let known = TRPC_TESTS.get(analysis);
  if (known === undefined) {
    known =
      /\bfrom\s*['"]@trpc\/|\brequire\(\s*['"]@trpc\/|\bcreateCaller(?:Factory)?\b/.test(analysis.text) ||
      // `import { TRPCError } from '../src/trpc'`, a project module that re-exports tRPC's names.
      [...analysis.imports.keys()].some((local) => analysis.packageOf(local)?.module.startsWith('@trpc/'));
    TRPC_TESTS.set(analysis, known);
  }
  return known;
}

const TRPC_TESTS = new WeakMap<FileAnalysis, boolean>();

/** The tRPC code a test expects, as a site: renamed to the target's code, or manual when tRPC has none. */
export function trpcCode(analysis: FileAnalysis, value: ts.Expression, form: ts.Node): void {
  const to = TRPC_CODES[analysis.target];
  if (to) analysis.addSite({ node: form, framework: 'tests', edits: [analysis.phraseEdit(value, to)] });
  else
    analysis.addSite({
      node: form,
      framework: 'tests',
      manual: true,
      reason: `The test expects the tRPC code FORBIDDEN (403) and tRPC has no code for ${analysis.target}: assert on the status instead.`,
    });
}
