import type { ScanFile } from '../scan-file.js';
import type { DetectFinding } from '../types.js';
import { asList, asObject, asText, dig, type YamlDocument } from '../yaml-documents.js';
import { forbiddenUnder, noForbidden, type ForbiddenResult } from './result.js';

/**
 * Traefik middlewares that answer 403 themselves: `ipAllowList` (Traefik v3) refuses a client address outside
 * `sourceRange` with 403 unless `rejectStatusCode` sets another status; `ipWhiteList` (Traefik v2, removed in v3)
 * always answers 403. Source: Traefik docs, "IPAllowList" middleware (`rejectStatusCode`: "If not set, the
 * default is 403 (Forbidden)"), and the v2 -> v3 migration guide (IPWhiteList renamed IPAllowList).
 * `forwardAuth` hands the client whatever non-2xx status its authentication server answers (Traefik docs,
 * "ForwardAuth": "Otherwise, the response from the authentication server is returned"), so its 403s are the
 * auth server's and cannot be read here: listed as not checked.
 */
type DenialKind = 'ipAllowList' | 'ipWhiteList';

/** Whether a finding is a Traefik TLS option read from YAML (the TOML line scan links no routers). */
export function isTraefikYaml(finding: DetectFinding): boolean {
  // YAML, or a CRD built in Pulumi / cdk8s code (read as the object it creates; session 36).
  return finding.source === 'traefik' && (finding.reader === 'yaml' || finding.reader === 'typescript');
}

/**
 * A reference to a Traefik object as a router or a chain writes it: `name`, `name@provider`
 * (`office@docker`, `default-office@kubernetescrd`), or a CRD reference `{ name, namespace }`.
 */
export interface TraefikReference {
  name: string;
  provider?: string;
  namespace?: string;
}

/** An HTTP router, from any provider. */
export interface TraefikRouter {
  /** Where it is written (relative path) and the 1-based line of its definition. */
  file: string;
  line: number;
  /** Whether it sets TLS itself (`tls`, `tls.options`, `tls.certResolver`, an Ingress `tls` section). */
  tls: boolean;
  /** The TLS option it names; none: its entry points' option, else `default` when it has TLS. */
  option?: TraefikReference;
  /** The entry points it lists; empty: every entry point. */
  entryPoints: string[];
  /** Its middlewares, in order, as written. */
  middlewares: TraefikReference[];
  /** Its middleware list when a template expression writes it (ytt `(@= ... @)`, Go / Jinja `{{ ... }}`): not read. */
  templatedMiddlewares?: string;
  /** Path prefixes of its rule (`PathPrefix`, `Path`, an Ingress path); empty: every path. */
  paths: string[];
  /** Hosts of its rule (`Host`, an Ingress host); empty: every host. */
  hosts: string[];
  /** How it is written, for messages: `router api (Docker labels of service api)`. */
  label: string;
}

/** A middleware definition, from any provider, with what it answers. */
export interface TraefikMiddleware {
  name: string;
  /** A Kubernetes CRD's namespace (its Traefik name is `<namespace>-<name>@kubernetescrd`). */
  namespace?: string;
  file: string;
  line: number;
  /** 403 answers: `ipAllowList` without a `rejectStatusCode` other than 403, `ipWhiteList`; line of each. */
  denials: { kind: DenialKind; line: number }[];
  /** `forwardAuth`: the line, and the auth server's address when written. */
  forwardAuth?: { line: number; address?: string };
  /** `plugin`: the line and the plugin's name (`plugin.<name>.*`); what it answers is the plugin's own. */
  plugin?: { line: number; name: string };
  /** `chain`: its members. */
  chain?: TraefikReference[];
}

/**
 * An entry point whose routers get TLS with an option unless they name their own: static configuration
 * `entryPoints.<name>.http.tls.options`, or the flag `--entrypoints.<name>.http.tls.options=<option>`.
 */
export interface TraefikEntryPoint {
  name: string;
  option: TraefikReference;
}

/** Traefik routers and middlewares read from every file, and dynamic configuration that could not be read. */
export interface TraefikFacts {
  routers: TraefikRouter[];
  middlewares: TraefikMiddleware[];
  entryPoints: TraefikEntryPoint[];
  /** Files holding routers or middlewares in a form not read (TOML): `file:line`. */
  unread: string[];
  /** Every `tls.options` setting in the text of the files read (`file:line` and the option as written). */
  mentions: { place: string; option: string }[];
  /** The `file:line` of each `tls.options` setting a router or entry point was read from. */
  optionLines: Set<string>;
}

/** Empty facts. */
export function noTraefikFacts(): TraefikFacts {
  return { routers: [], middlewares: [], entryPoints: [], unread: [], mentions: [], optionLines: new Set() };
}

/** Whether a file is worth parsing for Traefik routers and middlewares (any provider). */
export function isTraefikConfig(text: string): boolean {
  return /traefik/i.test(text) || /IngressRoute|\bMiddleware\b|\brouters\s*:|\bmiddlewares\s*:/.test(text);
}

/**
 * Reads the Traefik routers (with TLS or not: an entry point may give it), the middlewares, the entry points'
 * TLS options and every `tls.options` setting in the text of one parsed YAML file into `facts`: the file
 * provider (`http.routers`, `http.middlewares`), Kubernetes CRDs (`IngressRoute` with `tls`, `Middleware`),
 * Docker labels of Compose / Swarm services (`services.*.labels` and `deploy.labels`, list or map form:
 * `traefik.http.routers.<r>.tls.options`, `.middlewares`, `.rule`; `traefik.http.middlewares.<m>.<kind>.*`),
 * and Kubernetes `Ingress` objects with Traefik's `traefik.ingress.kubernetes.io/router.*` annotations.
 * Key names are matched without regard to case, as Traefik does. Never throws on odd shapes (skips them).
 */
export function readTraefikConfig(file: ScanFile, documents: YamlDocument[], facts: TraefikFacts): void {
  const lines = file.text.split('\n');
  lines.forEach((text, index) => {
    const mention = TLS_OPTIONS_TEXT.exec(text);
    if (mention && !/traefik\.tcp\./i.test(text))
      facts.mentions.push({ place: `${file.relative}:${index + 1}`, option: mention[1] });
    readEntryPointSetting(file, text, index, facts);
  });
  for (const document of documents) {
    readStaticEntryPoints(document, facts);
    readFileProvider(file, document, facts);
    readCrds(file, document, facts);
    readDockerLabels(file, document, facts);
    readIngressAnnotations(file, document, facts);
  }
}

/** `--entrypoints.<name>.http.tls.options=<option>` (also with a space, quoted; flags are not case-sensitive). */
const ENTRY_POINT_FLAG = /--entrypoints\.([\w-]+)\.http\.tls\.options[=\s]\s*["']?([\w@.-]+)/i;

/** A `tls.options` setting written as one dotted key (labels, annotations, flags), with its value. */
const TLS_OPTIONS_TEXT = /tls\.options["']?\s*[=:]\s*["']?([\w@.${}:-]+)/i;

function readStaticEntryPoints(document: YamlDocument, facts: TraefikFacts): void {
  for (const [name, entryPoint] of entries(field(document.data, 'entryPoints')?.value)) {
    const option = asText(field(field(field(entryPoint, 'http')?.value, 'tls')?.value, 'options')?.value);
    if (option) facts.entryPoints.push({ name, option: reference(option) });
  }
}

/**
 * Entry-point TLS options set in Traefik's environment (`TRAEFIK_ENTRYPOINTS_<EP>_HTTP_TLS_OPTIONS=mtls@file` in a
 * `.env` file; names are not case-sensitive). YAML files are read by {@link readTraefikConfig}.
 */
export function readTraefikEnvironment(file: ScanFile, facts: TraefikFacts): void {
  file.text.split('\n').forEach((text, index) => readEntryPointSetting(file, text, index, facts));
}

/** One line's entry-point TLS option, as a flag or an environment variable. */
function readEntryPointSetting(file: ScanFile, text: string, index: number, facts: TraefikFacts): void {
  const setting = ENTRY_POINT_FLAG.exec(text) ?? ENTRY_POINT_VARIABLE.exec(text);
  if (!setting) return;
  facts.entryPoints.push({ name: setting[1].toLowerCase(), option: reference(setting[2]) });
  facts.optionLines.add(`${file.relative}:${index + 1}`);
}

/** `TRAEFIK_ENTRYPOINTS_<EP>_HTTP_TLS_OPTIONS=<option>` (Traefik's environment-variable configuration). */
const ENTRY_POINT_VARIABLE =
  /TRAEFIK_ENTRYPOINTS_([A-Z0-9-]+?)_HTTP_TLS_OPTIONS["']?\s*[=:]\s*["']?([\w@.-]+)/i;

/** Traefik TOML dynamic configuration (routers or middlewares) is not parsed: its place is kept to name it. */
export function noteTraefikToml(file: ScanFile, facts: TraefikFacts): void {
  const index = file.text
    .split('\n')
    .findIndex((line) => /^\s*\[\[?http\.(routers|middlewares)\b/.test(line));
  if (index >= 0) facts.unread.push(`${file.relative}:${index + 1}`);
}

function readFileProvider(file: ScanFile, document: YamlDocument, facts: TraefikFacts): void {
  const http = field(document.data, 'http');
  if (!http) return;
  const routers = field(http.value, 'routers');
  for (const [name, router] of entries(routers?.value)) {
    if (!routers) continue;
    const tls = field(router, 'tls');
    const rule = asText(field(router, 'rule')?.value);
    const option = asText(field(tls?.value, 'options')?.value);
    facts.routers.push({
      file: file.relative,
      line: document.lineOf([http.key, routers.key, name]),
      tls: tls !== undefined,
      ...(option ? { option: reference(option) } : {}),
      entryPoints: asList(field(router, 'entryPoints')?.value).flatMap((item) => asText(item) ?? []),
      middlewares: asList(field(router, 'middlewares')?.value)
        .flatMap((item) => asText(item) ?? [])
        .map(reference),
      paths: rulePaths(rule),
      hosts: ruleHosts(rule),
      label: `router ${name}`,
    });
  }
  const middlewares = field(http.value, 'middlewares');
  if (!middlewares) return;
  for (const [name, body] of entries(middlewares.value)) {
    const at = [http.key, middlewares.key, name];
    facts.middlewares.push(
      middlewareOf(name, undefined, file, body, (path) => document.lineOf([...at, ...path])),
    );
  }
}

function readCrds(file: ScanFile, document: YamlDocument, facts: TraefikFacts): void {
  const data = document.data;
  const kind = asText(dig(data, 'kind'));
  if (!/^traefik\./.test(asText(dig(data, 'apiVersion')) ?? '')) return;
  const namespace = asText(dig(data, 'metadata', 'namespace'));
  if (kind === 'IngressRoute') {
    const options = dig(data, 'spec', 'tls', 'options');
    const optionName = asText(dig(options, 'name'));
    const tls = dig(data, 'spec', 'tls') !== undefined;
    const entryPoints = asList(dig(data, 'spec', 'entryPoints')).flatMap((item) => asText(item) ?? []);
    asList(dig(data, 'spec', 'routes')).forEach((route, index) => {
      const rule = asText(dig(route, 'match'));
      facts.routers.push({
        file: file.relative,
        line: document.lineOf(['spec', 'routes', index]),
        tls,
        ...(optionName
          ? { option: { name: optionName, namespace: asText(dig(options, 'namespace')) ?? namespace } }
          : {}),
        entryPoints,
        middlewares: asList(dig(route, 'middlewares')).flatMap((item) => {
          const name = asText(dig(item, 'name'));
          return name ? [{ name, namespace: asText(dig(item, 'namespace')) ?? namespace }] : [];
        }),
        paths: rulePaths(rule),
        hosts: ruleHosts(rule),
        label: `IngressRoute ${asText(dig(data, 'metadata', 'name')) ?? ''} route ${index + 1}`.trim(),
      });
    });
  }
  if (kind === 'Middleware') {
    const name = asText(dig(data, 'metadata', 'name'));
    if (name)
      facts.middlewares.push(
        middlewareOf(name, namespace, file, dig(data, 'spec'), (path) => document.lineOf(['spec', ...path])),
      );
  }
}

/** One label of a service: its key, value and where it is written (`labels` list index or map key). */
interface Label {
  key: string;
  value: string;
  path: (string | number)[];
}

function readDockerLabels(file: ScanFile, document: YamlDocument, facts: TraefikFacts): void {
  for (const [service, body] of entries(dig(document.data, 'services'))) {
    const labels: Label[] = [];
    for (const at of [['labels'], ['deploy', 'labels']]) {
      const written = dig(body, ...at);
      const base = ['services', service, ...at];
      if (Array.isArray(written)) {
        written.forEach((item, index) => {
          const text = asText(item);
          // `key=value`; a ytt template's `(@= ... @)` in the key is not the separator.
          const cut = text ? (/(?<!@)=/.exec(text)?.index ?? -1) : -1;
          if (text && cut > 0)
            labels.push({
              key: text.slice(0, cut).trim(),
              value: text.slice(cut + 1).trim(),
              path: [...base, index],
            });
        });
      } else {
        for (const [key, value] of entries(written))
          labels.push({ key, value: asText(value) ?? '', path: [...base, key] });
      }
    }
    if (!labels.some((label) => /^traefik\.http\./i.test(label.key))) continue;
    const routers = new Map<string, Label[]>();
    const middlewares = new Map<string, Label[]>();
    for (const label of labels) {
      const match = /^traefik\.http\.(routers|middlewares)\.([^.]+)\.(.+)$/i.exec(label.key);
      if (!match) continue;
      const table = match[1].toLowerCase() === 'routers' ? routers : middlewares;
      const key = match[3].toLowerCase();
      // A name written by a template (`(@= router @)`) stands for a new router each time a key comes again.
      let name = match[2];
      if (TEMPLATE.test(name)) {
        let copy = 1;
        while (table.get(name)?.some((written) => written.key === key)) name = `${match[2]}#${++copy}`;
      }
      const list = table.get(name) ?? [];
      list.push({ ...label, key });
      table.set(name, list);
    }
    const where = `Docker labels of service ${service}`;
    for (const [name, props] of routers) {
      // A label written twice (a template that sets it again at the end): the last one counts, as in Docker.
      const value = (key: string): string | undefined =>
        [...props].reverse().find((label) => label.key === key)?.value;
      const tls =
        props.some((label) => label.key === 'tls' || label.key.startsWith('tls.')) &&
        value('tls') !== 'false';
      const rule = value('rule');
      const option = value('tls.options');
      for (const label of props)
        if (label.key === 'tls.options')
          facts.optionLines.add(`${file.relative}:${document.lineOf(label.path)}`);
      facts.routers.push({
        file: file.relative,
        line: document.lineOf(props[0].path),
        tls,
        ...(option ? { option: reference(option) } : {}),
        entryPoints: list(value('entrypoints')),
        ...(TEMPLATE.test(value('middlewares') ?? '')
          ? { middlewares: [], templatedMiddlewares: value('middlewares') }
          : { middlewares: list(value('middlewares')).map(reference) }),
        paths: rulePaths(rule),
        hosts: ruleHosts(rule),
        label: `router ${name} (${where})`,
      });
    }
    for (const [name, props] of middlewares) {
      // `ipallowlist.sourcerange=...` -> { ipallowlist: { sourcerange: ... } }, each key's line kept.
      const body: Record<string, Record<string, string>> = {};
      const lines = new Map<string, number>();
      for (const label of props) {
        const [kind, ...rest] = label.key.split('.');
        body[kind] = { ...(body[kind] ?? {}), [rest.join('.')]: label.value };
        lines.set(label.key, document.lineOf(label.path));
        if (!lines.has(kind)) lines.set(kind, document.lineOf(label.path));
      }
      facts.middlewares.push(
        middlewareOf(
          name,
          undefined,
          file,
          body,
          (path) => lines.get(path.join('.').toLowerCase()) ?? lines.get(String(path[0]).toLowerCase()) ?? 1,
        ),
      );
    }
  }
}

const INGRESS_ANNOTATION = 'traefik.ingress.kubernetes.io/router.';

/** A template expression in a value (ytt `(@= ... @)`, Helm / Go `{{ ... }}`, Jinja `{% ... %}`). */
const TEMPLATE = /\(@=|\{\{|\{%/;

function readIngressAnnotations(file: ScanFile, document: YamlDocument, facts: TraefikFacts): void {
  const data = document.data;
  if (asText(dig(data, 'kind')) !== 'Ingress') return;
  const annotations = asObject(dig(data, 'metadata', 'annotations')) ?? {};
  const annotation = (name: string): string | undefined => asText(annotations[INGRESS_ANNOTATION + name]);
  const tls = annotation('tls') === 'true' || dig(data, 'spec', 'tls') !== undefined;
  const traefik =
    Object.keys(annotations).some((key) => key.startsWith(INGRESS_ANNOTATION)) ||
    /traefik/i.test(
      asText(dig(data, 'spec', 'ingressClassName')) ??
        asText(annotations['kubernetes.io/ingress.class']) ??
        '',
    );
  if (!traefik) return;
  const option = annotation('tls.options');
  if (option)
    facts.optionLines.add(
      `${file.relative}:${document.lineOf(['metadata', 'annotations', `${INGRESS_ANNOTATION}tls.options`])}`,
    );
  const middlewares = list(annotation('middlewares')).map(reference);
  const rules = asList(dig(data, 'spec', 'rules'));
  const name = asText(dig(data, 'metadata', 'name')) ?? '';
  rules.forEach((rule, index) => {
    const host = asText(dig(rule, 'host'));
    facts.routers.push({
      file: file.relative,
      line: document.lineOf(['spec', 'rules', index]),
      tls,
      ...(option ? { option: reference(option) } : {}),
      entryPoints: list(annotation('entrypoints')),
      middlewares,
      paths: asList(dig(rule, 'http', 'paths')).flatMap((item) => asText(dig(item, 'path')) ?? []),
      hosts: host ? [host] : [],
      label: `Ingress ${name} rule ${index + 1}`,
    });
  });
}

/** A middleware's body (any provider, any key case) read for what it answers. */
function middlewareOf(
  name: string,
  namespace: string | undefined,
  file: ScanFile,
  body: unknown,
  lineOf: (path: string[]) => number,
): TraefikMiddleware {
  const middleware: TraefikMiddleware = {
    name,
    namespace,
    file: file.relative,
    line: lineOf([]),
    denials: [],
  };
  for (const [key, value] of entries(body)) {
    const kind = key.toLowerCase();
    if (kind === 'ipallowlist' || kind === 'ipwhitelist') {
      const reject = field(value, 'rejectStatusCode');
      const code = Number(asText(reject?.value));
      if (kind === 'ipallowlist' && reject && code !== 403) continue;
      middleware.denials.push({
        kind: kind === 'ipallowlist' ? 'ipAllowList' : 'ipWhiteList',
        line: lineOf(reject ? [key, reject.key] : [key]),
      });
    } else if (kind === 'plugin') {
      middleware.plugin = {
        line: lineOf([key]),
        name: (Object.keys(asObject(value) ?? {})[0] ?? '').split('.')[0],
      };
    } else if (kind === 'forwardauth') {
      middleware.forwardAuth = { line: lineOf([key]), address: asText(field(value, 'address')?.value) };
    } else if (kind === 'chain') {
      const members = field(value, 'middlewares')?.value;
      middleware.chain = (typeof members === 'string' ? members.split(',') : asList(members)).flatMap(
        (member) => {
          const text = asText(member)?.trim() ?? asText(dig(member, 'name'));
          return text
            ? [{ ...reference(text), namespace: asText(dig(member, 'namespace')) ?? namespace }]
            : [];
        },
      );
    }
  }
  return middleware;
}

/**
 * The 403s Traefik answers itself on the routers that use an mTLS TLS option (`findings`: Traefik TLS options
 * read from YAML, from any file), read across every file's routers and middlewares (`facts`): each `ipAllowList`
 * without a `rejectStatusCode` other than 403, and each `ipWhiteList`, among a router's middlewares (followed
 * through `chain`). Listed as not checked (`notChecked`, `file:line traefik (why)`), never passed as clean: a
 * TLS option no router found uses, a `forwardAuth` middleware (its auth server's 403s reach the client), a
 * middleware defined in no file scanned, and TOML routers or middlewares (not parsed).
 */
export function traefikForbidden(
  findings: readonly DetectFinding[],
  facts: TraefikFacts,
  status: number,
): ForbiddenResult & { notChecked: string[] } {
  const result = { ...noForbidden(), notChecked: [] as string[] };
  const mtls = findings.filter(isTraefikYaml);
  if (!mtls.length) return result;
  const seen = new Set<string>();
  const notChecked = (entry: string): void => {
    if (!result.notChecked.includes(entry)) result.notChecked.push(entry);
  };
  for (const place of facts.unread)
    notChecked(`${place} traefik (TOML routers or middlewares: not read, review their middlewares by hand)`);
  for (const finding of mtls) {
    const option = optionName(finding);
    for (const mention of facts.mentions) {
      if (facts.optionLines.has(mention.place) || !refersTo(reference(mention.option), option)) continue;
      notChecked(
        `${mention.place} traefik (TLS option '${option}' is set here in a form not read (a template or code), ` +
          `so the middlewares of its router were not read)`,
      );
    }
    const routers = routersUsing(option, facts);
    if (!routers.length) {
      notChecked(
        `${finding.file}:${finding.line} traefik (no router found using TLS option '${option}', so its middlewares were not read)`,
      );
      continue;
    }
    for (const router of routers) {
      if (router.templatedMiddlewares)
        notChecked(
          `${router.file}:${router.line} traefik (the middlewares of ${router.label} are written by a template ` +
            `expression, ${router.templatedMiddlewares}: review the rendered list by hand)`,
        );
      for (const { middleware, missing } of expand(router.middlewares, facts.middlewares, new Set())) {
        if (!middleware) {
          if (missing.provider !== 'internal')
            notChecked(
              `${router.file}:${router.line} traefik (middleware ${written(missing)} of ${router.label} is not defined in any YAML file read)`,
            );
          continue;
        }
        if (middleware.forwardAuth)
          notChecked(
            `${middleware.file}:${middleware.forwardAuth.line} traefik (forwardAuth ${middleware.name} on ${router.label}: ` +
              `the auth server${middleware.forwardAuth.address ? ` ${middleware.forwardAuth.address}` : ''} decides the status; make it answer ${status}, not 403)`,
          );
        if (middleware.plugin)
          notChecked(
            `${middleware.file}:${middleware.plugin.line} traefik (plugin ${middleware.plugin.name} in middleware ` +
              `${middleware.name} on ${router.label}: the plugin decides what it answers; make sure it is not 403)`,
          );
        for (const denial of middleware.denials) {
          const id = `${middleware.file}:${denial.line}:${router.paths.join(',')}`;
          if (seen.has(id)) continue;
          seen.add(id);
          result.forbidden.push({
            ...forbiddenUnder(finding, {
              line: denial.line,
              source: 'traefik',
              evidence: `middleware ${middleware.name} ${denial.kind}: 403 to a client address outside sourceRange`,
              paths: router.paths,
              hosts: router.hosts.length ? router.hosts : finding.hosts,
              fix:
                denial.kind === 'ipAllowList'
                  ? `rejectStatusCode: ${status} under ${middleware.name}'s ipAllowList`
                  : `ipAllowList (Traefik v3; ipWhiteList always answers 403) with rejectStatusCode: ${status} for ${middleware.name}`,
              ...(middleware.file !== finding.file || router.file !== finding.file
                ? { note: `on ${router.label} (${router.file}:${router.line})` }
                : {}),
            }),
            file: middleware.file,
          });
        }
      }
    }
  }
  return result;
}

/**
 * Each Traefik TLS option finding's hosts and note, from the routers of every file that use it (the source
 * reader saw only its own file): hosts added from their rules, the note naming them.
 */
export function linkTraefikRouters(findings: DetectFinding[], facts: TraefikFacts): void {
  for (const finding of findings.filter(isTraefikYaml)) {
    const option = optionName(finding);
    const routers = routersUsing(option, facts);
    if (!routers.length) continue;
    finding.hosts = [...new Set([...finding.hosts, ...routers.flatMap((router) => router.hosts)])];
    const named = routers.slice(0, 3).map((router) => `${router.file}:${router.line}`);
    finding.note =
      `TLS option '${option}', used by ${routers.length} router(s): ${named.join(', ')}` +
      (routers.length > named.length ? ` and ${routers.length - named.length} more` : '');
  }
}

/**
 * The routers that use TLS option `name`: the ones that name it, and the ones that name none on an entry point
 * that sets it (a router listing no entry point is on every one); a router with TLS and no option anywhere uses
 * `default`. Source: Traefik docs, "EntryPoints" (`http.tls.options`: default TLS options for the routers of
 * the entry point) and "Routers" (`entryPoints`: "If not specified, HTTP routers will accept requests from all
 * EntryPoints in the list of default EntryPoints").
 */
function routersUsing(name: string, facts: TraefikFacts): TraefikRouter[] {
  return facts.routers.filter((router) => {
    if (router.option) return refersTo(router.option, name);
    const listed = router.entryPoints.map((entryPoint) => entryPoint.toLowerCase());
    const on = facts.entryPoints.filter(
      (entryPoint) => !listed.length || listed.includes(entryPoint.name.toLowerCase()),
    );
    if (on.some((entryPoint) => refersTo(entryPoint.option, name))) return true;
    // `default`: a router with TLS on an entry point that sets no option (or on every entry point).
    const everyListedSetsOne =
      listed.length > 0 &&
      listed.every((one) => facts.entryPoints.some((entryPoint) => entryPoint.name.toLowerCase() === one));
    return name === 'default' && router.tls && !everyListedSetsOne;
  });
}

/** `a, b@docker` -> `['a', 'b@docker']`. */
function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The TLS option a finding stands for (sources/traefik.ts writes it in the note). */
function optionName(finding: DetectFinding): string {
  return /TLS option '([^']+)'/.exec(finding.note ?? '')?.[1] ?? 'default';
}

/** `name@provider` -> its parts. */
function reference(text: string): TraefikReference {
  const at = text.lastIndexOf('@');
  return at > 0 ? { name: text.slice(0, at), provider: text.slice(at + 1) } : { name: text };
}

function written(ref: TraefikReference): string {
  return `${ref.namespace && !ref.provider ? `${ref.namespace}/` : ''}${ref.name}${ref.provider ? `@${ref.provider}` : ''}`;
}

/** Whether a reference names the object `name` (a CRD referred to from elsewhere as `<namespace>-<name>@kubernetescrd`). */
function refersTo(ref: TraefikReference, name: string): boolean {
  return ref.name === name || (ref.provider === 'kubernetescrd' && ref.name.endsWith(`-${name}`));
}

/** The middleware a reference resolves to, by name (and namespace for CRD references). */
function resolve(
  ref: TraefikReference,
  middlewares: readonly TraefikMiddleware[],
): TraefikMiddleware | undefined {
  return (
    middlewares.find(
      (candidate) =>
        candidate.name === ref.name &&
        (!ref.namespace || !candidate.namespace || candidate.namespace === ref.namespace),
    ) ??
    middlewares.find(
      (candidate) =>
        ref.provider === 'kubernetescrd' &&
        `${candidate.namespace ?? 'default'}-${candidate.name}` === ref.name,
    )
  );
}

/** The middlewares a list stands for, `chain` middlewares replaced by their members (cycles cut). */
function expand(
  refs: readonly TraefikReference[],
  middlewares: readonly TraefikMiddleware[],
  visiting: Set<TraefikMiddleware>,
): { middleware?: TraefikMiddleware; missing: TraefikReference }[] {
  const out: { middleware?: TraefikMiddleware; missing: TraefikReference }[] = [];
  for (const ref of refs) {
    const middleware = resolve(ref, middlewares);
    if (!middleware || !middleware.chain) {
      out.push({ middleware, missing: ref });
      continue;
    }
    if (visiting.has(middleware)) continue;
    visiting.add(middleware);
    out.push(...expand(middleware.chain, middlewares, visiting));
    visiting.delete(middleware);
  }
  return out;
}

/** `[key, value]` pairs of a plain object (none for anything else). */
function entries(value: unknown): [string, unknown][] {
  return Object.entries(asObject(value) ?? {});
}

/** A key of a plain object matched without regard to case, as Traefik reads its configuration. */
function field(value: unknown, name: string): { key: string; value: unknown } | undefined {
  const lower = name.toLowerCase();
  for (const [key, item] of entries(value)) if (key.toLowerCase() === lower) return { key, value: item };
  return undefined;
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

/** `Host(\`a\`) || Host(\`b\`, \`c\`)` -> host names (`*` left out). */
function ruleHosts(rule: string | undefined): string[] {
  if (!rule) return [];
  const hosts: string[] = [];
  for (const call of rule.matchAll(/\bHost(?:SNI)?\(([^)]*)\)/g)) {
    for (const name of call[1].matchAll(/[`"']([^`"']+)[`"']/g)) if (name[1] !== '*') hosts.push(name[1]);
  }
  return hosts;
}
