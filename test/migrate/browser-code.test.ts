import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// Browser code reads 403s, never sends them: a client-side error class built from a received status
// (`{ 403: new ApiError(403, 'Access denied') }` in a React hook of gniewkob/salonbw's Next.js panel) was rewritten
// to 401, so the client's 403 entry built an error saying 401. Server entries in files that also import React
// (getServerSideProps, Remix loaders) are still the server's.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-bc-'));
  temps.push(cwd);
  const dependencies = {
    next: '*',
    react: '*',
    express: '*',
    '@remix-run/node': '*',
    '@remix-run/react': '*',
  };
  writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ name: 'p', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), `${text}\n`);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run', force: true })).report;
}

describe('browser code sends no status', () => {
  it('client error classes are not rewritten; server entries beside React still are', async () => {
    const report = await run({
      'src/hooks/useApi.ts': [
        "import { useCallback } from 'react';",
        "import { useRouter } from 'next/router';",
        '',
        'class ApiError extends Error {',
        '  constructor(public readonly status: number, message: string) {',
        '    super(message);',
        '  }',
        '}',
        '',
        'export function useApi() {',
        '  const router = useRouter();',
        '  return useCallback(async (url: string) => {',
        '    const res = await fetch(url);',
        "    if (res.status === 401) await router.push('/login');",
        "    const byStatus: Record<number, ApiError> = { 403: new ApiError(403, 'Access denied') };",
        "    if (!res.ok) throw byStatus[res.status] ?? new ApiError(res.status, 'Request failed');",
        '    return res.json();',
        '  }, [router]);',
        '}',
      ].join('\n'),
      'src/components/Deny.tsx': [
        "'use client';",
        'export class DeniedError extends Error {',
        '  status = 0;',
        '  constructor(status: number) {',
        "    super('denied');",
        '    this.status = status;',
        '  }',
        '}',
        'export function fail(): never {',
        '  throw new DeniedError(403);',
        '}',
      ].join('\n'),
      'pages/admin.tsx': [
        "import { useRouter } from 'next/router';",
        "import type { GetServerSideProps } from 'next';",
        '',
        'export const getServerSideProps: GetServerSideProps = async ({ res }) => {',
        '  res.statusCode = 403;',
        '  return { props: {} };',
        '};',
        '',
        'export default function Admin() {',
        '  return useRouter().pathname;',
        '}',
      ].join('\n'),
      'app/routes/admin.tsx': [
        "import { useLoaderData } from '@remix-run/react';",
        "import { json } from '@remix-run/node';",
        '',
        'export async function loader() {',
        "  throw json({ message: 'denied' }, { status: 403 });",
        '}',
        '',
        'export default function Admin() {',
        '  return useLoaderData<typeof loader>();',
        '}',
      ].join('\n'),
      'server/errors.ts': [
        "import express from 'express';",
        '',
        'export class ApiError extends Error {',
        '  constructor(public readonly status: number, message: string) {',
        '    super(message);',
        '  }',
        '}',
        '',
        'export const app = express();',
        "app.get('/admin', () => {",
        "  throw new ApiError(403, 'Access denied');",
        '});',
      ].join('\n'),
    });
    const rows = report.sites.map((s) => [s.file, s.line, s.framework, s.action]);
    expect(rows).toEqual([
      ['app/routes/admin.tsx', 5, 'remix', 'would-rewrite'],
      ['pages/admin.tsx', 5, 'node-http', 'would-rewrite'],
      ['server/errors.ts', 4, 'error-classes', 'manual'],
      ['server/errors.ts', 11, 'error-classes', 'would-rewrite'],
      // The census still lists the client's status map entry for a person to review.
      ['src/hooks/useApi.ts', 15, 'unknown', 'manual'],
    ]);
    expect(report.census.notAnEmit.client).toBe(2);
  });

  it('a browser service worker answers its own page: its 403 responses are not rewritten; a Cloudflare Worker is a server', async () => {
    const report = await run({
      'public/sw.js': [
        "self.addEventListener('install', () => self.skipWaiting());",
        "self.addEventListener('fetch', (event) => {",
        "  if (new URL(event.request.url).pathname.startsWith('/admin'))",
        "    event.respondWith(new Response('offline: not allowed', { status: 403 }));",
        '});',
      ].join('\n'),
      'src/sw.ts': [
        '/// <reference lib="webworker" />',
        'declare const self: ServiceWorkerGlobalScope;',
        "self.addEventListener('fetch', (event) => {",
        '  event.respondWith(new Response(null, { status: 403 }));',
        '});',
      ].join('\n'),
      'worker/index.js': [
        "addEventListener('fetch', (event) => {",
        "  event.respondWith(new Response('denied', { status: 403 }));",
        '});',
      ].join('\n'),
    });
    const rows = report.sites.map((s) => [s.file, s.line, s.action]);
    expect(rows).toEqual([['worker/index.js', 2, 'would-rewrite']]);
    expect(report.census.notAnEmit.client).toBe(2);
  });

  // Session 29, silence29 (LubomirGeorgiev/cloudflare-workers-nextjs-saas-template): server modules of a Next.js
  // app that import React's server-only `cache` (`import 'server-only'` at the top) were counted `client`, and
  // the five throws there that its API answers 403 for read clean.
  it.each([
    ["import 'server-only';\nimport { cache } from 'react';", 'server-only and cache'],
    ["import { cache } from 'react';", 'cache alone'],
    ["'use server';\nimport { useState } from 'react';", "'use server'"],
    ["require('server-only');\nconst { useMemo } = require('react');", 'require server-only'],
  ])('%s: %s is server code', async (head) => {
    const report = await run({
      'src/lib/teams.ts': [
        head,
        'export const getTeams = cache(async () => 1);',
        "export function deny() { return new Response('no', { status: 403 }); }",
      ].join('\n'),
    });
    expect(report.sites.map((s) => s.action)).toEqual(['would-rewrite']);
  });

  // breaker46 (saurabhwebdev/heliostar@1e6ae0a): `const [forbidden, setForbidden] = useState(false)` of a
  // `'use client'` access guard was four manual "names a 403 in a shape mtls-fix does not know" sites (the census
  // adds its own sites after the modules' sites of browser code were demoted), so `--check` failed on a page that
  // only reads an answer. Each kind of browser code: `'use client'`, a module importing React alone, a service worker.
  it('names in browser code that the census would report are client, never manual; the same names in server code stay', async () => {
    const guard = (head: string): string =>
      [
        head,
        'export default function Guard() {',
        '  const [forbidden, setForbidden] = useState(false);',
        '  useEffect(() => { setForbidden(!allowed()); }, []);',
        '  return { open: forbidden };',
        '}',
        'declare function allowed(): boolean;',
      ].join('\n');
    const report = await run({
      'src/components/access-guard.tsx': guard("'use client';\nimport { useEffect, useState } from 'react';"),
      'src/hooks/use-guard.ts': guard("import { useEffect, useState } from 'react';"),
      'public/sw.js': [
        "self.addEventListener('install', () => self.skipWaiting());",
        'let forbiddenPaths = [];',
        "self.addEventListener('message', (e) => { notifyForbidden(e.data); });",
      ].join('\n'),
      'src/server/guard.ts': guard("import { useEffect, useState } from './state';"),
    });
    const manual = report.sites.filter((s) => s.action === 'manual').map((s) => s.file);
    expect(new Set(manual)).toEqual(new Set(['src/server/guard.ts']));
    // `setForbidden(…)` and `{ open: forbidden }` of each component, the service worker's `notifyForbidden(…)`.
    expect(report.census.notAnEmit.client).toBe(5);
  });
});
