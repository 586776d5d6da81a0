import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// breaker50 (b0b4456/remix-mini): the default export of app/entry.server.tsx, `handleRequest(request,
// responseStatusCode, …)` answering `new Response(markup, { status: responseStatusCode })`, was "Shared helper …
// No call passing 403 was linked to it … find its callers": Remix calls it, a user has no caller to find. The note
// now says who chooses the status and where its 403s are decided; the same function under another file name keeps
// the helper's note.

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-entry-'));
  temps.push(cwd);
  const dependencies = { '@remix-run/node': '*', '@remix-run/react': '*', react: '*' };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const DECLARED = `import type { EntryContext } from '@remix-run/node';
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  return new Response('<!DOCTYPE html>' + String(remixContext), { status: responseStatusCode, headers: responseHeaders });
}
`;
const ARROW = `import type { EntryContext } from '@remix-run/node';
export default async (request: Request, status: number, headers: Headers, context: EntryContext) =>
  new Response(String(context), { status, headers });
`;

function reasonIn(report: MigrateReport, file: string): string {
  return report.sites.find((s) => s.file === file)?.reason ?? '';
}

describe("a Remix server entry's status parameter", () => {
  it.each([
    ['app/entry.server.tsx', DECLARED, 'responseStatusCode'],
    [
      'app/entry.server.jsx',
      DECLARED.replace(/: (?:Request|number|Headers|EntryContext)/g, '').replace(/^import type .*\n/, ''),
      'responseStatusCode',
    ],
    ['app/entry.server.ts', ARROW, 'status'],
  ])('%s says the framework chooses it', async (file, text, name) => {
    const report = await run({ [file]: text });
    expect(reasonIn(report, file)).toBe(
      `Remix / React Router server entry: the framework calls it with the status it chose for the request (parameter '${name}'). A 403 reaches it only from a loader, an action or a thrown Response, each a site of its own in this report (rewritten or named): change those, not this line; once they are done, mark this line // mtls-fix-ignore: <why>.`,
    );
  });

  it('the same function in another file keeps the helper note', async () => {
    const report = await run({ 'app/render.server.tsx': DECLARED });
    expect(reasonIn(report, 'app/render.server.tsx')).toMatch(
      /^Shared helper: .*No call passing 403 was linked to it/,
    );
  });
});
