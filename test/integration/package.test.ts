import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { unpackInto } from '../helpers/package.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { lint } from '../../src/index.js';

/** The package as `npm pack` makes it: clean under publint, licensed, no dangling source maps. */
describe('package hygiene', () => {
  const cwd = tempProject();
  const pkgDir = unpackInto(path.join(cwd, 'node_modules/mtls-fix'));
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;

  it('publint (strict) finds nothing', async () => {
    const { messages, pkg } = await publint({ pkgDir, strict: true, level: 'suggestion' });
    expect(messages.map((message) => formatMessage(message, pkg))).toEqual([]);
  });

  it('ships a LICENSE matching "license", and repository/homepage/bugs pointing where the help links do', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(path.join(pkgDir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const base = 'https://github.com/mtls-fix/mtls-fix';
    expect(manifest.homepage).toBe(`${base}#readme`);
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${base}.git` });
    expect(manifest.keywords).toEqual(expect.arrayContaining(['openapi', 'spectral', 'mtls']));
    const rules = readFileSync(path.join(REPO_ROOT, 'src/findings/meta.ts'), 'utf8');
    expect(rules).toContain(`${base}/blob/main/README.md`);
  });

  it('has no source map (they would point at sources that are not shipped)', () => {
    const files = walk(pkgDir);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    const withMapComment = files.filter(
      (file) => file.endsWith('.js') && readFileSync(file, 'utf8').includes('//# sourceMappingURL='),
    );
    expect(withMapComment.map((file) => path.relative(pkgDir, file))).toEqual([]);
  });

  it('CommonJS: require("mtls-fix") works (Node >= 20.19 loads ES modules through require)', () => {
    // The package's own dependencies, as an install would bring them.
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkgDir, 'node_modules'), 'dir');
    const run = spawnSync(
      process.execPath,
      [
        '-e',
        "const m = require('mtls-fix'); console.log(typeof m.lint, typeof m.migrate, typeof m.loadConfig)",
      ],
      { cwd, encoding: 'utf8' },
    );
    expect(run.stdout.trim()).toBe('function function function');
  });
});

describe('programmatic lint()', () => {
  it('works without a config argument: each document gets the config found upward from its folder', async () => {
    const cwd = tempProject({
      'api/openapi.yaml':
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents: {securitySchemes: {tpp: {type: http, scheme: bearer}}}\nsecurity: [{tpp: []}]\npaths:\n  /a:\n    get:\n      responses: {'403': {description: no}}\n",
      'api/mtls-fix.config.yaml': 'status: 404\nmtls: {schemes: [tpp]}\n',
    });
    const report = await lint({ files: ['api/openapi.yaml'], cwd });
    expect(report.results.map((result) => result.code)).toEqual(['mtls-no-403']);
    expect(report.results[0]?.message).toContain('Answer 404');
    expect(report.ignored).toEqual([]);
    expect(existsSync(path.join(cwd, 'api/openapi.yaml'))).toBe(true);
  });
});

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
