import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Functions whose value is data of a 200 answer (Next.js server actions, tRPC procedures, GraphQL resolvers):
// a `{ status: 403 }` they return is no HTTP 403 (data-answers.ts). It is counted as not an emit of its kind,
// and a route that imports such a function and sends its status is still read and reported.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-data-'));
  temps.push(cwd);
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies: { next: '*' } }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const ACTIONS = `'use server';
import { deny } from 'deny-lib';
export async function deletePost(id: string) {
  if (!id) return { status: 403, error: 'Forbidden' };
  return { status: 200 };
}
export async function withCall() {
  return { status: 403, detail: deny(403) };
}
`;

const INLINE = `export default function Page() {
  async function act(form: FormData) {
    'use server';
    if (!form.get('x')) return { status: 403, message: 'Forbidden' };
    return { status: 200 };
  }
  return act;
}
`;

const TRPC = `import { initTRPC } from '@trpc/server';
const t = initTRPC.create();
export const router = t.router({
  del: t.procedure.mutation(() => ({ status: 403 })),
});
export const resolvers = { Query: { me: () => ({ statusCode: 403 }) } };
`;

describe('data answers', () => {
  it('counts a server action, procedure or resolver result as not an emit, never as a site', async () => {
    const report = await run({ 'app/actions.ts': ACTIONS, 'app/page.tsx': INLINE, 'server/trpc.ts': TRPC });
    expect(report.sites.filter((s) => s.framework === 'results')).toEqual([]);
    expect(report.census.notAnEmit['server-action']).toBe(5);
    expect(report.census.notAnEmit['trpc-result']).toBe(1);
    expect(report.census.notAnEmit['graphql-result']).toBe(1);
    // Only the status and its literal companions: an unknown 403 call inside the data stays to review.
    const unknown = report.sites.filter((s) => s.framework === 'unknown');
    expect(unknown.map((s) => [s.file, s.line])).toEqual([['app/actions.ts', 8]]);
  });

  it('parses a route that sends a server action status and names the action there', async () => {
    const route = `import { NextResponse } from 'next/server';
import { deletePost } from '../../actions';
export async function POST() {
  const r = await deletePost('1');
  return NextResponse.json(r, { status: r.status });
}
`;
    const report = await run({ 'app/actions.ts': ACTIONS, 'app/api/del/route.ts': route });
    const sent = report.sites.filter((s) => s.file === 'app/api/del/route.ts');
    expect(sent).toHaveLength(1);
    expect(sent[0].action).toBe('manual');
    expect(sent[0].reason).toContain('deletePost()');
  });

  it('does not read a server action result as the answer of a request elsewhere in the component', async () => {
    const route = `import { NextResponse } from 'next/server';
export async function GET() {
  return new NextResponse(null, { status: 403 });
}
`;
    const admin = `'use server';
export const admin = async () => ({ status: 403 });
`;
    const page = `'use client';
import { admin } from '@/lib/admin';
export default function AdminPage() {
  const viaRoute = async () => {
    const res = await fetch('/api/admin');
    if (res.status === 403) alert('no');
  };
  const viaAction = async () => {
    const response = await admin();
    if (response.status === 403) alert('no');
  };
  return [viaRoute, viaAction];
}
`;
    const report = await run({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
      'app/api/admin/route.ts': route,
      'lib/admin.ts': admin,
      'app/admin/page.tsx': page,
    });
    const readers = report.sites.filter((s) => s.framework === 'reader').map((s) => `${s.file}:${s.line}`);
    expect(readers).toEqual(['app/admin/page.tsx:6']);
  });
});
