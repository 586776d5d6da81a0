import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { fixSpecs } from '../../src/spec-fix/index.js';
import { jsonPath } from '../../src/spec-fix/overlay.js';
import { tempProject } from '../helpers/cli.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/paths.js';

type ApplyOverlay = (document: unknown, options: { overlaySet: unknown }) => Promise<{ data: unknown }>;

const parse = (text: string): unknown =>
  jsYaml.load(text.replace(/^\uFEFF/, ''), { schema: jsYaml.CORE_SCHEMA, json: true });

/** The overlay, applied by a maintained implementation (openapi-format), gives the in-place result. */
async function expectOverlayMatchesInPlace(
  folder: string,
  document: string,
  everywhere: boolean,
  options: { renameComponents?: boolean; wwwAuthenticate?: string } = {},
): Promise<number> {
  const config = resolveConfig({}, { mtlsEverywhere: everywhere });
  const cwd = tempProject();
  cpSync(folder, cwd, { recursive: true });
  const original = parse(readFileSync(path.join(cwd, document), 'utf8'));
  const { overlay } = fixSpecs({ files: [document], config, cwd, mode: 'overlay', ...options });
  fixSpecs({ files: [document], config, cwd, mode: 'write', ...options });
  const fixed = parse(readFileSync(path.join(cwd, document), 'utf8'));
  // openapi-format is CommonJS; its overlay helper is on the module's exports.
  const openapiFormat = (await import('openapi-format')) as unknown as { openapiOverlay: ApplyOverlay };
  const applied = await openapiFormat.openapiOverlay(structuredClone(original), { overlaySet: overlay });
  expect(applied.data).toEqual(fixed);
  return overlay!.actions.length;
}

describe('mtls-fix fix --overlay', () => {
  it('has the same effect as the in-place fix on the bundled example (a rename: update + remove)', async () => {
    const actions = await expectOverlayMatchesInPlace(
      path.join(REPO_ROOT, 'examples'),
      'openapi.yaml',
      false,
    );
    expect(actions).toBe(2);
  });

  it.each([
    ['gematik-zeta-notification-service-rs-endpoint.yaml', 2],
    ['eu-efgs-federation-gateway-openapi.json', 12],
    ['uk-open-banking-dcr-v3.1.2-swagger2.yaml', 3],
    ['brazil-open-finance-enrollments-v2.1.0.yaml', 8],
  ])('has the same effect as the in-place fix on corpus %s (%i actions)', async (document, count) => {
    expect(await expectOverlayMatchesInPlace(CORPUS_DIR, document, true)).toBe(count);
  });

  it('covers component renames and added WWW-Authenticate headers too', async () => {
    const fixtures = path.join(REPO_ROOT, 'test/fixtures/spec-fix');
    const renames = path.join(fixtures, 'rename-components/input');
    expect(
      await expectOverlayMatchesInPlace(renames, 'openapi.yaml', false, { renameComponents: true }),
    ).toBe(10);
    const headers = path.join(fixtures, 'www-authenticate-yaml/input');
    expect(
      await expectOverlayMatchesInPlace(headers, 'openapi.yaml', false, { wwwAuthenticate: 'Bearer' }),
    ).toBe(8);
  });

  it('targets keys with RFC 9535 bracket notation, escaping quotes', () => {
    expect(jsonPath(['paths', "/a/{id}'s", 'get', 'responses'])).toBe(
      "$['paths']['/a/{id}\\'s']['get']['responses']",
    );
  });
});
