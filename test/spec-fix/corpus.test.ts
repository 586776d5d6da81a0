import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diffLines } from 'diff';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { lint } from '../../src/lint/run.js';
import { fixSpecs } from '../../src/spec-fix/index.js';
import { tempProject } from '../helpers/cli.js';
import { CORPUS_DIR } from '../helpers/paths.js';

const DOCUMENTS = [
  'berlin-group-nextgenpsd2-v1.3.8-2020-11-18.yaml',
  'brazil-open-finance-accounts-v2.4.2.yaml',
  'brazil-open-finance-enrollments-v2.1.0.yaml',
  'cdr-au-banking-v1.36.0.json',
  'cdr-au-dynamic-client-registration-v1.36.0.yaml',
  'cdr-au-register-v1.36.0.yaml',
  'eu-efgs-federation-gateway-openapi.json',
  'gematik-vzd-directory-application-maintenance.yaml',
  'gematik-zeta-client-management/openapi/zeta-guard-client-management.yaml',
  'gematik-zeta-guard-admin-oob.yaml',
  'gematik-zeta-notification-service-rs-endpoint.yaml',
  'kubernetes-swagger2-unprocessed.json',
  'mojaloop-fspiop-inbound-api-v2.0-draft.yaml',
  'okta-management-api-2026.06.3-minimal.yaml',
  'stripe-api-spec3-2021-06-10.json',
  'twilio-api-v2010.json',
  'uae-open-finance-tpp-onboarding-v2.1.yaml',
  'uae-ozone-connect-health-check-v2.1.yaml',
  'uk-open-banking-account-info-v3.1.2-swagger2.json',
  'uk-open-banking-account-info-v4.0.0.yaml',
  'uk-open-banking-dcr-v3.1.2-swagger2.yaml',
];

const config = resolveConfig({}, { mtlsEverywhere: true });
const parse = (text: string): unknown =>
  jsYaml.load(text.replace(/^\uFEFF/, ''), { schema: jsYaml.CORE_SCHEMA, json: true });

describe('mtls-fix fix --mtls-everywhere on every corpus document (temp copies)', () => {
  it.each(DOCUMENTS)('%s: lint is clean afterwards and only 403 entries changed', async (document) => {
    const cwd = tempProject();
    cpSync(CORPUS_DIR, cwd, { recursive: true });
    const before = readFileSync(path.join(cwd, document), 'utf8');
    const result = fixSpecs({ files: [document], config, cwd, mode: 'write' });
    const after = readFileSync(path.join(cwd, document), 'utf8');

    const report = await lint({ files: [document], config, cwd });
    expect(report.results.filter((r) => r.code === 'mtls-no-403')).toEqual([]);
    expect(result.changes.every((change) => change.action === 'renamed' || change.action === 'removed')).toBe(
      true,
    );

    // The data is the original with exactly these 403 keys renamed or removed, nothing else.
    const expected = parse(before) as Record<string, unknown>;
    for (const change of result.changes) {
      const keyPath = change.pointer
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const responses = keyPath
        .slice(0, -1)
        .reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, expected);
      if (change.action === 'renamed') responses[change.to] = responses[change.from];
      delete responses[change.from];
    }
    expect(parse(after)).toEqual(expected);

    // The text diff only renames 403 keys or drops lines of 403 entries (JSON may move a comma).
    const added: string[] = [];
    const removed: string[] = [];
    for (const part of diffLines(before, after)) {
      const lines = part.value.split('\n').filter((line) => line !== '');
      if (part.added) added.push(...lines);
      if (part.removed) removed.push(...lines);
    }
    for (const line of added) {
      const renamedFrom = line.replace(/(["']?)401\1(\s*:)/, '$1403$1$2');
      expect(
        removed.includes(renamedFrom) ||
          removed.includes(`${line},`) ||
          removed.includes(line.replace(/,$/, '')),
        line,
      ).toBe(true);
    }
    const renames = result.changes.filter((change) => change.action === 'renamed').length;
    expect(added.length).toBeLessThanOrEqual(renames + result.changes.length);
  });
});
