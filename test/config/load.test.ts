import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigSync, resolveConfig } from '../../src/config/index.js';
import { MtlsFixError } from '../../src/errors.js';
import { tempProject } from '../helpers/cli.js';
import { configError } from '../helpers/config-error.js';

describe('config search', () => {
  it.each([
    ['mtls-fix.config.json', '{"status": 404}'],
    ['mtls-fix.config.yaml', 'status: 404\n'],
    ['mtls-fix.config.yml', 'status: 404\n'],
    ['.mtls-fixrc', 'status: 404\n'],
    ['.mtls-fixrc.json', '{"status": 404}'],
    ['.mtls-fixrc.yaml', 'status: 404\n'],
    ['mtls-fix.config.mjs', 'export default { status: 404 };\n'],
    ['mtls-fix.config.cjs', 'module.exports = { status: 404 };\n'],
    ['package.json', '{"name": "x", "mtls-fix": {"status": 404}}'],
  ])('finds %s', async (name, content) => {
    const cwd = tempProject({ [name]: content });
    const loaded = await loadConfig({ cwd });
    expect(loaded.filepath?.endsWith(name)).toBe(true);
    expect(resolveConfig(loaded.config).status).toBe(404);
  });

  // breaker27 #05: a package.json key (status 404) beside a config file (status 401): the search read the first
  // and ignored the other in silence.
  it('refuses two config sources in one folder, naming both, in both searches; --config picks one', async () => {
    const files = {
      'package.json': '{"name": "x", "mtls-fix": {"status": 404}}',
      'mtls-fix.config.yaml': 'status: 401\n',
    };
    expect(await configError(files)).toBe(
      'mtls-fix.config.yaml: two mtls-fix configs in one folder: package.json ("mtls-fix" key) and ' +
        'mtls-fix.config.yaml; only the first would be read. Keep one: move the settings you want into it and ' +
        'delete the other (or pass the one to use with --config).',
    );
    const cwd = tempProject(files);
    expect(() => loadConfigSync({ cwd })).toThrow(/two mtls-fix configs in one folder/);
    const chosen = await loadConfig({ cwd, configPath: 'mtls-fix.config.yaml' });
    expect(resolveConfig(chosen.config).status).toBe(401);
    // A package.json without the key is no config.
    const one = tempProject({ 'package.json': '{"name": "x"}', '.mtls-fixrc': 'status: 404\n' });
    expect(resolveConfig((await loadConfig({ cwd: one })).config).status).toBe(404);
  });

  it('reads package.json as npm does: a key written twice elsewhere in it is no config error', async () => {
    // mojaloop/quoting-service's manifest repeats a key under `overrides`; npm keeps the last value.
    const manifest =
      '{\n  "name": "x",\n  "overrides": { "a": "1", "a": "2" },\n  "mtls-fix": { "status": 404 }\n}\n';
    const loaded = await loadConfig({ cwd: tempProject({ 'package.json': manifest }) });
    expect(resolveConfig(loaded.config).status).toBe(404);
    // No mtls-fix key at all: the search goes on to the defaults.
    const bare = await loadConfig({
      cwd: tempProject({ 'package.json': '{ "name": "x", "name": "y" }' }),
    });
    expect(resolveConfig(bare.config).status).toBe(401);
  });

  it('still names the line of a package.json that does not parse', async () => {
    const cwd = tempProject({ 'package.json': '{\n  "name": "x",\n  "mtls-fix": [ }\n}\n' });
    const error = await loadConfig({ cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MtlsFixError);
    expect((error as MtlsFixError).location?.line).toBe(3);
  });

  // breaker33: a package.json with a trailing comma (and its brace lost) was "invalid config file: unexpected end
  // of the stream within a flow collection" at 2:1, a YAML reader's words; a trailing comma YAML could read was
  // taken in silence, though npm and Node refuse the file.
  it.each([
    [
      '{"name":"z","dependencies":{"express":"*"},\n',
      "package.json:2:1: JSON syntax error in package.json: the file ends inside an object (a '}' missing for line 1). Fix package.json (npm and Node cannot read it either), then run again.",
    ],
    [
      '{\n  "name": "z",\n  "mtls-fix": { "status": 404 },\n}\n',
      "package.json:3:32: JSON syntax error in package.json: a trailing comma before '}' (JSON allows none). Fix package.json (npm and Node cannot read it either), then run again.",
    ],
  ])('a package.json that is not JSON is named by its JSON error: %j', async (manifest, line) => {
    expect(await configError({ 'package.json': manifest })).toBe(line);
  });

  it('a .json config YAML cannot read either is named by its JSON error', async () => {
    expect(await configError({ '.mtls-fixrc.json': '{\n  "status": 404,\n' })).toBe(
      ".mtls-fixrc.json:3:1: invalid config file: JSON syntax error: the file ends inside an object (a '}' missing for line 1). Fix the syntax.",
    );
  });

  it('searches parent folders', () => {
    const cwd = tempProject({ 'mtls-fix.config.yaml': 'mtls:\n  everywhere: true\n', 'deep/er/x.txt': '' });
    const loaded = loadConfigSync({ cwd: `${cwd}/deep/er` });
    expect(resolveConfig(loaded.config).mtls.everywhere).toBe(true);
  });

  it('no config file: defaults (status 401, nothing is mTLS by config)', async () => {
    const cwd = tempProject({});
    const config = resolveConfig((await loadConfig({ cwd })).config);
    expect(config).toMatchObject({
      status: 401,
      mtls: { schemes: [], servers: [], everywhere: false },
      spec: [],
    });
  });
});

describe('config validation', () => {
  it('names the file, line and unknown key, and lists the known ones', async () => {
    expect(
      await configError({ 'mtls-fix.config.yaml': 'mtls:\n  everywhere: true\nmigrat:\n  include: [src]\n' }),
    ).toBe(
      "mtls-fix.config.yaml:3: invalid config key 'migrat': unknown key. Known keys here: $schema, status, mtls, spec, allowRemoteRefs, rules, ignore, lint, detect, migrate.",
    );
  });

  it('names nested keys in JSON', async () => {
    expect(
      await configError({ '.mtls-fixrc.json': '{\n  "mtls": {\n    "schemes": "clientCert"\n  }\n}\n' }),
    ).toBe(
      "mtls-fix.config.json:3: invalid config key 'mtls.schemes': must be array. See the config section of the README.".replace(
        'mtls-fix.config.json',
        '.mtls-fixrc.json',
      ),
    );
  });

  it('points into package.json', async () => {
    const line = await configError({
      'package.json': '{\n  "name": "x",\n  "mtls-fix": {\n    "status": "401"\n  }\n}\n',
    });
    expect(line).toBe(
      "package.json:4: invalid config key 'status': must be a 4xx status code other than 403. Use 401 or 404.",
    );
  });

  it('rejects 403 and non-4xx statuses', async () => {
    expect(await configError({ 'mtls-fix.config.yaml': 'status: 403\n' })).toContain(
      'must be a 4xx status code other than 403',
    );
    expect(await configError({ 'mtls-fix.config.yaml': 'status: 302\n' })).toContain(
      'must be a 4xx status code other than 403',
    );
  });

  it('reports YAML syntax errors with a position', async () => {
    expect(await configError({ 'mtls-fix.config.yaml': 'mtls: [unclosed\n' })).toMatch(
      /^mtls-fix\.config\.yaml:2:1: invalid config file: .*Fix the syntax\.$/,
    );
  });

  it('--config to a missing file', async () => {
    expect(await configError({}, 'nope.yaml')).toBe(
      'nope.yaml: config file not found. Check the --config path.',
    );
  });

  // Session 26 (a new user's trial): a folder given to --config gave a raw "EISDIR: illegal operation on a
  // directory, read", and a config file that throws was named by its folder, not the file.
  it('--config to a folder, and a config file that throws, name the file', async () => {
    expect(await configError({ 'conf/.keep': '' }, 'conf')).toBe(
      'conf: is a folder, not a config file. Pass the file itself to --config (mtls-fix.config.yaml, .mtls-fixrc.json, ...).',
    );
    expect(await configError({ 'mtls-fix.config.cjs': "throw new Error('boom');\n" })).toBe(
      'mtls-fix.config.cjs: cannot load config: boom. Fix the file.',
    );
  });

  it('flags override the file, lists replace lists', () => {
    const config = resolveConfig(
      { status: 404, mtls: { schemes: ['a'], servers: ['^x'], everywhere: false } },
      { status: '410', mtlsSchemes: ['b'], mtlsEverywhere: true },
    );
    expect(config.status).toBe(410);
    expect(config.mtls.schemes).toEqual(['b']);
    expect(config.mtls.servers.map((regex) => regex.source)).toEqual(['^x']);
    expect(config.mtls.everywhere).toBe(true);
  });
});
