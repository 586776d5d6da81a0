import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/detect/forbidden');

/**
 * Session 15: Traefik's routers and middlewares are read from every file, in every provider's spelling. Before,
 * only routers and middlewares in the TLS option's own file were read, so the usual layouts (a TLS option in a
 * dynamic file, routers and middlewares in Docker labels, split files, CRDs or Ingress annotations in other
 * manifests) read as "403s answered by the proxy itself (0)": clean. Counted by reading each fixture: every
 * 403-answering middleware on a router that uses the mTLS option (file:line of the answer, the option's line,
 * the router's paths and hosts); a router without TLS, and `rejectStatusCode` other than 403, are not listed.
 */
const SCENARIOS: {
  name: string;
  folder: string;
  forbidden: { file: string; line: number; finding: string; paths: string[]; hosts: string[]; fix: string }[];
}[] = [
  {
    name: 'Docker Compose labels (list form) on a TLS option from the file provider',
    folder: 'traefik-docker',
    forbidden: [
      {
        file: 'docker-compose.yml',
        line: 14,
        finding: 'tls.yml:6',
        paths: ['/open-banking'],
        hosts: ['api.bank.example'],
        fix: "rejectStatusCode: 401 under office's ipAllowList",
      },
    ],
  },
  {
    name: 'Swarm deploy.labels (map form), a chain of an ipWhiteList and an ipAllowList with rejectStatusCode 403',
    folder: 'traefik-swarm',
    forbidden: [
      {
        file: 'stack.yml',
        line: 12,
        finding: 'tls.yaml:5',
        paths: ['/v1'],
        hosts: ['iot.example'],
        fix: 'ipAllowList (Traefik v3; ipWhiteList always answers 403) with rejectStatusCode: 401 for legacy-ips',
      },
      {
        file: 'stack.yml',
        line: 14,
        finding: 'tls.yaml:5',
        paths: ['/v1'],
        hosts: ['iot.example'],
        fix: "rejectStatusCode: 401 under strict-ips's ipAllowList",
      },
    ],
  },
  {
    name: 'file provider split in three files (TLS options, routers, middlewares)',
    folder: 'traefik-split',
    forbidden: [
      {
        file: 'dynamic/middlewares.yml',
        line: 4,
        finding: 'dynamic/tls.yml:5',
        paths: ['/accounts'],
        hosts: ['ob.bank.example'],
        fix: "rejectStatusCode: 401 under partner-ips's ipAllowList",
      },
    ],
  },
  {
    name: 'CRDs in separate manifests (TLSOption, Middleware, IngressRoute in one namespace)',
    folder: 'traefik-crd-split',
    forbidden: [
      {
        file: 'middlewares.yaml',
        line: 7,
        finding: 'tlsoption.yaml:9',
        paths: ['/payments'],
        hosts: ['pay.bank.example'],
        fix: "rejectStatusCode: 401 under psp-ips's ipAllowList",
      },
    ],
  },
  {
    name: 'a Kubernetes Ingress with router.tls.options / router.middlewares annotations (<namespace>-<name>@kubernetescrd)',
    folder: 'traefik-ingress',
    forbidden: [
      {
        file: 'tlsoption.yaml',
        line: 16,
        finding: 'tlsoption.yaml:8',
        paths: ['/fhir'],
        hosts: ['fhir.health.example'],
        fix: 'ipAllowList (Traefik v3; ipWhiteList always answers 403) with rejectStatusCode: 401 for office',
      },
    ],
  },
  {
    name: 'an entry point whose http.tls.options is the mTLS option (static config): its routers, not the others',
    folder: 'traefik-entrypoint',
    forbidden: [
      {
        file: 'docker-compose.yml',
        line: 12,
        finding: 'dynamic.yml:6',
        paths: [],
        hosts: ['home.example'],
        fix: "rejectStatusCode: 401 under lan's ipAllowList",
      },
    ],
  },
  {
    name: 'the same set by the --entrypoints.<name>.http.tls.options flag; a router listing no entry point is on it',
    folder: 'traefik-entrypoint-flag',
    forbidden: [
      {
        file: 'docker-compose.yml',
        line: 13,
        finding: 'dynamic.yml:5',
        paths: ['/telemetry'],
        hosts: [],
        fix: 'ipAllowList (Traefik v3; ipWhiteList always answers 403) with rejectStatusCode: 401 for fleet',
      },
    ],
  },
  {
    name: 'the same set in the environment (TRAEFIK_ENTRYPOINTS_<EP>_HTTP_TLS_OPTIONS in .env), the middleware in a third file',
    folder: 'traefik-env',
    forbidden: [
      {
        file: 'default-access.yml',
        line: 4,
        finding: 'mtls.yml:5',
        paths: [],
        hosts: ['ha.example'],
        fix: "rejectStatusCode: 401 under default-access's ipAllowList",
      },
    ],
  },
];

describe('detect: Traefik routers and middlewares from every file and provider', () => {
  it.each(SCENARIOS)('$name', async ({ folder, forbidden }) => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, folder) });
    expect(
      report.forbidden.map((entry) => ({
        file: entry.file,
        line: entry.line,
        finding: `${entry.finding.file}:${entry.finding.line}`,
        paths: entry.paths,
        hosts: entry.hosts,
        fix: entry.fix,
      })),
    ).toEqual(forbidden);
    expect(report.forbidden.every((entry) => entry.source === 'traefik')).toBe(true);
    expect(report.forbiddenNotChecked).toEqual([]);
    // The TLS option's hosts come from the routers that use it, wherever they are written (the proposal).
    expect(report.findings.map((finding) => finding.hosts)).toEqual([forbidden[0].hosts]);
    expect(report.findings[0].note).toMatch(/^TLS option '[\w-]+', used by 1 router\(s\): /);
  });

  it('what it cannot read is listed as not checked, never clean: forwardAuth, an undefined middleware, an unused option, TOML', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'traefik-unread') });
    expect(report.forbidden).toEqual([]);
    expect(report.forbiddenNotChecked).toEqual([
      'dynamic.toml:1 traefik (TOML routers or middlewares: not read, review their middlewares by hand)',
      'compose.yaml:8 traefik (forwardAuth sso on router api (Docker labels of service api): the auth server ' +
        'http://auth:4181/verify decides the status; make it answer 401, not 403)',
      'compose.yaml:5 traefik (middleware headers@file of router api (Docker labels of service api) is not ' +
        'defined in any YAML file read)',
      // Real input: fopina/traefik-playground 897c2d6 puts a Traefik plugin (cnvalidator) on an mTLS router.
      'compose.yaml:15 traefik (plugin cnvalidator in middleware cn-check on router devices (Docker labels of ' +
        'service devices): the plugin decides what it answers; make sure it is not 403)',
      "tls.yml:8 traefik (no router found using TLS option 'orphan', so its middlewares were not read)",
    ]);
  });

  // Real input: EnigmaCurry/d.rymcg.tech 401d53c writes its Docker labels with ytt templates (81 mTLS routers whose
  // middleware lists are template expressions); before, all 81 read as clean.
  it('ytt templates: a templated middleware list and a tls.options set in template code are named, TCP routers are not', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'traefik-template') });
    expect(report.forbidden).toEqual([]);
    const list = "(@= ','.join(enabled_middlewares) @): review the rendered list by hand)";
    expect(report.forbiddenNotChecked).toEqual([
      "docker-compose.instance.yaml:22 traefik (TLS option 'mtls' is set here in a form not read (a template or " +
        'code), so the middlewares of its router were not read)',
      'docker-compose.instance.yaml:8 traefik (the middlewares of router (@= router @) (Docker labels of service ' +
        `api) are written by a template expression, ${list}`,
      'docker-compose.instance.yaml:14 traefik (the middlewares of router (@= router @)#2 (Docker labels of ' +
        `service api) are written by a template expression, ${list}`,
    ]);
  });

  it('--status sets the fix', async () => {
    const report = await detectMtls({ cwd: path.join(FIXTURES, 'traefik-docker'), status: 404 });
    expect(report.forbidden.map((entry) => entry.fix)).toEqual([
      "rejectStatusCode: 404 under office's ipAllowList",
    ]);
  });
});
