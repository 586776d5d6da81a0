import { existsSync } from 'node:fs';
import path from 'node:path';
import { readDependencies } from './package-dependencies.js';
import { FRAMEWORKS } from './frameworks/index.js';

/** UI frameworks: a package that depends on one is an app a browser (or a device) runs. */
const UI_PACKAGES = [
  'react',
  'react-dom',
  'react-native',
  'vue',
  'svelte',
  '@angular/core',
  'preact',
  'solid-js',
];

/**
 * Packages that run a UI package's code on a server too (server rendering, loaders, route handlers): with one of
 * them, or with a server framework (a framework module's enabler), the package is not a browser app.
 * Sources: the frameworks' docs (Next.js, Nuxt, SvelteKit, Astro, Remix, React Router framework mode, TanStack
 * Start, Vike, Qwik City, Angular SSR).
 */
const SERVER_SIDE = [
  'next',
  'nuxt',
  '@sveltejs/kit',
  'astro',
  'remix',
  '@remix-run/node',
  '@remix-run/server-runtime',
  '@remix-run/cloudflare',
  '@remix-run/deno',
  '@remix-run/express',
  '@remix-run/dev',
  '@react-router/node',
  '@react-router/serve',
  '@react-router/dev',
  '@react-router/express',
  '@tanstack/react-start',
  '@tanstack/start',
  'vike',
  '@builder.io/qwik-city',
  '@angular/ssr',
  '@nguniversal/express-engine',
];

/**
 * Framework enablers a browser app depends on too: React Router as a client router (its framework mode, which
 * runs loaders on a server, needs `@react-router/dev`, listed above), Connect's client core (servers add
 * `@connectrpc/connect-node`, `-express`, `-fastify`).
 */
const CLIENT_TOO = new Set(['react-router', 'react-router-dom', '@connectrpc/connect', '@bufbuild/connect']);

/**
 * Which source files belong to a browser app: their nearest package.json (the package they are part of, not
 * the workspace root's) depends on a UI framework and on nothing that answers HTTP (no server framework, no
 * server-rendering framework). Such files register no server route and call no server handler, so the test
 * follower's route graph need not walk them (a monorepo's frontend is often most of its files). Answers are
 * cached per folder; an unreadable package.json counts as one without dependencies.
 */
export class BrowserPackages {
  private readonly byFolder = new Map<string, boolean>();
  private serverPackages?: ReadonlySet<string>;

  /** @param stop the folder above which no package.json is looked for (the working folder). */
  constructor(private readonly stop: string) {}

  /** Whether the file at `absolute` is part of a browser app (see the class). */
  isBrowserFile(absolute: string): boolean {
    return this.isBrowserFolder(path.dirname(absolute));
  }

  private isBrowserFolder(folder: string): boolean {
    const cached = this.byFolder.get(folder);
    if (cached !== undefined) return cached;
    const manifest = path.join(folder, 'package.json');
    const parent = path.dirname(folder);
    let browser: boolean;
    if (existsSync(manifest)) browser = this.isBrowserPackage(manifest);
    else if (folder === this.stop || parent === folder) browser = false;
    else browser = this.isBrowserFolder(parent);
    this.byFolder.set(folder, browser);
    return browser;
  }

  private isBrowserPackage(manifest: string): boolean {
    const names = [...readDependencies(manifest)];
    this.serverPackages ??= new Set(
      [...FRAMEWORKS.flatMap((f) => f.enablers), ...SERVER_SIDE].filter((n) => !CLIENT_TOO.has(n)),
    );
    const server = this.serverPackages;
    return names.some((n) => UI_PACKAGES.includes(n)) && !names.some((n) => server.has(n));
  }
}
