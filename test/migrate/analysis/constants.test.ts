import { describe, expect, it } from 'vitest';
import { Constants } from '../../../src/migrate/analysis/constants.js';
import { FileImports } from '../../../src/migrate/analysis/file-imports.js';
import type { ImportLink } from '../../../src/migrate/analysis/types.js';
import { snippet, ts } from './parse.js';

function constants(text: string, link?: ImportLink) {
  const s = snippet(text);
  return { s, c: new Constants(new FileImports(s.sourceFile), link) };
}

describe('analysis/constants', () => {
  it('reads status library constants with their names', () => {
    const { s, c } = constants(
      [
        `import { StatusCodes } from 'http-status-codes';`,
        `import { HttpStatus } from '@nestjs/common';`,
        `import { constants } from 'node:http2';`,
        `import { Status } from 'jsr:@oak/oak';`,
        `StatusCodes.FORBIDDEN; HttpStatus.NOT_FOUND; HttpStatus.OK; constants.HTTP_STATUS_FORBIDDEN; Status.Forbidden; Other.FORBIDDEN;`,
      ].join('\n'),
    );
    const member = (text: string) => c.libraryConstant(s.find(text, ts.isPropertyAccessExpression));
    expect(member('StatusCodes.FORBIDDEN')).toMatchObject({ value: 403 });
    expect(member('StatusCodes.FORBIDDEN')?.names[401]).toBe('UNAUTHORIZED');
    expect(member('HttpStatus.NOT_FOUND')?.value).toBe(404);
    // A name outside the 4xx table is the library's, with no value we use.
    expect(member('HttpStatus.OK')?.value).toBe(-1);
    expect(member('constants.HTTP_STATUS_FORBIDDEN')?.value).toBe(403);
    expect(member('constants.HTTP_STATUS_FORBIDDEN')?.names[401]).toBe('HTTP_STATUS_UNAUTHORIZED');
    expect(member('Status.Forbidden')).toMatchObject({ value: 403 });
    expect(member('Status.Forbidden')?.names[401]).toBe('Unauthorized');
    expect(member('Other.FORBIDDEN')).toBeUndefined();
  });

  it('reads a local const with its siblings, and a parameter of the same name shadows it', () => {
    const { s, c } = constants(
      [
        `const FORBIDDEN = 403;`,
        `const UNAUTHORIZED = 401;`,
        `let LOOSE = 403;`,
        `let FIXED = 403;`,
        `LOOSE = 500;`,
        `use(FORBIDDEN, LOOSE, FIXED);`,
        `function f(FORBIDDEN) { return FORBIDDEN + 1; }`,
      ].join('\n'),
    );
    const local = c.localConstant(
      s.find('use(FORBIDDEN, LOOSE, FIXED)', ts.isCallExpression).arguments[0] as ts.Identifier,
    );
    expect(local?.value).toBe(403);
    expect(local?.siblings.get(401)).toBe('UNAUTHORIZED');
    // A `let` assigned again is no constant; one never assigned again is (session 33).
    expect(c.localConstant(s.find('LOOSE', ts.isIdentifier))).toBeUndefined();
    expect(c.localConstant(s.find('FIXED', ts.isIdentifier))?.value).toBe(403);
    const shadowed = s.find('FORBIDDEN + 1', ts.isBinaryExpression).left as ts.Identifier;
    expect(c.localConstant(shadowed)).toBeUndefined();
  });

  it('reads members of a local object and enum, and says which are numbers', () => {
    const { s, c } = constants(
      [
        `const HTTP = { FORBIDDEN: 403, UNAUTHORIZED: 401, TEXT: '403' };`,
        `enum Codes { Denied = 403, Unauthorized = 401 }`,
        `HTTP.FORBIDDEN; HTTP.TEXT; Codes.Denied; HTTP.MISSING;`,
      ].join('\n'),
    );
    const at = (text: string) => s.find(text, ts.isPropertyAccessExpression);
    expect(c.localMember(at('HTTP.FORBIDDEN'))?.siblings.get(401)).toBe('UNAUTHORIZED');
    expect(c.localMember(at('Codes.Denied'))?.value).toBe(403);
    expect(c.localMember(at('HTTP.MISSING'))).toBeUndefined();
    expect(c.memberIsNumber(at('HTTP.FORBIDDEN'))).toBe(true);
    expect(c.memberIsNumber(at('HTTP.TEXT'))).toBe(false);
    expect(c.localMember(at('HTTP.TEXT'))?.value).toBe(403);
  });

  it('asks the cross-file link for imported names, unless a local declaration hides them', () => {
    const asked: string[] = [];
    const link: ImportLink = {
      constant: (binding) => {
        asked.push(`constant ${binding.module}#${binding.name}`);
        return { value: 403, siblings: new Map([[401, 'NO_AUTH']]), file: '/x/codes.ts' };
      },
      member: (binding, member) => {
        asked.push(`member ${binding.module}#${binding.name}.${member}`);
        return { value: 403, siblings: new Map(), file: '/x/codes.ts' };
      },
      classStatus: () => undefined,
    };
    const { s, c } = constants(
      [
        `import { NO_ACCESS, Codes } from './codes';`,
        `import * as all from './all';`,
        `NO_ACCESS;`,
        `Codes.DENIED;`,
        `all;`,
        `function f() { const NO_ACCESS = 1; return NO_ACCESS; }`,
      ].join('\n'),
      link,
    );
    const use = (index: number) => (s.sourceFile.statements[index] as ts.ExpressionStatement).expression;
    expect(c.importedConstant(use(2) as ts.Identifier)?.siblings.get(401)).toBe('NO_AUTH');
    expect(c.importedMember(use(3) as ts.PropertyAccessExpression)?.value).toBe(403);
    // A namespace import is not a constant; a local const of the same name hides the import.
    expect(c.importedConstant(use(4) as ts.Identifier)).toBeUndefined();
    const local = s.find('return NO_ACCESS;', ts.isReturnStatement).expression as ts.Identifier;
    expect(c.importedConstant(local)).toBeUndefined();
    expect(asked).toEqual(['constant ./codes#NO_ACCESS', 'member ./codes#Codes.DENIED']);
    // Without the cross-file phase, imports are opaque.
    expect(
      new Constants(new FileImports(s.sourceFile), undefined).importedConstant(use(2) as ts.Identifier),
    ).toBeUndefined();
  });

  it('knows the status message tables', () => {
    const { c } = constants(
      `import { STATUS_CODES } from 'http';\nimport httpStatus from 'http-status';\nimport x from 'y';`,
    );
    expect(c.isStatusTable('STATUS_CODES')).toBe(true);
    expect(c.isStatusTable('httpStatus')).toBe(true);
    expect(c.isStatusTable('x')).toBe(false);
  });
});
