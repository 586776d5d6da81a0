import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MtlsFixError } from '../../src/errors.js';
import { resolveGuard } from '../../src/runtime/options.js';
import { REPO_ROOT } from '../helpers/paths.js';

const folders: string[] = [];
function project(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-runtime-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe('runtime guard options', () => {
  it('without status, takes the config file status and migrate.wwwAuthenticate', () => {
    const cwd = project({ 'mtls-fix.config.yaml': 'status: 404\nmigrate:\n  wwwAuthenticate: Bearer\n' });
    expect(resolveGuard({}, cwd)).toMatchObject({
      status: 404,
      statusText: 'Not Found',
      wwwAuthenticate: undefined,
    });
    expect(resolveGuard({ status: 401 }, cwd)).toMatchObject({ status: 401, wwwAuthenticate: 'Bearer' });
  });

  it('without status or config file, uses 401', () => {
    expect(resolveGuard(undefined, project({}))).toMatchObject({ status: 401, statusText: 'Unauthorized' });
  });

  it('the option wins over the config file', () => {
    const cwd = project({ '.mtls-fixrc.json': '{ "status": 404 }' });
    expect(resolveGuard({ status: 410, wwwAuthenticate: 'Bearer' }, cwd).status).toBe(410);
  });

  it.each([
    [{ status: 403 }, /status 403 is the status being replaced/],
    [{ status: 500 }, /not a 4xx/],
    [{ status: 401, wwwAuthenticate: ' ' }, /wwwAuthenticate/],
    [{ status: 401, trustHeader: { name: 'bad header' } }, /trustHeader.name/],
    [{ status: 401, trustHeader: { name: 'x-ok', value: '' } }, /trustHeader.value/],
  ])('rejects %j at creation', (options, message) => {
    expect(() => resolveGuard(options as never, project({}))).toThrow(message);
    expect(() => resolveGuard(options as never, project({}))).toThrow(MtlsFixError);
  });

  it('an invalid config file stops the guard with the file named', () => {
    const cwd = project({ 'mtls-fix.config.json': '{ "status": 403 }' });
    expect(() => resolveGuard({}, cwd)).toThrow(MtlsFixError);
  });

  it('lowercases the trusted header name', () => {
    expect(
      resolveGuard({ status: 401, trustHeader: { name: 'X-SSL-Client-Verify', value: 'SUCCESS' } })
        .trustHeader,
    ).toEqual({ name: 'x-ssl-client-verify', value: 'SUCCESS' });
  });
});

describe('mtls-fix/runtime imports', () => {
  it('reach only Node built-ins and the config readers (no framework, no ts-morph, no Spectral, no oclif)', () => {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\s(?:type\s)?[^'"]*?from\s+'([^']+)'/gm)) {
        const specifier = match[1] ?? '';
        if (/^import type|^export type/.test(match[0].trim())) continue;
        if (specifier.startsWith('.'))
          visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
        else packages.add(specifier.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1'));
      }
    };
    visit(path.join(REPO_ROOT, 'src/runtime/index.ts'));
    const external = [...packages].filter((name) => !name.startsWith('node:')).sort();
    // The config readers: js-yaml, lilconfig, and jsonc-parser for a JSON config's syntax error (config/json-syntax.ts).
    expect(external).toEqual(['js-yaml', 'jsonc-parser', 'lilconfig']);
    expect(seen.size).toBeGreaterThan(8);
  });

  it('is a package export', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, { default: string }>;
    };
    expect(manifest.exports['./runtime']?.default).toBe('./dist/src/runtime/index.js');
  });
});
