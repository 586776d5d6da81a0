import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserPackages } from '../../src/migrate/browser-packages.js';
import { Project } from '../../src/migrate/routes/project.js';

// Browser apps (a monorepo's frontend) are not walked by the test follower's route graph; the rest of the
// project still resolves to them (lookups), and the follower's files are parsed only when reached.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'mtls-fix-browser-')));
  temps.push(cwd);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

const manifest = (dependencies: string[], devDependencies: string[] = []): string =>
  JSON.stringify({
    dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])),
    devDependencies: Object.fromEntries(devDependencies.map((d) => [d, '*'])),
  });

describe('browser packages', () => {
  const cases: { name: string; dependencies: string[]; dev?: string[]; browser: boolean }[] = [
    { name: 'a React SPA', dependencies: ['react', 'react-dom', 'vite'], browser: true },
    {
      name: 'a React SPA with a client router',
      dependencies: ['react', 'react-router', 'react-router-dom'],
      browser: true,
    },
    {
      name: 'React Router framework mode',
      dependencies: ['react', 'react-router'],
      dev: ['@react-router/dev'],
      browser: false,
    },
    { name: 'a Vue app', dependencies: ['vue', 'pinia'], browser: true },
    { name: 'an Angular app', dependencies: ['@angular/core', '@angular/router'], browser: true },
    { name: 'a Svelte app', dependencies: ['svelte'], browser: true },
    { name: 'SvelteKit', dependencies: ['svelte'], dev: ['@sveltejs/kit'], browser: false },
    { name: 'Next.js', dependencies: ['react', 'next'], browser: false },
    { name: 'Nuxt', dependencies: ['vue', 'nuxt'], browser: false },
    { name: 'React with an Express server', dependencies: ['react', 'express'], browser: false },
    {
      name: 'a Connect-Web client',
      dependencies: ['react', '@connectrpc/connect', '@connectrpc/connect-web'],
      browser: true,
    },
    {
      name: 'a Connect server with a React admin',
      dependencies: ['react', '@connectrpc/connect-node'],
      browser: false,
    },
    { name: 'a server without UI', dependencies: ['fastify'], browser: false },
    { name: 'a library', dependencies: ['lodash'], browser: false },
  ];
  it.each(cases)('$name: $browser', ({ dependencies, dev, browser }) => {
    const cwd = project({ 'web/package.json': manifest(dependencies, dev), 'web/src/deep/x.ts': '' });
    expect(new BrowserPackages(cwd).isBrowserFile(path.join(cwd, 'web/src/deep/x.ts'))).toBe(browser);
  });

  it('reads the nearest package.json only, not the workspace root above it', () => {
    const cwd = project({
      'package.json': manifest(['express']),
      'server.ts': '',
      'frontend/package.json': manifest(['react']),
      'frontend/src/App.tsx': '',
      'tools/x.ts': '',
    });
    const packages = new BrowserPackages(cwd);
    expect(packages.isBrowserFile(path.join(cwd, 'frontend/src/App.tsx'))).toBe(true);
    expect(packages.isBrowserFile(path.join(cwd, 'server.ts'))).toBe(false);
    expect(packages.isBrowserFile(path.join(cwd, 'tools/x.ts'))).toBe(false);
  });

  it('counts a folder without any package.json up to the working folder as not a browser app', () => {
    const cwd = project({ 'src/a.ts': '' });
    expect(new BrowserPackages(cwd).isBrowserFile(path.join(cwd, 'src/a.ts'))).toBe(false);
  });
});

describe('a project with walked files and trees made on first use', () => {
  it('walks only the walked files, finds the others by path and import, and parses only what is reached', () => {
    const cwd = project({
      'server/app.ts': "import { handler } from './handler';\nexport const handlers = [handler];\n",
      'server/handler.ts': 'export function handler() { return 403; }\n',
      'web/App.ts': 'export function handler() { return 1; }\n',
      'web/unused.ts': 'export const unused = 1;\n',
    });
    const files = ['server/app.ts', 'server/handler.ts', 'web/App.ts', 'web/unused.ts'].map((relative) => ({
      relative,
      absolute: path.join(cwd, relative),
    }));
    const parsed: string[] = [];
    const parse = (file: { absolute: string; relative: string }): ts.SourceFile => {
      parsed.push(file.relative);
      return ts.createSourceFile(
        file.relative,
        ts.sys.readFile(file.absolute) ?? '',
        ts.ScriptTarget.Latest,
        true,
      );
    };
    const walked = new Project(cwd, files, undefined, parse, {
      lazy: true,
      walked: (f) => !f.relative.startsWith('web/'),
    });
    expect(parsed).toEqual([]);
    expect(walked.files.map((f) => f.relative)).toEqual(['server/app.ts', 'server/handler.ts']);
    // The reference index sees only walked files: `handler` in web/App.ts is not one of them.
    expect(walked.identifiersNamed('handler').map((i) => i.file.relative)).toEqual([
      'server/app.ts',
      'server/app.ts',
      'server/handler.ts',
    ]);
    expect(parsed.sort()).toEqual(['server/app.ts', 'server/handler.ts']);
    // Still found by path, and parsed then.
    expect(walked.byRelative('web/App.ts')?.sourceFile.statements).toHaveLength(1);
    expect(parsed).toContain('web/App.ts');
    expect(parsed).not.toContain('web/unused.ts');
    // Without options: every file walked, every file parsed now.
    parsed.length = 0;
    const eager = new Project(cwd, files, undefined, parse);
    expect(parsed).toHaveLength(4);
    expect(eager.files).toHaveLength(4);
  });
});
