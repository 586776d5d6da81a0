import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { explainDocuments } from '../../src/explain/index.js';
import { lint } from '../../src/lint/run.js';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 35 (carried over from newuser34): a document that declares no mTLS but configures a gateway that answers
 * 403 (an API Gateway integration response or gateway response set to 403, a gateway response type a REST API
 * leaves at its default 403, a Kong plugin that denies). Since session 34 `lint`'s `mtls-unchecked` names and
 * counts these; `explain` listed gateway 403s only on mTLS-secured operations, so on such a document it showed
 * none. Now it lists exactly what lint counts (suppressed ones and a disabled plugin not), in Swagger 2.0, OAS 3.0
 * and 3.1, YAML and JSON.
 */

type Format = 'yaml' | 'json';

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
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  return toYaml(data, 0);
}

/** Block YAML for plain data (keys quoted, scalars as JSON). */
function toYaml(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value)
      .map(([key, item]) =>
        item !== null && typeof item === 'object' && !Array.isArray(item)
          ? `${pad}'${key}':\n${toYaml(item, indent + 2)}`
          : `${pad}'${key}': ${JSON.stringify(item)}\n`,
      )
      .join('');
  return `${pad}${JSON.stringify(value)}\n`;
}

const PROXY = {
  'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:aws:lambda' },
};
const NO_MISSING_TOKEN = { MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' } };

interface Scenario {
  operation: Record<string, unknown>;
  root?: Record<string, unknown>;
  /** What explain lists (the `what` of each, in order, before ` (openapi.<ext>:<line>)`). */
  listed: string[];
}

const SCENARIOS: Record<string, Scenario> = {
  'an integration response answers 403': {
    operation: {
      'x-amazon-apigateway-integration': {
        type: 'http',
        httpMethod: 'GET',
        uri: 'https://backend.example/accounts',
        responses: { '.*Denied.*': { statusCode: '403' }, default: { statusCode: '200' } },
      },
    },
    root: { 'x-amazon-apigateway-gateway-responses': NO_MISSING_TOKEN },
    listed: ['the API Gateway integration response ".*Denied.*" of GET /accounts'],
  },
  'MISSING_AUTHENTICATION_TOKEN left at its default 403 (NRLF)': {
    operation: PROXY,
    listed: ['API Gateway gateway response MISSING_AUTHENTICATION_TOKEN (left at its default 403)'],
  },
  'a gateway response set to 403': {
    operation: PROXY,
    root: {
      'x-amazon-apigateway-gateway-responses': { ...NO_MISSING_TOKEN, WAF_FILTERED: { statusCode: '403' } },
    },
    listed: ['API Gateway gateway response WAF_FILTERED'],
  },
  'a Kong acl plugin': {
    operation: { 'x-kong-plugin-acl': { config: { allow: ['partners'] } } },
    listed: ['the Kong acl plugin'],
  },
  'none: MISSING_AUTHENTICATION_TOKEN given another status': {
    operation: PROXY,
    root: { 'x-amazon-apigateway-gateway-responses': NO_MISSING_TOKEN },
    listed: [],
  },
  'none: the 403 gateway response is suppressed with its reason': {
    operation: PROXY,
    root: {
      'x-amazon-apigateway-gateway-responses': {
        ...NO_MISSING_TOKEN,
        WAF_FILTERED: { statusCode: '403', 'x-mtls-fix-ignore': 'WAF runs before the mTLS listener' },
      },
    },
    listed: [],
  },
  'none: the Kong plugin is turned off': {
    operation: { 'x-kong-plugin-acl': { enabled: false, config: { allow: ['partners'] } } },
    listed: [],
  },
};

const VERSIONS = ['2.0', '3.0.3', '3.1.0'] as const;
const FORMATS: Format[] = ['yaml', 'json'];
const config = resolveConfig({});

describe.each(VERSIONS.flatMap((version) => FORMATS.map((format) => [version, format] as const)))(
  'explain, OAS %s %s: a document that declares no mTLS lists the 403s its gateway answers',
  (version, format) => {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      it(name, async () => {
        const file = `openapi.${format}`;
        const cwd = tempProject({ [file]: document(version, format, scenario.operation, scenario.root) });
        const [explained] = explainDocuments({ files: [file], config, cwd });
        expect(explained.operations.every((operation) => !operation.mtls)).toBe(true);
        const listed = explained.uncheckedGateway403;
        expect(listed.map((entry) => entry.replace(/ \(openapi\.\w+:\d+\)$/, ''))).toEqual(scenario.listed);
        for (const entry of listed) expect(entry).toMatch(new RegExp(` \\(openapi\\.${format}:\\d+\\)$`));
        // The same count as lint's mtls-unchecked message names.
        const { results } = await lint({ files: [file], cwd, config });
        const message = results.find((result) => result.code === 'mtls-unchecked')?.message ?? '';
        expect(message.includes('answered by a gateway the document configures')).toBe(listed.length > 0);
      });
    }
  },
);

describe('explain (human output) on a document that declares no mTLS', () => {
  it('prints the gateway 403s lint counts, before the operations', async () => {
    const cwd = tempProject({ 'openapi.yaml': document('3.0.3', 'yaml', PROXY) });
    const run = await runCliAsync(['explain', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "  a gateway it configures answers 403 whatever its responses say (lint's mtls-unchecked counts it; checked once mTLS is declared):\n" +
        '        403 from the gateway: API Gateway gateway response MISSING_AUTHENTICATION_TOKEN (left at its default 403) (openapi.yaml:5)\n',
    );
    const json = await runCliAsync(['explain', '--json', 'openapi.yaml'], { cwd });
    const parsed = JSON.parse(json.stdout) as { documents: { uncheckedGateway403: string[] }[] };
    expect(parsed.documents[0].uncheckedGateway403).toHaveLength(1);
  });
});
