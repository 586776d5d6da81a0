import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 38 review (bluesky-social/atproto @ d6296a1c): `class ForbiddenError extends XRPCError { constructor(m) {
// super(ResponseType.Forbidden, m) } }` in @atproto/xrpc-server, with `ResponseType` an enum of another workspace
// package (@atproto/xrpc). The class was named, but none of the ~30 `throw new ForbiddenError(…)` in pds, ozone and
// bsky was: the links that pair a throw with its class read a class's status from literals and status-library
// constants only. A member of a table or enum (this module's, or another's through the link) now counts.

const ENUM =
  'export enum ResponseType { Unknown = 1, InvalidRequest = 400, Forbidden = 403, AppCode = 1006 }\n';

function project(errors: string): Record<string, string> {
  return {
    'package.json': '{"name":"root","private":true,"workspaces":["packages/*"]}',
    'packages/types/package.json':
      '{"name":"@x/types","exports":{".":{"types":"./dist/index.d.ts","default":"./dist/index.js"}}}',
    'packages/types/src/index.ts': ENUM,
    'packages/errs/package.json':
      '{"name":"@x/errs","exports":{".":{"types":"./dist/index.d.ts","default":"./dist/index.js"}}}',
    'packages/errs/src/index.ts': errors,
    'packages/app/package.json': '{"name":"@x/app","dependencies":{"express":"4","@x/errs":"*"}}',
    'packages/app/src/handler.ts':
      "import { ForbiddenError, CodeError } from '@x/errs';\n" +
      'export function handler(auth: { admin: boolean; code: boolean }) {\n' +
      "  if (!auth.admin) throw new ForbiddenError('no');\n" +
      "  if (!auth.code) throw new CodeError('app code, not a status');\n" +
      '  return 1;\n}\n',
  };
}

async function throwsListed(errors: string): Promise<string[]> {
  const dir = tempProject(project(errors));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const run = await runCliAsync(['migrate', '--json', '--dry-run', 'packages'], { cwd: dir });
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { sites: { file: string; line: number }[] };
  return report.sites
    .filter((s) => s.file === 'packages/app/src/handler.ts')
    .map((s) => `${s.file}:${s.line}`);
}

describe('migrate: the throws of a class whose status is a member of a table or enum', () => {
  it('an enum of another workspace package (super(ResponseType.Forbidden, m)): each throw is listed', async () => {
    const errors =
      "import { ResponseType } from '@x/types';\n" +
      'export class XError extends Error { constructor(public type: ResponseType, m?: string) { super(m); } }\n' +
      'export class ForbiddenError extends XError { constructor(m?: string) { super(ResponseType.Forbidden, m); } }\n' +
      'export class CodeError extends XError { constructor(m?: string) { super(ResponseType.AppCode, m); } }\n';
    expect(await throwsListed(errors)).toEqual(['packages/app/src/handler.ts:3']);
  });

  it("an enum of the class's own module, read by a literal key, and a status field", async () => {
    const errors =
      ENUM +
      'export class XError extends Error { constructor(public type: ResponseType, m?: string) { super(m); } }\n' +
      "export class ForbiddenError extends XError { constructor(m?: string) { super(ResponseType['Forbidden'], m); } }\n" +
      'export class CodeError extends Error { status = ResponseType.AppCode; }\n';
    expect(await throwsListed(errors)).toEqual(['packages/app/src/handler.ts:3']);
  });
});
