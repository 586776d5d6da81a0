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

describe('route loaders, form actions and server functions that return data', () => {
  it('counts a plain { status: 403 } they return as route-data, and keeps their real statuses as sites', async () => {
    const report = await run({
      // Remix / React Router: a returned object is the loader's data (200); `json(…, { status: 403 })` is a 403.
      'app/routes/notes.$id.tsx': `import { json } from '@remix-run/node';
export async function loader({ params }: { params: { id: string } }) {
  if (!params.id) return { status: 403, error: 'Forbidden' };
  return { status: 200, note: params.id };
}
export const action = async ({ request }: { request: Request }) => {
  if (!request.headers.get('cookie')) return json({ error: 'no' }, { status: 403 });
  return { status: 403, message: 'read only' };
};
`,
      // React Router 7 framework mode, outside app/routes/: the import says it is a route module.
      'src/pages/admin.tsx': `import { data } from 'react-router';
export async function clientLoader() {
  return { ok: false, status: 403 };
}
export async function loader() {
  return data({ error: 'no' }, { status: 403 });
}
`,
      // SvelteKit: `load` and form actions return page data; `fail(403)` sets the status.
      'src/routes/admin/+page.server.ts': `import { fail } from '@sveltejs/kit';
export const load = async ({ locals }: { locals: { user?: string } }) => {
  if (!locals.user) return { status: 403, reason: 'Forbidden' };
  return { status: 200 };
};
export const actions = {
  default: async () => ({ status: 403 }),
  async save({ locals }: { locals: { user?: string } }) {
    if (!locals.user) return fail(403, { error: 'no' });
    return { status: 403 };
  },
};
`,
      // Astro actions and TanStack Start server functions: their value is data.
      'src/actions/index.ts': `import { defineAction } from 'astro:actions';
export const server = {
  publish: defineAction({
    handler: async () => ({ status: 403, error: 'Forbidden' }),
  }),
};
`,
      'src/server/fns.ts': `import { createServerFn } from '@tanstack/react-start';
export const getSecret = createServerFn({ method: 'GET' }).handler(async () => {
  return { status: 403 };
});
`,
      // Not a route module: a returned result a caller sends later stays reported.
      'lib/results.ts': `export function check(ok: boolean) {
  return ok ? { status: 200 } : { status: 403 };
}
`,
    });
    expect(report.sites.map((s) => `${s.file}:${s.line} ${s.framework} ${s.action}`)).toEqual([
      'app/routes/notes.$id.tsx:7 remix would-rewrite',
      'lib/results.ts:2 results manual',
      'src/pages/admin.tsx:6 remix would-rewrite',
      'src/routes/admin/+page.server.ts:9 sveltekit would-rewrite',
    ]);
    // Eight returned 403s and the three 'Forbidden' texts beside them.
    expect(report.census.notAnEmit['route-data']).toBe(11);
  });
});
