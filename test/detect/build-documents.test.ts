import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

const DOC = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a: { get: { responses: { '403': { description: no } } } }
`;

// Session 28, on PaymentsNZ/API-Account-Information (8b2779c): documents in archive/ and working/ beside the
// published dist/v*/ ones; on af2ddfa3 detect checked, and `init` put in `spec`, only the drafts and archives, and
// said nothing of the 42 published documents under dist/.
describe('detect: documents under dist/ or target/ beside documents elsewhere', () => {
  it.each([
    [
      'dist/ beside working/',
      {
        'working/v3/api.yaml': DOC,
        'dist/v3/api.yaml': DOC,
        'dist/v3/api.json': JSON.stringify({ openapi: '3.0.3', info: {}, paths: {} }),
      },
      ['working/v3/api.yaml'],
      ['dist/v3/api.json', 'dist/v3/api.yaml'],
    ],
    [
      'target/ beside src/',
      { 'src/main/openapi.yaml': DOC, 'target/classes/openapi.yaml': DOC },
      ['src/main/openapi.yaml'],
      ['target/classes/openapi.yaml'],
    ],
    [
      'dist/ alone: the published documents are the documents',
      { 'dist/v3/api.yaml': DOC },
      ['dist/v3/api.yaml'],
      [],
    ],
    ['no build folder', { 'specs/api.yaml': DOC }, ['specs/api.yaml'], []],
  ])('%s', async (_name, files, documents, built) => {
    const report = await detectMtls({ cwd: tempProject(files) });
    expect(report.documents).toEqual(documents);
    expect(report.buildDocuments).toEqual(built);
  });

  it('detect names them under the proposal; init names them in its notes', async () => {
    const nginx = `events {}\nhttp { server { listen 443 ssl; server_name api.test; ssl_verify_client on; } }\n`;
    const cwd = tempProject({ 'working/api.yaml': DOC, 'dist/v3/api.yaml': DOC, 'nginx.conf': nginx });
    const detect = await runCliAsync(['detect'], { cwd });
    expect(detect.stdout).toContain(
      'Not checked against 1 document under dist/ or target/ (build output beside the documents above: dist/v3/api.yaml); pass --spec to check it',
    );
    const init = await runCliAsync(['init', '--yes'], { cwd });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(
      '1 OpenAPI document under dist/ or target/ (build output: dist/v3/api.yaml) is not in spec',
    );
  });
});
