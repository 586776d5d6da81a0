import { describe, expect, it } from 'vitest';
import ts from '../../../src/typescript.cjs';
import { matcherCovers, readMatcher } from '../../../src/migrate/routes/next-matcher.js';
import { parseCodePath } from '../../../src/migrate/routes/paths.js';
import type { Project, ProjectFile } from '../../../src/migrate/routes/project.js';

// Next.js middleware `config.matcher` (session 37, breakfix37a): which route paths it may run for.
function covers(source: string, route: string): boolean {
  const file = {
    sourceFile: ts.createSourceFile('m.ts', '', ts.ScriptTarget.Latest),
  } as unknown as ProjectFile;
  const matcherFile = ts.createSourceFile(
    'middleware.ts',
    `export const config = { matcher: ${JSON.stringify(source)} };`,
    ts.ScriptTarget.Latest,
    true,
  );
  const statement = matcherFile.statements[0] as ts.VariableStatement;
  const declaration = statement.declarationList.declarations[0];
  const project = {
    exportOf: () => [{ file: { ...file, sourceFile: matcherFile }, node: declaration }],
    stringOf: (_: ProjectFile, e: ts.Expression) => (ts.isStringLiteral(e) ? e.text : undefined),
  } as unknown as Project;
  const matcher = readMatcher(project, file);
  if (!matcher || 'unreadable' in matcher) throw new Error('unread');
  return parseCodePath(route, 'colon').some((s) => matcher.paths.some((entry) => matcherCovers(entry, s)));
}

describe('Next.js middleware matcher coverage', () => {
  it('path-to-regexp parameters: :path* takes zero or more segments, :id one', () => {
    expect(covers('/api/:path*', '/api')).toBe(true);
    expect(covers('/api/:path*', '/api/accounts/:id')).toBe(true);
    expect(covers('/api/:path+', '/api')).toBe(false);
    expect(covers('/api/cards/:id', '/api/cards/:id/limits')).toBe(false);
    expect(covers('/api/accounts/:path*', '/api/status')).toBe(false);
  });
  it('a route parameter may be the matcher literal, a group spanning segments is a wildcard', () => {
    expect(covers('/api/admin/:path*', '/api/:section/users')).toBe(true);
    expect(covers('/(api|trpc)(.*)', '/trpc/accounts')).toBe(true);
    expect(covers('/dashboard/:path((?!login).*)', '/dashboard/x/y')).toBe(true);
  });
  it('negative lookahead: every path but those starting with a plain alternative', () => {
    const negative = '/((?!api/status|_next/static|favicon.ico).*)';
    expect(covers(negative, '/api/status')).toBe(false);
    expect(covers(negative, '/api/accounts/:id')).toBe(true);
    // A parameter first: it may be any segment, `api` included or not.
    expect(covers(negative, '/:tenant/status')).toBe(true);
    // A regex alternative excludes nothing mtls-fix can be sure of.
    expect(covers('/((?!.*\\.png$).*)', '/api/accounts')).toBe(true);
  });
});
