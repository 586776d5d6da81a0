import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asObject, asText, dig, parseYamlDocuments, type YamlDocument } from '../yaml-documents.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

/**
 * Traefik middlewares that answer 403 themselves: `ipAllowList` (Traefik v3) refuses a client address outside
 * `sourceRange` with 403 unless `rejectStatusCode` sets another status; `ipWhiteList` (Traefik v2, removed in v3)
 * always answers 403. Source: Traefik docs, "IPAllowList" middleware (`rejectStatusCode`: "If not set, the
 * default is 403 (Forbidden)"), and the v2 -> v3 migration guide (IPWhiteList renamed IPAllowList).
 */
const KINDS = ['ipAllowList', 'ipWhiteList'] as const;

/** Whether a finding is a Traefik TLS option read from YAML (the TOML line scan links no routers). */
export function isTraefikYaml(finding: DetectFinding): boolean {
  return finding.source === 'traefik' && finding.reader === 'yaml';
}

/** A router that uses an mTLS TLS option: the middlewares it names, in order, and its path prefixes. */
interface Router {
  option: string;
  middlewares: string[];
  paths: string[];
}

/** A middleware defined in the file: its body and where it is. */
interface Middleware {
  body: unknown;
  document: YamlDocument;
  path: (string | number)[];
}

/**
 * The 403s Traefik answers itself on the routers of `file` that use an mTLS TLS option (`findings`, from
 * sources/traefik.ts): each `ipAllowList` without a `rejectStatusCode` other than 403, and each `ipWhiteList`,
 * among the router's middlewares (followed through `chain` middlewares), for the file provider
 * (`http.routers.*.middlewares`, `http.middlewares.*`) and the Kubernetes CRDs (`IngressRoute`
 * `spec.routes[].middlewares[].name`, `Middleware` objects) of the same file. A router whose TLS option is
 * `default`, or that sets none, uses the `default` option. Paths come from the rule's `PathPrefix` / `Path`.
 * Middlewares defined in another file are not followed. Throws the YAML parser's error.
 */
export function traefikForbidden(file: ScanFile, findings: DetectFinding[], status: number): ForbiddenResult {
  const result = noForbidden();
  const documents = parseYamlDocuments(file.text);
  const routers: Router[] = [];
  const middlewares = new Map<string, Middleware>();
  for (const document of documents) {
    const data = document.data;
    for (const router of Object.values(asObject(dig(data, 'http', 'routers')) ?? {})) {
      const tls = dig(router, 'tls');
      if (tls === undefined) continue;
      routers.push({
        option: bare(asText(dig(tls, 'options')) ?? 'default'),
        middlewares: asList(dig(router, 'middlewares'))
          .flatMap((name) => asText(name) ?? [])
          .map(bare),
        paths: rulePaths(asText(dig(router, 'rule'))),
      });
    }
    for (const [name, body] of Object.entries(asObject(dig(data, 'http', 'middlewares')) ?? {}))
      middlewares.set(name, { body, document, path: ['http', 'middlewares', name] });
    const kind = asText(dig(data, 'kind'));
    if (kind === 'IngressRoute' && dig(data, 'spec', 'tls') !== undefined) {
      const option = bare(asText(dig(data, 'spec', 'tls', 'options', 'name')) ?? 'default');
      for (const route of asList(dig(data, 'spec', 'routes'))) {
        routers.push({
          option,
          middlewares: asList(dig(route, 'middlewares')).flatMap((ref) => asText(dig(ref, 'name')) ?? []),
          paths: rulePaths(asText(dig(route, 'match'))),
        });
      }
    }
    if (kind === 'Middleware') {
      const name = asText(dig(data, 'metadata', 'name'));
      if (name) middlewares.set(name, { body: dig(data, 'spec'), document, path: ['spec'] });
    }
  }
  for (const finding of findings.filter(isTraefikYaml)) {
    const option = /TLS option '([^']+)'/.exec(finding.note ?? '')?.[1] ?? 'default';
    const seen = new Set<string>();
    for (const router of routers.filter((candidate) => candidate.option === option)) {
      for (const name of expand(router.middlewares, middlewares, new Set())) {
        const middleware = middlewares.get(name);
        if (!middleware) continue;
        for (const kind of KINDS) {
          const body = dig(middleware.body, kind);
          if (body === undefined) continue;
          const reject = dig(body, 'rejectStatusCode');
          const code = typeof reject === 'number' ? reject : Number(asText(reject));
          if (kind === 'ipAllowList' && reject !== undefined && code !== 403) continue;
          const key = [...middleware.path, kind];
          const line = middleware.document.lineOf(reject === undefined ? key : [...key, 'rejectStatusCode']);
          const id = `${line}:${router.paths.join(',')}`;
          if (seen.has(id)) continue;
          seen.add(id);
          result.forbidden.push(
            forbiddenUnder(finding, {
              line,
              source: 'traefik',
              evidence: `middleware ${name} ${kind}: 403 to a client address outside sourceRange`,
              paths: router.paths,
              fix:
                kind === 'ipAllowList'
                  ? `rejectStatusCode: ${status} under ${name}'s ipAllowList`
                  : `ipAllowList (Traefik v3; ipWhiteList always answers 403) with rejectStatusCode: ${status} for ${name}`,
            }),
          );
        }
      }
    }
  }
  return result;
}

/** `name@provider` -> `name`. */
function bare(name: string): string {
  return name.replace(/@.*$/, '');
}

/** The middleware names a list stands for, `chain` middlewares replaced by their members (cycles cut). */
function expand(
  names: readonly string[],
  middlewares: Map<string, Middleware>,
  visiting: Set<string>,
): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (visiting.has(name)) continue;
    const chain = dig(middlewares.get(name)?.body, 'chain', 'middlewares');
    if (chain === undefined) {
      out.push(name);
      continue;
    }
    visiting.add(name);
    out.push(
      ...expand(
        asList(chain)
          .flatMap((member) => asText(member) ?? asText(dig(member, 'name')) ?? [])
          .map(bare),
        middlewares,
        visiting,
      ),
    );
    visiting.delete(name);
  }
  return out;
}

/** `PathPrefix(\`/a\`) || Path(\`/b\`)` -> `['/a', '/b']` (empty: every path). */
function rulePaths(rule: string | undefined): string[] {
  if (!rule) return [];
  const paths: string[] = [];
  for (const call of rule.matchAll(/\bPath(?:Prefix)?\(([^)]*)\)/g)) {
    for (const name of call[1].matchAll(/[`"']([^`"']+)[`"']/g)) paths.push(name[1]);
  }
  return paths;
}
