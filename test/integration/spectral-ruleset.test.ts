import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { unpackInto } from '../helpers/package.js';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * The published ruleset under the real Spectral CLI, installed from `npm pack` into projects laid out as
 * npm, pnpm and `file:` links leave them, next to packages that broke it before (js-yaml 3.x and 5.x at
 * the top level). The package is unpacked without its dependencies: the ruleset must need none but
 * Spectral's own packages.
 */
const SPECTRAL_CLI = path.join(REPO_ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');
const EXAMPLE = path.join(REPO_ROOT, 'examples/openapi.yaml');

interface Result {
  code: string;
  message: string;
  path: (string | number)[];
  range: { start: { line: number } };
}

type Layout = 'npm' | 'pnpm' | 'file-link';

/** A project with mtls-fix installed in `layout`, and `jsYaml` (a devDependency of ours) as its js-yaml. */
function project(layout: Layout, jsYaml: 'js-yaml-3' | 'js-yaml-5', ruleset: Record<string, string>): string {
  const cwd = tempProject(ruleset);
  const modules = path.join(cwd, 'node_modules');
  mkdirSync(modules);
  const yamlSource = path.join(REPO_ROOT, 'node_modules', jsYaml);
  if (layout === 'npm') {
    unpackInto(path.join(modules, 'mtls-fix'));
    cpSync(yamlSource, path.join(modules, 'js-yaml'), { recursive: true });
  } else if (layout === 'pnpm') {
    // pnpm: real folders under node_modules/.pnpm, only direct dependencies linked at the top.
    const store = path.join(modules, '.pnpm');
    const mtlsFix = unpackInto(path.join(store, 'mtls-fix@0.1.0/node_modules/mtls-fix'));
    const yaml = path.join(store, 'js-yaml@3/node_modules/js-yaml');
    cpSync(yamlSource, yaml, { recursive: true });
    symlinkSync(mtlsFix, path.join(modules, 'mtls-fix'), 'dir');
    symlinkSync(yaml, path.join(modules, 'js-yaml'), 'dir');
  } else {
    // `npm install file:../vendor/mtls-fix` links a folder outside the project.
    const vendored = unpackInto(path.join(cwd, '..', `${path.basename(cwd)}-vendor`, 'mtls-fix'));
    symlinkSync(vendored, path.join(modules, 'mtls-fix'), 'dir');
    cpSync(yamlSource, path.join(modules, 'js-yaml'), { recursive: true });
  }
  copyFileSync(EXAMPLE, path.join(cwd, 'openapi.yaml'));
  return cwd;
}

function spectral(cwd: string, file: string, extra: string[] = []): { results: Result[]; stderr: string } {
  const run = spawnSync(process.execPath, [SPECTRAL_CLI, 'lint', file, '-f', 'json', '--quiet', ...extra], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (!run.stdout.trim().startsWith('[')) throw new Error(`spectral failed: ${run.stdout}${run.stderr}`);
  return { results: JSON.parse(run.stdout) as Result[], stderr: run.stderr };
}

function ours(cwd: string, file: string, args: string[] = []): Result[] {
  return JSON.parse(runCli(['lint', file, '-f', 'json', ...args], { cwd }).stdout) as Result[];
}

function comparable(results: Result[]): string[] {
  return results
    .filter((r) => r.code.startsWith('mtls-'))
    .map((r) => [r.code, r.message, JSON.stringify(r.path), r.range.start.line].join(' | '))
    .sort();
}

const WITH_OAS = { '.spectral.yaml': 'extends: ["spectral:oas", "mtls-fix/ruleset"]\n' };

describe('the bundled ruleset in a project as installed from npm pack', () => {
  it.each<[Layout, 'js-yaml-3' | 'js-yaml-5']>([
    ['npm', 'js-yaml-3'],
    ['npm', 'js-yaml-5'],
    ['pnpm', 'js-yaml-3'],
    ['file-link', 'js-yaml-3'],
  ])(
    '%s layout with %s at the top level: same results as mtls-fix lint, spectral:oas still runs',
    (layout, yaml) => {
      const cwd = project(layout, yaml, WITH_OAS);
      const { results, stderr } = spectral(cwd, 'openapi.yaml');
      expect(stderr).toBe('');
      expect(results.map((r) => r.code)).toContain('operation-operationId');
      expect(comparable(results)).toHaveLength(2);
      expect(comparable(results)).toEqual(comparable(ours(cwd, 'openapi.yaml')));
    },
  );

  it('takes function options from a YAML ruleset (functionsDir)', () => {
    const cwd = project('npm', 'js-yaml-3', {
      '.spectral.yaml': [
        'extends: ["mtls-fix/ruleset"]',
        'functionsDir: node_modules/mtls-fix/dist/spectral-functions',
        'functions: [mtlsNo403, mtls4xxRange]',
        'rules:',
        '  mtls-no-403:',
        '    given: $',
        '    then: { function: mtlsNo403, functionOptions: { status: 404 } }',
        '  mtls-4xx-range:',
        '    given: $',
        '    then: { function: mtls4xxRange, functionOptions: { status: 404 } }',
        '',
      ].join('\n'),
    });
    const { results } = spectral(cwd, 'openapi.yaml');
    expect(results.map((r) => r.code).sort()).toEqual(['mtls-4xx-range', 'mtls-no-403']);
    expect(results.every((r) => r.message.includes('404 (the agreed status)'))).toBe(true);
    expect(comparable(results)).toEqual(comparable(ours(cwd, 'openapi.yaml', ['--status', '404'])));
  });

  it('takes function options from a JSON ruleset, including a scheme for OAS 3.0', () => {
    const cwd = project('pnpm', 'js-yaml-3', {
      '.spectral.json': JSON.stringify({
        extends: ['mtls-fix/ruleset'],
        functionsDir: 'node_modules/mtls-fix/dist/spectral-functions',
        functions: ['mtlsNo403'],
        rules: {
          'mtls-no-403': {
            given: '$',
            then: { function: 'mtlsNo403', functionOptions: { schemes: ['tls'] } },
          },
          'mtls-4xx-range': 'off',
        },
      }),
      'api.yaml': [
        'openapi: 3.0.3',
        "info: {title: t, version: '1'}",
        'components: {securitySchemes: {tls: {type: http, scheme: bearer}}}',
        'security: [{tls: []}]',
        'paths:',
        '  /a:',
        '    get:',
        "      responses: {'200': {description: ok}, '403': {description: no}}",
        '',
      ].join('\n'),
    });
    const { results } = spectral(cwd, 'api.yaml', ['-r', '.spectral.json']);
    expect(results.map((r) => [r.code, r.range.start.line])).toEqual([['mtls-no-403', 7]]);
    expect(results[0]?.message).toContain("(scheme 'tls')");
  });

  it('mtlsRuleset({...}) from .spectral.js sets the options inline', () => {
    const cwd = project('npm', 'js-yaml-5', {
      '.spectral.js': [
        "import { mtlsRuleset } from 'mtls-fix/ruleset';",
        'export default { extends: [mtlsRuleset({ status: 404, everywhere: true, useConfigFile: false })] };',
        '',
      ].join('\n'),
      // Ignored: useConfigFile is false.
      'mtls-fix.config.yaml': 'status: 418\n',
      'plain.yaml':
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'403': {description: no}}\n",
    });
    // An npm install of mtls-fix hoists its Spectral dependencies next to it.
    mkdirSync(path.join(cwd, 'node_modules/@stoplight'));
    for (const name of ['spectral-core', 'spectral-formats']) {
      symlinkSync(
        path.join(REPO_ROOT, 'node_modules/@stoplight', name),
        path.join(cwd, 'node_modules/@stoplight', name),
        'dir',
      );
    }
    const { results } = spectral(cwd, 'plain.yaml', ['-r', '.spectral.js']);
    expect(results.map((r) => r.code)).toEqual(['mtls-no-403']);
    expect(results[0]?.message).toMatch(/is mTLS-secured \(mtls\.everywhere.*Answer 404/);
  });

  it('finds the config file upward from the document, not from where Spectral runs', () => {
    const cwd = project('npm', 'js-yaml-3', {
      ...WITH_OAS,
      'svc/mtls-fix.config.yaml': 'status: 404\n',
    });
    copyFileSync(EXAMPLE, path.join(cwd, 'svc/openapi.yaml'));
    const mtls = spectral(cwd, 'svc/openapi.yaml').results.filter((r) => r.code.startsWith('mtls-'));
    expect(mtls).toHaveLength(2);
    expect(mtls.every((r) => r.message.includes('404 (the agreed status)'))).toBe(true);
  });

  it('a broken config file is one result per rule, never a crash: spectral:oas still reports', () => {
    const cwd = project('npm', 'js-yaml-3', { ...WITH_OAS, 'mtls-fix.config.yaml': 'status: 403\n' });
    const { results } = spectral(cwd, 'openapi.yaml');
    expect(results.map((r) => r.code)).toContain('operation-operationId');
    const mtls = results.filter((r) => r.code.startsWith('mtls-'));
    expect(mtls.length).toBeGreaterThan(0);
    for (const result of mtls) {
      expect(result.message).toMatch(
        /^mtls-fix could not check this document: .*mtls-fix\.config\.yaml:1: invalid config key 'status'/,
      );
    }
  });
});

describe('the bundled ruleset where Node built-ins are missing (the Spectral VS Code extension)', () => {
  const bundlePath = path.join(REPO_ROOT, 'dist/ruleset.js');

  it('imports nothing but Spectral packages: no node: import, no npm package', () => {
    const code = readFileSync(bundlePath, 'utf8');
    const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)].map(
      (m) => m[1],
    );
    const bare = [...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(new Set([...specifiers, ...bare])).toEqual(
      new Set(['@stoplight/spectral-formats', '@stoplight/spectral-core']),
    );
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/\brequire\(["']/);
    expect(code).not.toMatch(/import\.meta/);
  });

  it("bundles with Spectral's runtime preset (no node: resolution) and lints with inline options in a sandbox without process", async () => {
    const { bundleRuleset } = await import('@stoplight/spectral-ruleset-bundler');
    const { builtins } = await import('@stoplight/spectral-ruleset-bundler/plugins/builtins');
    const { virtualFs } = await import('@stoplight/spectral-ruleset-bundler/plugins/virtualFs');
    const cwd = tempProject({
      '.spectral.js':
        "import { mtlsRuleset } from 'mtls-fix/ruleset';\nexport default { extends: [mtlsRuleset({ everywhere: true, status: 404 })] };\n",
    });
    // Stands in for the CDN the extension fetches npm imports from: the same file, served as is.
    const cdn = {
      name: 'cdn',
      resolveId: (id: string) => (id === 'mtls-fix/ruleset' ? bundlePath : null),
    };
    const fs = await import('node:fs');
    const code = await bundleRuleset(path.join(cwd, '.spectral.js'), {
      target: 'runtime',
      format: 'iife',
      plugins: [builtins(), cdn, virtualFs({ fs, fetch })],
    });
    const registry = Symbol.for('@stoplight-spectral/builtins');
    const sandbox: Record<string | symbol, unknown> = {
      [registry]: (globalThis as Record<symbol, unknown>)[registry],
    };
    // The iife returns the ruleset; the sandbox has no `process`, so no config file and no node: modules.
    const value = vm.runInNewContext(code, sandbox) as { extends: unknown[] };
    expect(value.extends).toHaveLength(1);
    const { Spectral, Document } = await import('@stoplight/spectral-core');
    const Parsers = await import('@stoplight/spectral-parsers');
    const linter = new Spectral();
    linter.setRuleset(value as never);
    const doc = new Document(
      "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'403': {description: no}}\n",
      Parsers.Yaml,
      '/virtual/openapi.yaml',
    );
    const results = await linter.run(doc);
    expect(results.map((r) => r.code)).toEqual(['mtls-no-403']);
    expect(results[0]?.message).toMatch(/is mTLS-secured \(mtls\.everywhere.*Answer 404/);
  });
});
