import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { explainDocuments } from '../../src/explain/index.js';
import { lint } from '../../src/lint/run.js';
import { generateProxyConfig } from '../../src/proxy/index.js';
import { configOf } from '../fix/helpers.js';

/**
 * Session 22: a Swagger 2.0 document without `host` is served from "the host serving the documentation" (Swagger
 * 2.0, Swagger Object `host`). On 931d2f3 it had no server at all in the model: `explain` said "it has no server",
 * an `mtls.servers` regex on its `basePath` matched nothing (an mtls-config warning, and its 403s unchecked).
 */
const SWAGGER =
  'swagger: "2.0"\ninfo: {title: t, version: "1"}\nbasePath: /mtls/v2\npaths:\n  /a/{id}:\n    get:\n' +
  '      parameters: [{name: id, in: path, required: true, type: string}]\n' +
  '      responses:\n        "200": {description: ok}\n        "403": {description: no}\n';

describe('Swagger 2.0 without host: one server relative to the host serving the document', () => {
  it('explain lists its basePath as the server, and what would select it', () => {
    const cwd = tempProject({ 'sw.yaml': SWAGGER, 'bare.yaml': SWAGGER.replace('basePath: /mtls/v2\n', '') });
    const [explained] = explainDocuments({ files: ['sw.yaml'], config: configOf({}), cwd });
    expect(explained?.operations[0]?.why).toContain('its servers (/mtls/v2) match no mtls.servers regex');
    expect(explained?.operations[0]?.change).toContain('--mtls-server matching /mtls/v2');
    const [bare] = explainDocuments({ files: ['bare.yaml'], config: configOf({}), cwd });
    expect(bare?.operations[0]?.why).toContain('its servers (/) match no mtls.servers regex');
  });

  it('an mtls.servers regex on the basePath selects its operations: the 403 is a finding', async () => {
    const cwd = tempProject({ 'sw.yaml': SWAGGER });
    const report = await lint({ files: ['sw.yaml'], config: configOf({ mtlsServers: ['^/mtls/'] }), cwd });
    expect(report.results.map((result) => [result.code, result.range.start.line + 1])).toEqual([
      ['mtls-no-403', 10],
    ]);
    expect(report.results[0]?.message).toContain("is mTLS-secured (server '/mtls/v2')");
  });

  it('proxy still prefixes every route with the basePath, once', () => {
    const cwd = tempProject({ 'sw.yaml': SWAGGER });
    const output = generateProxyConfig({
      spec: 'sw.yaml',
      target: 'nginx',
      upstream: 'http://127.0.0.1:8080',
      config: configOf({ mtlsEverywhere: true }),
      cwd,
    });
    expect(output.text).toContain('/mtls/v2/a/');
    expect(output.text).not.toContain('/mtls/v2/mtls/v2');
  });
});
