import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScanFile } from './scan-file.js';
import { istioMode } from './sources/istio.js';
import { KONG_CERTIFICATE_PLUGINS } from './sources/kong.js';
import { traefikMode } from './sources/traefik.js';
import { isOutputTag, templateTags } from './template-tags.js';
import type { DetectFinding, DetectSkip } from './types.js';
import { asObject, asText, dig, parseYamlDocuments, type YamlDocument } from './yaml-documents.js';

/**
 * Helm chart templates whose client-certificate settings the chart values write (session 41). Reading a template
 * with its tags blanked sees `mode: {{ .Values.tls.mode }}` as a placeholder and `tls: {{- toYaml .tls | nindent 6
 * }}` as nothing, so a Gateway whose values turn on `MUTUAL` read "No mTLS termination found". Each such place is
 * resolved against the chart's values files (`values.yaml`, `values-*.yaml`): the value paths the tag reads
 * (`.Values.x`, `.` and `$var` inside `with` / `range`), and whether a `with` / `range` around it renders at all
 * with those values. Sources: Helm "Flow Control" and "Variables" (with, range, `$`), Go text/template.
 */

/** A place of a resource where a value written by the chart asks for a client certificate. */
interface Place {
  /** The place in words: `server tls`. */
  what: string;
  /** Path in the resource; `*` is any list index. */
  path: readonly (string | number)[];
  /** For a scalar setting: whether its value asks for a certificate. Blocks are read with the kind's `asks`. */
  value?: (value: unknown) => boolean;
}

/** The resources whose client-certificate settings detect reads, with the places values may write them. */
interface KindPlaces {
  kind: string;
  is: (data: unknown) => boolean;
  /** Deepest first: a tag is the deepest place's. */
  places: readonly Place[];
  /** Whether an entry of values written into one of its blocks asks for a certificate (searched at any depth). */
  asks: (key: string, value: unknown) => boolean;
}

/**
 * Whether a resource is a `kind` of the API group `api`. A chart often writes the `apiVersion` with a helper (`{{
 * include "common.capabilities.gateway.apiVersion" . }}`, blanked to nothing) or from its values (`$Values...`):
 * then the `kind` and, when given, `shape` decide (an Istio and a Gateway API `Gateway` differ by their `spec`).
 */
function kindOf(data: unknown, kind: string, api: string, shape?: (data: unknown) => boolean): boolean {
  if (asText(dig(data, 'kind')) !== kind) return false;
  const version = asText(dig(data, 'apiVersion'));
  if (version !== undefined && !version.startsWith('$')) return version.startsWith(api);
  return shape?.(data) ?? true;
}

const KINDS: readonly KindPlaces[] = [
  {
    kind: 'Istio Gateway',
    is: (data) =>
      kindOf(
        data,
        'Gateway',
        'networking.istio.io/',
        (resource) => dig(resource, 'spec', 'servers') !== undefined,
      ),
    places: [
      {
        what: 'server tls.mode',
        path: ['spec', 'servers', '*', 'tls', 'mode'],
        value: (value) => istioMode(value) !== undefined,
      },
      { what: 'server tls', path: ['spec', 'servers', '*', 'tls'] },
      { what: 'servers', path: ['spec', 'servers'] },
      { what: 'spec', path: ['spec'] },
    ],
    asks: (key, value) => key === 'mode' && istioMode(value) !== undefined,
  },
  {
    kind: 'Gateway API Gateway',
    is: (data) =>
      kindOf(
        data,
        'Gateway',
        'gateway.networking.k8s.io/',
        (resource) => dig(resource, 'spec', 'listeners') !== undefined,
      ),
    places: [
      { what: 'listener tls', path: ['spec', 'listeners', '*', 'tls'] },
      { what: 'listeners', path: ['spec', 'listeners'] },
      { what: 'tls', path: ['spec', 'tls'] },
      { what: 'spec', path: ['spec'] },
    ],
    asks: (key, value) =>
      (key === 'frontendValidation' || key === 'frontend') && asObject(value) !== undefined,
  },
  {
    kind: 'Envoy Gateway ClientTrafficPolicy',
    is: (data) => kindOf(data, 'ClientTrafficPolicy', 'gateway.envoyproxy.io/'),
    places: [
      { what: 'tls.clientValidation', path: ['spec', 'tls', 'clientValidation'] },
      { what: 'tls', path: ['spec', 'tls'] },
      { what: 'spec', path: ['spec'] },
    ],
    asks: (key, value) => key === 'clientValidation' && asObject(value) !== undefined,
  },
  {
    kind: 'Traefik TLSOption',
    is: (data) => kindOf(data, 'TLSOption', 'traefik.'),
    places: [
      {
        what: 'clientAuth.clientAuthType',
        path: ['spec', 'clientAuth', 'clientAuthType'],
        value: (value) => traefikMode(asText(value)) !== undefined,
      },
      { what: 'clientAuth', path: ['spec', 'clientAuth'] },
      { what: 'spec', path: ['spec'] },
    ],
    asks: (key, value) => key === 'clientAuthType' && traefikMode(asText(value)) !== undefined,
  },
  {
    kind: 'Kong plugin',
    is: (data) => /^Kong(?:Cluster)?Plugin$/.test(asText(dig(data, 'kind')) ?? ''),
    places: [
      { what: 'plugin', path: ['plugin'], value: (value) => KONG_CERTIFICATE_PLUGINS.has(String(value)) },
    ],
    asks: (key, value) => key === 'plugin' && KONG_CERTIFICATE_PLUGINS.has(String(value)),
  },
  {
    kind: 'APISIX ApisixTls',
    is: (data) => kindOf(data, 'ApisixTls', 'apisix.apache.org/'),
    places: [
      { what: 'client', path: ['spec', 'client'] },
      { what: 'spec', path: ['spec'] },
    ],
    asks: (key, value) => key === 'client' && asObject(value) !== undefined,
  },
];

/** A tag that writes part of a resource at one of its {@link Place}s. */
interface Site {
  kinds: KindPlaces;
  place: Place;
  /** 1-based line of the tag. */
  line: number;
  tag: string;
  context: TagContext;
}

/** What a tag's `.`, `$variables` and enclosing `with` / `range` stand for, as values paths (`a.b.*`). */
interface TagContext {
  /** `.`: undefined at the root (the chart's whole context) or inside a `define`. */
  dot: string[] | undefined;
  variables: ReadonlyMap<string, string[]>;
  /** The values paths of each `with` / `range` around the tag: when one is empty the tag is not rendered. */
  around: string[][];
}

/** Names of the built-in objects beside `.Values`: not values. */
const BUILT_IN = /^(?:Release|Chart|Capabilities|Template|Files|Subcharts)\b/;

/**
 * The values paths an expression reads (`.Values.a.b` -> `a.b`; `.x` and `.` through `dot`; `$v.x` through the
 * variables); string literals are not read.
 */
function valuesPaths(expression: string, context: TagContext): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, ' ');
  const out: string[] = [];
  const join = (base: string, rest: string): string => (rest ? (base ? `${base}.${rest}` : rest) : base);
  for (const match of code.matchAll(/(\$\w*)?((?:\.[A-Za-z_][\w-]*)+)|(\$\w+)|(?<![\w)\]$.])\.(?![\w.])/g)) {
    const [, variable, fields, bare] = match;
    if (fields !== undefined) {
      const rest = fields.slice(1);
      if (variable === '$' || variable === undefined) {
        if (rest === 'Values' || rest.startsWith('Values.')) out.push(rest.slice('Values.'.length));
        else if (variable === undefined && !BUILT_IN.test(rest))
          for (const base of context.dot ?? []) out.push(join(base, rest));
        continue;
      }
      for (const base of context.variables.get(variable) ?? []) out.push(join(base, rest));
      continue;
    }
    if (bare !== undefined) {
      out.push(...(context.variables.get(bare) ?? []));
      continue;
    }
    out.push(...(context.dot ?? []));
  }
  return [...new Set(out)];
}

/** Each output tag of a template with its context (Go template scoping of `.` and variables). */
function tagContexts(written: string): { tag: string; offset: number; context: TagContext }[] {
  interface Frame {
    dot: string[] | undefined;
    variables: Map<string, string[]>;
    paths?: string[];
  }
  const stack: Frame[] = [{ dot: undefined, variables: new Map() }];
  const top = (): Frame => stack[stack.length - 1];
  const context = (): TagContext => {
    const variables = new Map<string, string[]>();
    for (const frame of stack) for (const [name, paths] of frame.variables) variables.set(name, paths);
    return {
      dot: top().dot,
      variables,
      around: stack.flatMap((frame) => (frame.paths ? [frame.paths] : [])),
    };
  };
  const out: { tag: string; offset: number; context: TagContext }[] = [];
  for (const { tag, offset } of templateTags(written)) {
    if (!tag.startsWith('{{') || /^\{\{-?\s*\/\*/.test(tag)) continue;
    const body = tag.replace(/^\{\{-?\s*/, '').replace(/\s*-?\}\}$/, '');
    const at = context();
    const range = /^range\s+(?:(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*)?([\s\S]*)$/.exec(body);
    const assigned = /^(\$\w+)\s*:?=(?!=)\s*([\s\S]*)$/.exec(body);
    if (/^(?:if|define|block)\b/.test(body))
      stack.push({
        dot: /^if\b/.test(body) ? at.dot : undefined,
        variables: new Map(),
      });
    else if (/^with\b/.test(body)) {
      const paths = valuesPaths(body.slice(4), at);
      stack.push({ dot: paths, variables: new Map(), paths });
    } else if (range) {
      const paths = valuesPaths(range[3], at);
      const items = paths.map((entry) => (entry ? `${entry}.*` : '*'));
      const variables = new Map<string, string[]>();
      // `range $v := x` binds the element; `range $k, $v := x` the key and the element.
      if (range[2]) variables.set(range[2], items);
      else if (range[1]) variables.set(range[1], items);
      stack.push({ dot: items, variables, paths });
    } else if (/^end\b/.test(body)) {
      if (stack.length > 1) stack.pop();
    } else if (assigned) top().variables.set(assigned[1], valuesPaths(assigned[2], at));
    else if (isOutputTag(tag)) out.push({ tag, offset, context: at });
  }
  // Terraform `templatefile` / envsubst values (`${tls_mode}`): filled in from outside, no values to follow.
  for (const match of written.matchAll(/\$\{[^}\n]*\}/g))
    out.push({
      tag: match[0],
      offset: match.index,
      context: { dot: undefined, variables: new Map(), around: [] },
    });
  return out.sort((a, b) => a.offset - b.offset);
}

/** The column where a line's key starts (after its indentation and `- ` item marks). */
function keyColumn(line: string): number {
  return /^[ \t]*(?:-[ \t]+)*/.exec(line)?.[0].length ?? 0;
}

/**
 * The 1-based line of the key a tag writes into: its own line when text stands before it there (`mode: {{ . }}`),
 * else the nearest line above with text whose key column is less than the tag's indentation (`indent N` /
 * `nindent N` when the tag gives one).
 */
function ownerLine(lines: readonly string[], line: number, column: number, tag: string): number {
  const blank = (text: string): string =>
    text.replace(/\{\{[\s\S]*?\}\}/g, (found) => ' '.repeat(found.length));
  if (/\S/.test(blank(lines[line - 1].slice(0, column)))) return line;
  const indent = /\bn?indent\s+(\d+)/.exec(tag);
  const depth = indent ? Number(indent[1]) : column;
  for (let index = line - 2; index >= 0; index--) {
    const text = blank(lines[index]);
    if (!/\S/.test(text) || /^\s*#/.test(text) || /^---/.test(text)) continue;
    if (keyColumn(text) < depth) return index + 1;
  }
  return 0;
}

/** Concrete paths of `pattern` present in `data` (a key may hold null: its block is written by a tag). */
function concretePaths(data: unknown, pattern: readonly (string | number)[]): (string | number)[][] {
  let found: { node: unknown; path: (string | number)[] }[] = [{ node: data, path: [] }];
  for (const segment of pattern) {
    const next: typeof found = [];
    for (const { node, path: at } of found) {
      if (segment === '*') {
        if (Array.isArray(node))
          node.forEach((item, index) => next.push({ node: item, path: [...at, index] }));
        continue;
      }
      const object = asObject(node);
      if (object && Object.hasOwn(object, segment))
        next.push({ node: object[segment], path: [...at, segment] });
    }
    found = next;
  }
  return found.map((entry) => entry.path);
}

/** The tags of one parsed template that write a client-certificate place of a resource. */
function templateSites(template: ScanFile, documents: readonly YamlDocument[]): Site[] {
  const written = template.written ?? template.text;
  const lines = written.split('\n');
  const starts = [0];
  for (const match of written.matchAll(/\n/g)) starts.push(match.index + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  const tags = tagContexts(written).map((entry) => {
    const line = lineOf(entry.offset);
    return { ...entry, line, owner: ownerLine(lines, line, entry.offset - starts[line - 1], entry.tag) };
  });
  const sites: Site[] = [];
  const taken = new Set<number>();
  for (const document of documents) {
    const kinds = KINDS.find((entry) => entry.is(document.data));
    if (!kinds) continue;
    for (const place of kinds.places)
      for (const concrete of concretePaths(document.data, place.path)) {
        const keyLine = document.lineOf(concrete);
        tags.forEach((entry, index) => {
          if (taken.has(index) || entry.owner !== keyLine) return;
          taken.add(index);
          sites.push({ kinds, place, line: entry.line, tag: entry.tag, context: entry.context });
        });
      }
  }
  return sites;
}

/** A chart's values file, parsed. */
interface ValuesFile {
  relative: string;
  documents: YamlDocument[];
}

/** The nodes at a values path (`a.*.b`), with their paths. */
function valuesAt(data: unknown, dotted: string): { node: unknown; path: (string | number)[] }[] {
  let found: { node: unknown; path: (string | number)[] }[] = [{ node: data, path: [] }];
  for (const segment of dotted ? dotted.split('.') : []) {
    const next: typeof found = [];
    for (const { node, path: at } of found) {
      if (segment === '*') {
        if (Array.isArray(node))
          node.forEach((item, index) => next.push({ node: item, path: [...at, index] }));
        else
          for (const [key, value] of Object.entries(asObject(node) ?? {}))
            next.push({ node: value, path: [...at, key] });
        continue;
      }
      const object = asObject(node);
      if (object && Object.hasOwn(object, segment))
        next.push({ node: object[segment], path: [...at, segment] });
    }
    found = next;
  }
  return found;
}

/** Whether Go templates take a value as empty (`with` / `range` / `if` then render nothing). */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  const object = asObject(value);
  return object !== undefined && Object.keys(object).length === 0;
}

/** The first entry at any depth of `node` for which `asks` holds, with its path below `node`. */
function askingEntry(
  node: unknown,
  asks: (key: string, value: unknown) => boolean,
  at: (string | number)[] = [],
): (string | number)[] | undefined {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) {
      const found = askingEntry(item, asks, [...at, index]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, value] of Object.entries(asObject(node) ?? {})) {
    if (asks(key, value)) return [...at, key];
    const found = askingEntry(value, asks, [...at, key]);
    if (found) return found;
  }
  return undefined;
}

/** Where a values file asks for a certificate: `values.yaml:12 (`mode: MUTUAL`)`. */
function valuesWhere(file: ValuesFile, document: YamlDocument, at: (string | number)[]): string {
  return `${file.relative}:${document.lineOf(at)} (\`${document.evidence(at)}\`)`;
}

/** How a site reads with the chart's values: where they ask for a certificate, or why they do not. */
function resolveSite(
  site: Site,
  values: readonly ValuesFile[],
): { asks?: string; followed: boolean; quiet?: string } {
  for (const paths of site.context.around)
    if (
      paths.length > 0 &&
      values.every((file) =>
        file.documents.every((document) =>
          paths.every((dotted) =>
            valuesAt(document.data, dotted.replace(/\.\*$/, '')).every(({ node }) => isEmpty(node)),
          ),
        ),
      )
    )
      return {
        followed: true,
        quiet: `the \`with\` / \`range\` around it renders nothing with the chart's values (\`.Values.${paths[0].replace(/\.\*$/, '')}\` is empty)`,
      };
  const paths = valuesPaths(site.tag.replace(/^\{\{-?|-?\}\}$/g, ''), site.context);
  const fallback = /\bdefault\s+"([^"]*)"/.exec(site.tag)?.[1];
  if (paths.length === 0) {
    for (const file of values)
      for (const document of file.documents) {
        const at = askingEntry(document.data, site.kinds.asks);
        if (at) return { followed: false, asks: valuesWhere(file, document, at) };
      }
    if (site.place.value && fallback !== undefined && site.place.value(fallback))
      return { followed: false, asks: `its default \`${fallback}\`` };
    return { followed: false, quiet: 'no values file of the chart asks for a client certificate' };
  }
  for (const file of values)
    for (const document of file.documents)
      for (const dotted of paths)
        for (const { node, path: at } of valuesAt(document.data, dotted)) {
          if (site.place.value) {
            if (site.place.value(node)) return { followed: true, asks: valuesWhere(file, document, at) };
            continue;
          }
          const below = askingEntry(node, site.kinds.asks);
          if (below) return { followed: true, asks: valuesWhere(file, document, [...at, ...below]) };
        }
  if (site.place.value && fallback !== undefined && site.place.value(fallback))
    return { followed: true, asks: `its default \`${fallback}\`` };
  return {
    followed: true,
    quiet: `\`.Values.${paths[0]}\`${paths.length > 1 ? ' and the other values it reads' : ''} ask${paths.length > 1 ? '' : 's'} for none in the chart's values files`,
  };
}

/**
 * The chart's values files: those scanned in the chart folder, else its `values.yaml` read from disk. `unparsed`:
 * each one that is no YAML, as `chart/values.yaml (why)`: what it asks for is not read.
 */
function chartValues(
  template: ScanFile,
  scanned: readonly ScanFile[],
): { files: ValuesFile[]; unparsed: string[] } {
  const at = `/${template.relative}`.lastIndexOf('/templates/');
  const chart = at <= 0 ? '.' : template.relative.slice(0, at - 1);
  const files: ValuesFile[] = [];
  const unparsed: string[] = [];
  const parse = (relative: string, documents: () => YamlDocument[]): void => {
    try {
      files.push({ relative, documents: documents() });
    } catch (error) {
      unparsed.push(`${relative} (${(error as Error).message.split('\n')[0]})`);
    }
  };
  const own = scanned.filter((file) => path.posix.dirname(file.relative) === chart);
  for (const file of own) parse(file.relative, () => file.yamlDocuments());
  if (own.length) return { files, unparsed };
  const root = template.path.slice(0, template.path.length - template.relative.length);
  const disk = path.join(root, chart, 'values.yaml');
  if (existsSync(disk))
    parse(chart === '.' ? 'values.yaml' : `${chart}/values.yaml`, () =>
      parseYamlDocuments(readFileSync(disk, 'utf8')),
    );
  return { files, unparsed };
}

/**
 * A template's YAML documents; undefined when it does not parse (index.ts names such a template under "Not read"
 * with its kind).
 */
function parsedDocuments(template: ScanFile): YamlDocument[] | undefined {
  try {
    return template.yamlDocuments();
  } catch {
    return undefined;
  }
}

/**
 * The entries for the client-certificate places Helm chart templates fill from the chart values (see the top of
 * this module): "Not read" with the tag's line when a values file asks for a certificate there (or the tag's values
 * could not be followed and a values file asks for one anywhere for that resource), since detect does not render
 * templates; "Read and left out" when the chart's values ask for none there. `templates`: the chart templates
 * read (tags blanked); `values`: the chart values files read. A template that does not parse gives nothing here
 * (it is named as such); a site no parsed values file asks for a certificate at, in a chart with a values file that
 * is no YAML, is "Not read" naming that file (never "ask for none").
 */
export function helmValuesSites(templates: readonly ScanFile[], values: readonly ScanFile[]): DetectSkip[] {
  const out: DetectSkip[] = [];
  for (const template of templates) {
    const documents = parsedDocuments(template);
    if (!documents) continue;
    const sites = templateSites(template, documents);
    if (sites.length === 0) continue;
    const chart = chartValues(template, values);
    for (const site of sites) {
      const tag = site.tag.replace(/\s+/g, ' ');
      const where = `line ${site.line}: the ${site.kinds.kind}'s ${site.place.what} is written from the chart values (\`${tag}\`)`;
      const { asks, followed, quiet } = resolveSite(site, chart.files);
      if (!asks && chart.unparsed.length)
        out.push({
          file: template.relative,
          line: site.line,
          reason:
            `${where}, and the chart's values file ${chart.unparsed.join(', ')} is no YAML: whether it asks for ` +
            `a client certificate there is not read: fix the values file, or set mtls.servers or mtls.everywhere ` +
            `by hand`,
        });
      else if (asks)
        out.push({
          file: template.relative,
          line: site.line,
          reason:
            `${where}${followed ? '' : ', which detect does not follow to its values,'} and ${asks} asks for a ` +
            `client certificate there: detect does not render Helm templates, so it is not read: run detect on ` +
            `the chart rendered with \`helm template\`, or set mtls.servers or mtls.everywhere by hand`,
        });
      else
        out.push({
          file: template.relative,
          line: site.line,
          leftOut: true,
          reason:
            `${where}, and ${quiet ?? 'the values ask for none'}: read with the chart's values, which ask for no ` +
            `client certificate there (values given at install, -f or --set, may)`,
        });
    }
  }
  return out;
}

/**
 * The entries for the client-certificate places a YAML template that is not a Helm chart's (`gateway.yaml.tmpl`,
 * `istio.yaml.tpl` for Terraform's `templatefile`, `gateway.yaml.j2`) fills when it is rendered (`mode: {{ mode }}`,
 * `mode: ${tls_mode}`): there are no values to follow, so each is named under "Not read" with its line (session 41;
 * before, the placeholder was read as no mode and the Gateway read "No mTLS termination found").
 */
export function templateFilledSites(templates: readonly ScanFile[]): DetectSkip[] {
  const out: DetectSkip[] = [];
  for (const template of templates) {
    const documents = parsedDocuments(template);
    if (!documents) continue;
    for (const site of templateSites(template, documents))
      out.push({
        file: template.relative,
        line: site.line,
        reason:
          `line ${site.line}: the ${site.kinds.kind}'s ${site.place.what} is filled in when the template is ` +
          `rendered (\`${site.tag.replace(/\s+/g, ' ')}\`): unknown here, so it is not read: run detect on the ` +
          `rendered file, or set mtls.servers or mtls.everywhere by hand`,
      });
  }
  return out;
}

/**
 * Settings that ask for a client certificate, written literally in a template: Istio `mode: MUTUAL` /
 * `OPTIONAL_MUTUAL`, Traefik `clientAuthType` asking, Gateway API `frontendValidation`, Envoy Gateway
 * `clientValidation`, ingress-nginx `auth-tls-verify-client` not off, Kong's certificate plugins, Envoy
 * `require_client_certificate: true`.
 */
const LITERAL_SETTING =
  /\bmode["']?[ \t]*:[ \t]*["']?(?:OPTIONAL_)?MUTUAL\b|\bclientAuthType["']?[ \t]*:[ \t]*["']?(?:RequireAndVerifyClientCert|RequireAnyClientCert|VerifyClientCertIfGiven|RequestClientCert)\b|\bfrontendValidation["']?[ \t]*:|\bclientValidation["']?[ \t]*:|\bauth-tls-verify-client["']?[ \t]*:[ \t]*["']?(?!off\b)[\w-]+|\bplugin["']?[ \t]*:[ \t]*["']?(?:mtls-auth|tls-handshake-modifier)\b|\brequire_client_certificate["']?[ \t]*:[ \t]*["']?true\b/;

/** The resources whose literal settings {@link LITERAL_SETTING} the readers read; a document of none is a config file. */
const SETTING_KINDS = /^(?:Gateway|TLSOption|ClientTrafficPolicy|Ingress|KongPlugin|KongClusterPlugin)$/;

/**
 * A YAML template's literal client-certificate settings that reading it gave no finding for (session 41): the
 * readers read the template with its tags blanked, so both branches of `{{ if }} mode: MUTUAL {{ else }} mode:
 * SIMPLE {{ end }}` are one map whose last key wins, and the `MUTUAL` branch read "No mTLS termination found". Each
 * such setting, in a document of a resource that carries it (or of no `kind`: a Traefik or Envoy file) with no
 * finding and no "left out" naming its line, is named with its line. `found`: the file's findings; `named`: the
 * entries of the file so far.
 */
export function templateSettingsNotRead(
  template: ScanFile,
  found: readonly DetectFinding[],
  named: readonly DetectSkip[],
): DetectSkip[] {
  const written = template.written;
  if (written === undefined) return [];
  if (!parsedDocuments(template)) return [];
  const lines = written.split('\n');
  const leftOut = new Set(
    named.flatMap((skip) => (skip.file === template.relative && skip.line !== undefined ? [skip.line] : [])),
  );
  const out: DetectSkip[] = [];
  let start = 0;
  for (let end = 0; end <= lines.length; end++) {
    if (end < lines.length && !/^---/.test(lines[end])) continue;
    const segment = lines.slice(start, end);
    const kind = segment.map((line) => /^kind[ \t]*:[ \t]*["']?(\w+)/.exec(line)?.[1]).find(Boolean);
    const first = start + 1;
    const last = end;
    start = end + 1;
    if (kind !== undefined && !SETTING_KINDS.test(kind)) continue;
    if (found.some((finding) => finding.line >= first && finding.line <= last)) continue;
    segment.forEach((text, index) => {
      const line = first + index;
      const literal = text.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, (tag) => ' '.repeat(tag.length));
      const match = LITERAL_SETTING.exec(literal);
      if (!match || /^\s*#/.test(literal.slice(0, match.index + 1)) || leftOut.has(line)) return;
      if (out.some((skip) => skip.line !== undefined && skip.line >= first && skip.line <= last)) return;
      out.push({
        file: template.relative,
        line,
        reason:
          `a template holding an mTLS server setting at line ${line} (\`${match[0]}\`) that reading it with its ` +
          `template tags blanked did not give (a branch of \`{{ if }}\` / \`{{ else }}\` another branch overrides, ` +
          `a key written twice): not read: run detect on the rendered file, or set mtls.servers or ` +
          `mtls.everywhere by hand`,
      });
    });
  }
  return out;
}
