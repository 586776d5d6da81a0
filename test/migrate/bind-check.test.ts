import { describe, expect, it } from 'vitest';
import { introducedNames, unresolvedNames } from '../../src/migrate/bind-check.js';
import { planFile } from '../../src/migrate/transform.js';
import type { Site } from '../../src/migrate/types.js';

function site(text: string, token: string, replacement: string, imports: Site['imports'] = []): Site {
  const start = text.indexOf(token);
  return {
    file: 'a.ts',
    start,
    end: start + token.length,
    span: { start, end: start + token.length },
    framework: 'nestjs',
    form: token,
    kind: 'rewrite',
    edits: [{ start, end: start + token.length, text: replacement }],
    imports,
    replacement,
    reason: null,
    scope: { functionStart: 0, functionEnd: text.length },
    operation: null,
  };
}

describe('binder check after planning', () => {
  it('drops and reports an edit whose new name is not declared (would be TS2304)', () => {
    const text = "import { ForbiddenException } from '@nestjs/common';\nthrow new ForbiddenException('x');\n";
    const bad = site(text, "ForbiddenException('x')", '');
    // The edit above renames the callee but nothing adds the import.
    bad.edits = [
      { start: bad.start, end: bad.start + 'ForbiddenException'.length, text: 'UnauthorizedException' },
    ];
    const plan = planFile(text, 'a.ts', [bad], 0);
    expect(plan.text).toBe(text);
    expect(plan.refused).toHaveLength(1);
    expect(plan.refused[0].reason).toMatch(/UnauthorizedException/);
  });

  it('keeps an edit whose name resolves to an import', () => {
    const text =
      "import { ForbiddenException, UnauthorizedException } from '@nestjs/common';\nthrow new ForbiddenException('x');\n";
    const start = text.lastIndexOf('ForbiddenException');
    const ok = site(text, "ForbiddenException('x')", '');
    ok.edits = [{ start, end: start + 'ForbiddenException'.length, text: 'UnauthorizedException' }];
    const plan = planFile(text, 'a.ts', [ok], 0);
    expect(plan.refused).toHaveLength(0);
    expect(plan.text).toContain("throw new UnauthorizedException('x')");
  });

  it('reports a name bound twice (would be TS2300)', () => {
    const text = "import { A } from 'a';\nclass A {}\nnew B();\n";
    const start = text.indexOf('B()');
    const names = introducedNames([{ start, end: start + 1, text: 'A' }]);
    const after = text.slice(0, start) + 'A' + text.slice(start + 1);
    expect([...unresolvedNames('a.ts', after, names)]).toEqual(['A']);
  });

  it('ignores literals and member names', () => {
    expect(introducedNames([{ start: 0, end: 3, text: '401' }])).toEqual([]);
    const text = 'const s = { FORBIDDEN: 403, UNAUTHORIZED: 401 };\nuse(s.UNAUTHORIZED);\n';
    const start = text.indexOf('s.UNAUTHORIZED') + 2;
    expect(unresolvedNames('a.ts', text, [{ start, name: 'UNAUTHORIZED' }]).size).toBe(0);
  });
});
