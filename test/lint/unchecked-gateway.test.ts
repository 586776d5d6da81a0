import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { fix } from '../../src/fix/index.js';
import { lint } from '../../src/lint/run.js';
import { tempProject } from '../helpers/cli.js';

/**
 * Session 34 (newuser34): NHS Digital's NRLF producer API (an API Gateway REST API document, `x-amazon-apigateway-
 * integration` on every operation, no 403 in any `responses`) declares no mTLS. `lint` said "None of its 8
 * operations documents a 403 that would be checked", and the gates (`lint --quiet`, `--fail-unchecked`,
 * `fix --check`) passed it with exit 0, though with mTLS declared the same document has an `mtls-no-403` error:
 * API Gateway answers MISSING_AUTHENTICATION_TOKEN with 403. Every 403 a gateway written in the document
 * answers (integration responses, gateway responses, gateway response defaults, Kong plugins) now counts as a 403
 * a declaration would check: named in the message, and the gates fail on it.
 */

type Format = 'yaml' | 'json';

/** A one-operation document (no `responses` 403, no mTLS) with `extra` at the operation and `root` at the root. */
function document(
  version: string,
  format: Format,
  operation: Record<string, unknown>,
  root: Record<string, unknown> = {},
): string {
  const data = {
    ...(version === '2.0' ? { swagger: '2.0' } : { openapi: version }),
    info: { title: 't', version: '1' },
    ...root,
    paths: { '/accounts': { get: { responses: { '200': { description: 'ok' } }, ...operation } } },
  };
  // YAML is a superset of JSON: the YAML case is the same data written block-style by hand below.
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  return toYaml(data, 0);
}

/** Block YAML for plain data (strings quoted), enough for these documents. */
function toYaml(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value))
    return value.map((item) => `${pad}- ${toYaml(item, indent + 2).trimStart()}`).join('');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([key, item]) =>
        item !== null && typeof item === 'object'
          ? `${pad}'${key}':\n${toYaml(item, indent + 2)}`
          : `${pad}'${key}': ${JSON.stringify(item)}\n`,
      )
      .join('');
  return `${pad}${JSON.stringify(value)}\n`;
}

const INTEGRATION = {
  'x-amazon-apigateway-integration': {
    type: 'http',
    httpMethod: 'GET',
    uri: 'https://backend.example/accounts',
    responses: { '.*Denied.*': { statusCode: '403' }, default: { statusCode: '200' } },
  },
};
const PROXY = {
  'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:aws:lambda' },
};

interface Scenario {
  name: string;
  operation: Record<string, unknown>;
  root?: Record<string, unknown>;
  /** What the message names; undefined: the scenario must not count a gateway 403 (the gates pass). */
  names?: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'invalid: an integration response answers 403',
    operation: INTEGRATION,
    root: {
      'x-amazon-apigateway-gateway-responses': { MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' } },
    },
    names: `the API Gateway integration response ".*Denied.*" of GET /accounts`,
  },
  {
    name: 'invalid: a REST API leaves MISSING_AUTHENTICATION_TOKEN at its default 403',
    operation: PROXY,
    names: 'API Gateway gateway response MISSING_AUTHENTICATION_TOKEN (left at its default 403)',
  },
  {
    name: 'invalid: a gateway response set to 403',
    operation: PROXY,
    root: {
      'x-amazon-apigateway-gateway-responses': {
        MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' },
        WAF_FILTERED: { statusCode: '403' },
      },
    },
    names: 'API Gateway gateway response WAF_FILTERED',
  },
  {
    name: 'invalid: a Kong acl plugin (decK openapi2kong)',
    operation: { 'x-kong-plugin-acl': { config: { allow: ['partners'] } } },
    names: 'the Kong acl plugin',
  },
  {
    name: 'valid: the REST API gives MISSING_AUTHENTICATION_TOKEN another status',
    operation: PROXY,
    root: {
      'x-amazon-apigateway-gateway-responses': { MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' } },
    },
  },
  {
    name: 'valid: the gateway response set to 403 is suppressed with its reason',
    operation: PROXY,
    root: {
      'x-amazon-apigateway-gateway-responses': {
        MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' },
        WAF_FILTERED: { statusCode: '403', 'x-mtls-fix-ignore': 'WAF runs before the mTLS listener' },
      },
    },
  },
  {
    name: 'valid: the Kong plugin is turned off',
    operation: { 'x-kong-plugin-acl': { enabled: false, config: { allow: ['partners'] } } },
  },
];

const VERSIONS = ['2.0', '3.0.3', '3.1.0'] as const;
const FORMATS: Format[] = ['yaml', 'json'];
const config = resolveConfig({});

describe.each(VERSIONS.flatMap((version) => FORMATS.map((format) => [version, format] as const)))(
  'OAS %s, %s: a document that declares no mTLS and configures a gateway',
  (version, format) => {
    for (const scenario of SCENARIOS) {
      it(scenario.name, async () => {
        const file = `openapi.${format}`;
        const cwd = tempProject({ [file]: document(version, format, scenario.operation, scenario.root) });
        const gate = await lint({ files: [file], cwd, config, gate: true });
        const unchecked = gate.results.filter((result) => result.code === 'mtls-unchecked');
        expect(unchecked).toHaveLength(1);
        const check = fix({ files: [file], cwd, config, mode: 'check' });
        const hint = check.hints?.find((entry) => entry.noMtls);
        if (scenario.names) {
          expect(unchecked[0].message).toContain(
            `None of its 1 operation documents a 403 that would be checked; a 403 is answered by a gateway the document configures, whatever its responses say (${scenario.names} at line `,
          );
          // The gate fails on it (lint --quiet, --fail-unchecked; fix --check reads the hint's count).
          expect(unchecked[0].severity).toBe(0);
          expect(hint?.noMtls?.forbidden).toBe(1);
        } else {
          expect(unchecked[0].message).not.toContain('answered by a gateway');
          expect(unchecked[0].severity).toBe(2);
          expect(hint?.noMtls?.forbidden).toBe(0);
        }
      });
    }
  },
);
