import path from 'node:path';
import { ScanFile } from '../scan-file.js';
import { istioMode } from './istio.js';
import { setValues } from './helm-set.js';
import { interpolationsWritten, YAML_TEMPLATE_SUFFIX, yamlWithoutTemplateTags } from '../template-tags.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { asList, asObject, asText, dig, parseYamlDocuments, type YamlDocument } from '../yaml-documents.js';

/**
 * Helm values for a chart whose templates are not in the scanned tree (session 42). A repository that deploys a
 * gateway chart kept elsewhere holds only its values: a plain `values*.yaml`, a Terraform `templatefile`
 * (`istio-values.tftpl.yaml`), Helmfile `releases[].values`, an Argo CD Application's `helm.valuesObject` /
 * `helm.values`, a Flux HelmRelease's `spec.values`, Kustomize `helmCharts[].valuesInline`. Before, such a file
 * whose keys turn client-certificate TLS on (gematik/DEMIS-stage-public: `istioGateway.mtls.enabled: true` with a
 * credential and "hosts requiring the mTLS connection") read "No mTLS termination found", since no reader knows a
 * chart's own keys. What the chart does with a key is unknown here, so each key that says mTLS is on is a finding of
 * lower certainty (`probably`, source `helm`), and a key whose value is filled in when the file is rendered
 * (`enabled: ${mtls}`, `mtls: {{ .Values.x }}`) is named under "Not read" with its line.
 */

/** One block of values for one chart: where it is, and how its lines map to the file's. */
export interface ValuesBlock {
  /** The chart the values are for, as written (`istio/gateway`, a release name), or the file name. */
  chart: string;
  data: unknown;
  /** 1-based line in the file of the key at a path of `data`. */
  lineOf: (at: readonly (string | number)[]) => number;
  /**
   * Whether the value at a path is filled in when rendered, judged from the value itself (blocks built from Helm's
   * --set entries, whose lines are the entries' names); default: the reader's own judgement.
   */
  templated?: (at: readonly (string | number)[]) => boolean;
  /** How a value of this block is filled in when rendered, for "Not read" (default: when the file is rendered). */
  rendered?: string;
  /**
   * Values of a service mesh's own charts, whose `global.mtls` is mTLS between its sidecars: Istio's (an
   * IstioOperator's `spec.values`, a chart or file named istio, Istio globals) and Dapr's (`dapr` chart).
   */
  mesh?: boolean;
}

/**
 * Whether a values block is for a service mesh's own charts: Dapr's (`dapr`), Istio's (istio, istiod, the operator): its chart or file
 * is named so, or it sets Istio's globals (`global.istioNamespace`, `global.proxy`, `global.controlPlaneSecurityEnabled`,
 * `sidecarInjectorWebhook`, `pilot`, `mixer`, `gateways.istio-ingressgateway`, a `global` value naming istio such as
 * `hub: docker.io/istio`).
 */
export function isMeshValues(chart: string, data: unknown): boolean {
  if (/istio|dapr/i.test(chart)) return true;
  const global = asObject(dig(data, 'global'));
  if (
    global &&
    (['istioNamespace', 'proxy', 'controlPlaneSecurityEnabled'].some((key) => Object.hasOwn(global, key)) ||
      Object.values(global).some((value) => typeof value === 'string' && /\bistio\b/i.test(value)))
  )
    return true;
  const root = asObject(data);
  return (
    root !== undefined &&
    (['sidecarInjectorWebhook', 'pilot', 'mixer'].some((key) => Object.hasOwn(root, key)) ||
      asObject(dig(data, 'gateways', 'istio-ingressgateway')) !== undefined)
  );
}

/** A key of a values block that says whether client-certificate TLS is on. */
interface Said {
  /**
   * `on`: asks for a certificate; `off`: asks for none; `unknown`: filled in when rendered, or a value not known;
   * `mesh`: Istio's legacy mesh-wide switch (`global.mtls`), read and left out.
   */
  state: 'on' | 'off' | 'unknown' | 'mesh';
  mode: DetectMode;
  /** Why it reads so, for the note. */
  why?: string;
  /** The key inside the switch's block that decides (`enabled` of `mtls: { enabled: true }`). */
  child?: string;
}

/** What reading the values of one file gave. */
export interface ChartValuesRead {
  findings: DetectFinding[];
  skipped: DetectSkip[];
  /** Set when the file is no YAML as written and was read with its template tags blanked (`%{ for }`, `${x}`). */
  view?: true;
}

/** Words that say a values file may be about client certificates: a file with none is not parsed here. */
export const CHART_VALUES_WORDS =
  /mtls|mutual|client[-_]?auth|verify[-_]?client|client[-_]?cert|require[-_]?client|caCertificates|MUTUAL/i;

/**
 * Whether a file is named as Helm values: `values.yaml`, `values-prod.yaml`, `prod.values.yaml`, `istio-values.yaml`,
 * a template of one (`values.yaml.tftpl`, `istio-values.tftpl.yaml`, `values.yaml.gotmpl`), or a YAML file under a
 * `values/` folder (Helmfile's layout).
 */
export function isValuesFileName(relative: string): boolean {
  const base = relative
    .slice(relative.lastIndexOf('/') + 1)
    .toLowerCase()
    .replace(YAML_TEMPLATE_SUFFIX, '$1')
    .replace(/\.(?:tftpl|tpl|tmpl|gotmpl|j2|template)(?=\.ya?ml$)/, '');
  if (!/\.ya?ml$/.test(base)) return false;
  return /(?:^|[-_.])values(?:[-_.][^/]*)?\.ya?ml$/.test(base) || /(?:^|\/)values\//i.test(relative);
}

/**
 * Files a Terraform `helm_release` passes as values (`values = [templatefile("${path.module}/gw.yaml.tpl", {...})]`,
 * `file(...)`), a Helmfile release lists (`values: [gw.yaml]`) or a Kustomize `helmCharts` entry names
 * (`valuesFile`, `additionalValuesFiles`), relative to the tree: values files whatever their
 * name. `files`: the tree's files (relative); `read`: a file's text (undefined when it cannot be read).
 */
export function valuesFilesReferenced(
  files: readonly string[],
  read: (relative: string) => string | undefined,
): Set<string> {
  const out = new Set<string>();
  const listed = new Set(files);
  const add = (from: string, target: string): void => {
    const folder = path.posix.dirname(from);
    const cleaned = target.replace(/^\$\{path\.(?:module|cwd)\}\/?/, '').replace(/^\$\{path\.root\}\/?/, '/');
    if (/\$\{|\{\{/.test(cleaned)) return;
    const relative = cleaned.startsWith('/')
      ? path.posix.normalize(cleaned.slice(1))
      : path.posix.normalize(path.posix.join(folder, cleaned));
    if (listed.has(relative)) out.add(relative);
  };
  for (const file of files) {
    if (file.endsWith('.tf')) {
      const text = read(file);
      if (!text || !/resource\s+"helm_release"/.test(text)) continue;
      for (const match of text.matchAll(
        /\b(?:templatefile|file)\(\s*"([^"]+\.(?:ya?ml|tpl|tftpl|tmpl)[^"]*)"/g,
      ))
        add(file, match[1]);
    } else if (/(?:^|\/)kustomization\.ya?ml$/.test(file)) {
      // Kustomize `helmCharts[].valuesFile` / `additionalValuesFiles` (session 46).
      const text = read(file);
      if (!text || !/\bhelmCharts\b/.test(text)) continue;
      for (const match of text.matchAll(/^\s*valuesFile\s*:\s*["']?([\w./-]+\.ya?ml)["']?\s*$/gm))
        add(file, match[1]);
      for (const block of text.matchAll(/^(\s*)additionalValuesFiles\s*:\s*\n((?:\1\s*-\s+.*\n?)+)/gm))
        for (const match of block[2].matchAll(/-\s+["']?([\w./-]+\.ya?ml)["']?/g)) add(file, match[1]);
    } else if (/(?:^|\/)helmfile[^/]*\.ya?ml(?:\.gotmpl)?$/.test(file)) {
      const text = read(file);
      for (const match of text?.matchAll(/^\s*-\s+["']?([\w./-]+\.ya?ml(?:\.gotmpl)?)["']?\s*$/gm) ?? [])
        add(file, match[1]);
    }
  }
  return out;
}

/** Folders the values' own file may be for: the Helm charts of the tree with templates (`chart/templates/*`). */
export function chartsWithTemplates(files: readonly string[]): Set<string> {
  // A set, not `files.includes` per template: bitnami/charts has ~3,000 templates among ~20,000 files.
  const listed = new Set(files);
  const out = new Set<string>();
  for (const file of files) {
    const at = `/${file}`.lastIndexOf('/templates/');
    if (at < 0) continue;
    const chart = at === 0 ? '.' : file.slice(0, at - 1);
    if (listed.has(chart === '.' ? 'Chart.yaml' : `${chart}/Chart.yaml`)) out.add(chart);
  }
  return out;
}

/**
 * Whether `chart` as a release writes it in a file of `folder` (relative) is a chart of the tree with templates
 * (`chartsInTree`, {@link chartsWithTemplates}): a path from that folder, or from the tree's root.
 */
export function chartInTree(folder: string, chart: string, chartsInTree: ReadonlySet<string>): boolean {
  const relative = path.posix.normalize(path.posix.join(folder, chart));
  return chartsInTree.has(relative) || chartsInTree.has(path.posix.normalize(chart));
}

/** Normalised key: lower case, letters and digits only (`ssl_verify_client` -> `sslverifyclient`). */
function norm(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const ON = new Set([
  'true',
  'on',
  'yes',
  'y',
  '1',
  'enabled',
  'enable',
  'required',
  'require',
  'need',
  'mandatory',
]);
const OPTIONAL = new Set(['optional', 'want', 'request', 'optionalnoca', 'optionalmutual']);
const OFF = new Set([
  'false',
  'off',
  'no',
  'n',
  '0',
  'disabled',
  'disable',
  'none',
  'noclientcert',
  'ignore',
  '',
]);
/** Istio PeerAuthentication modes: mTLS between sidecars in the mesh, no certificate asked of a client at the edge. */
const MESH_MODES = new Set(['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET', 'ISTIO_MUTUAL']);
/** Traefik `clientAuthType` (src/detect/sources/traefik.ts), ASP.NET / Azure client certificate modes. */
const REQUIRED_TYPES = new Set(['requireandverifyclientcert', 'requireanyclientcert', 'requirecertificate']);
const OPTIONAL_TYPES = new Set([
  'verifyclientcertifgiven',
  'requestclientcert',
  'allowcertificate',
  'delaycertificate',
  'optionalinteractiveuser',
]);
/** Subtrees about TLS the gateway originates or the mesh keeps, not client certificates it asks for. */
const OUTBOUND = /peerauthentication|destinationrule|trafficpolicy|egress|upstream|outbound|backendtls/;
/** Switch keys: `mtls`, `mTLS`, `mutualTls`, `clientAuth`, `client-auth`, `enableMtls`, `mtlsEnabled`. */
const SWITCH =
  /^(?:enable|enabled|use|require|required)?(?:mtls|mutualtls|mutualtlsauth(?:entication)?|mutualauth(?:entication)?|clientauth(?:entication)?|clientcert(?:ificate)?auth(?:entication)?|tlsclientauth)(?:enabled|enable|required|mode)?$/;
/** Keys whose true asks for a client certificate (Envoy, Azure, API Management spellings). */
const CERTIFICATE_SWITCHES = new Set([
  'requireclientcertificate',
  'requireclientcertificates',
  'requireclientcert',
  'requireclientcerts',
  'clientcertenabled',
  'clientcertificateenabled',
  'clientcertrequired',
  'clientcertificaterequired',
  'enableclientcertificate',
  'enableclientcert',
  'negotiateclientcertificate',
]);
const ONOFF_KEYS = ['enabled', 'enable', 'enforce', 'enforced', 'required', 'require', 'on'];
const CA_KEYS =
  /^(?:ca|cacert|cacerts|cacertificate|cacertificates|cabundle|casecret|casecretname|cafile|secretnames|trustedca|truststore|clientca)$/;

/** A scalar's state as an on/off switch. */
function switchValue(value: unknown, templated: boolean): Said | undefined {
  if (templated) return { state: 'unknown', mode: 'required' };
  if (value === undefined || value === null) return { state: 'off', mode: 'required' };
  if (typeof value === 'boolean') return { state: value ? 'on' : 'off', mode: 'required' };
  if (typeof value === 'number') return { state: value ? 'on' : 'off', mode: 'required' };
  if (typeof value !== 'string') return undefined;
  const word = norm(value);
  if (ON.has(word) || REQUIRED_TYPES.has(word) || istioMode(value) === 'required')
    return { state: 'on', mode: 'required' };
  if (OPTIONAL.has(word) || OPTIONAL_TYPES.has(word)) return { state: 'on', mode: 'optional' };
  if (OFF.has(word)) return { state: 'off', mode: 'required' };
  return { state: 'unknown', mode: 'required', why: `\`${value}\` is no value detect knows` };
}

/**
 * What an entry of a values block says about client certificates, or undefined when it is no such key (its
 * children are then read). `templated(at)`: whether the value at a path is filled in when the file is rendered.
 */
function judge(
  key: string,
  value: unknown,
  holder: Record<string, unknown>,
  parent: string,
  templated: (child?: string) => boolean,
): Said | 'mesh' | undefined {
  const name = norm(key);
  if (SWITCH.test(name)) {
    const object = asObject(value);
    if (!object) return switchValue(value, templated());
    const mode = asText(object.mode);
    if (mode !== undefined && MESH_MODES.has(mode)) return 'mesh';
    const onOff = ONOFF_KEYS.find((entry) => Object.hasOwn(object, entry));
    if (onOff !== undefined) {
      const said = switchValue(object[onOff], templated(onOff));
      return said && { ...said, child: onOff };
    }
    // Traefik's chart: `clientAuth: { clientAuthType: NoClientCert, secretNames: [...] }`.
    const type = Object.keys(object).find((entry) => norm(entry) === 'clientauthtype');
    if (type !== undefined) {
      const said = switchValue(object[type], templated(type));
      return said && { ...said, child: type };
    }
    const istio = istioMode(mode);
    if (istio) return { state: 'on', mode: istio };
    if (Object.keys(object).some((entry) => CA_KEYS.test(norm(entry))))
      return { state: 'on', mode: 'required', why: 'no on/off key, a CA for client certificates is set' };
    return undefined;
  }
  if (name.endsWith('verifyclient')) {
    const said = switchValue(value, templated());
    // ingress-nginx and nginx take `on` for a value they do not know (src/detect/sources/kubernetes.ts).
    return said?.state === 'unknown' && !templated()
      ? { state: 'on', mode: 'required', why: said.why }
      : said;
  }
  if (CERTIFICATE_SWITCHES.has(name)) {
    const said = switchValue(value, templated());
    return said && name.startsWith('negotiate') && said.state === 'on' ? { ...said, mode: 'optional' } : said;
  }
  if (name === 'clientauthtype' || name === 'clientcertmode' || name === 'clientcertificatemode')
    return switchValue(value, templated());
  if (name === 'mode' && /tls/.test(norm(parent))) {
    if (templated()) return { state: 'unknown', mode: 'required' };
    const istio = istioMode(value);
    return istio && { state: 'on', mode: istio };
  }
  if (name === 'cacertificates' && !Object.hasOwn(holder, 'mode')) {
    const credential = Object.keys(holder).some((entry) =>
      /^(?:credentialname|credential|servercertificate|secretname)$/.test(norm(entry)),
    );
    if (credential && !templated() && value)
      return {
        state: 'on',
        mode: 'required',
        why: 'a CA for client certificates beside the server credential',
      };
    return undefined;
  }
  if (typeof value === 'string') {
    const directive = /\bssl_verify_client\s+(\S+?);?(?:\s|$)/.exec(value);
    if (directive) {
      const said = switchValue(directive[1], /^\$|\{\{|\$\{/.test(directive[1]));
      return said ? { ...said, why: `\`ssl_verify_client ${directive[1]}\` in the value` } : undefined;
    }
  }
  return undefined;
}

/** A hit: a key that says mTLS is on, or cannot tell. */
interface Hit {
  block: ValuesBlock;
  at: (string | number)[];
  said: Said;
  hosts: string[];
}

/** Host names written beside a key: `hosts` of its block or of the block around it. */
function hostsBeside(...holders: unknown[]): string[] {
  for (const holder of holders) {
    const hosts = asList(asObject(holder)?.hosts).filter(
      (entry): entry is string => typeof entry === 'string',
    );
    if (hosts.length) return hosts;
  }
  return [];
}

/** Every key of a block that says whether client-certificate TLS is on (outbound and mesh subtrees left out). */
function hits(block: ValuesBlock, templated: (at: readonly (string | number)[]) => boolean): Hit[] {
  const out: Hit[] = [];
  const visit = (node: unknown, at: (string | number)[], parentNode: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...at, index], node));
      return;
    }
    const object = asObject(node);
    if (!object) return;
    for (const [key, value] of Object.entries(object)) {
      const here = [...at, key];
      if (OUTBOUND.test(norm(key))) continue;
      const parent =
        [...at].reverse().find((segment): segment is string => typeof segment === 'string') ?? '';
      if (at.length === 1 && at[0] === 'global' && norm(key) === 'mtls' && block.mesh) {
        const on = asObject(value) ? asObject(value)?.enabled : value;
        if (switchValue(on, false)?.state !== 'off')
          out.push({ block, at: here, said: { state: 'mesh', mode: 'required' }, hosts: [] });
        continue;
      }
      const said = judge(key, value, object, parent, (child) =>
        templated(child === undefined ? here : [...here, child]),
      );
      if (said === 'mesh') continue;
      if (said) {
        if (said.state !== 'off')
          out.push({
            block,
            at: said.child === undefined ? here : [...here, said.child],
            said,
            hosts: hostsBeside(value, object, parentNode),
          });
        continue;
      }
      visit(value, here, object);
    }
  };
  visit(block.data, [], undefined);
  return out;
}

/** The values blocks a document holds, with the chart each is for; `values` when the file is named as values. */
function blocksOf(
  document: YamlDocument,
  file: ScanFile,
  named: boolean,
  inTree: (chart: string) => boolean,
): ValuesBlock[] {
  const data = document.data;
  const kind = asText(dig(data, 'kind'));
  const api = asText(dig(data, 'apiVersion')) ?? '';
  const at = (base: (string | number)[], chart: string, values: unknown): ValuesBlock => ({
    chart,
    data: values,
    lineOf: (inner) => document.lineOf([...base, ...inner]),
    mesh: isMeshValues(chart, values),
  });
  const out: ValuesBlock[] = [];
  // Istio's operator: `spec.values` are the istio charts' values (`global.mtls`, the legacy mesh-wide switch).
  if (api.startsWith('install.istio.io/') && kind === 'IstioOperator') {
    if (asObject(dig(data, 'spec', 'values')))
      out.push(at(['spec', 'values'], 'IstioOperator', dig(data, 'spec', 'values')));
    return out;
  }
  if (api.startsWith('argoproj.io/') && (kind === 'Application' || kind === 'ApplicationSet')) {
    const spec = kind === 'ApplicationSet' ? ['spec', 'template', 'spec'] : ['spec'];
    const sources: (string | number)[][] = [];
    if (asObject(dig(data, ...spec, 'source'))) sources.push([...spec, 'source']);
    asList(dig(data, ...spec, 'sources')).forEach((_, index) => sources.push([...spec, 'sources', index]));
    for (const source of sources) {
      const chart =
        asText(dig(data, ...source, 'chart')) ?? asText(dig(data, ...source, 'path')) ?? file.relative;
      if (inTree(chart)) continue;
      const helm = [...source, 'helm'];
      if (asObject(dig(data, ...helm, 'valuesObject')))
        out.push(at([...helm, 'valuesObject'], chart, dig(data, ...helm, 'valuesObject')));
      const values = dig(data, ...helm, 'values');
      if (asObject(values)) out.push(at([...helm, 'values'], chart, values));
      else if (typeof values === 'string')
        out.push(...stringBlock(document, [...helm, 'values'], chart, values, file));
      // `helm.parameters: [{ name: gateway.mtls.enabled, value: "true" }]`: Helm's --set (session 46).
      const parameters = setValues(
        asList(dig(data, ...helm, 'parameters')).flatMap((entry, index) => {
          const name = asText(dig(entry, 'name'));
          const line = document.lineOf([...helm, 'parameters', index, 'name']);
          return name === undefined ? [] : [{ name, value: dig(entry, 'value'), line }];
        }),
        document.lineOf([...helm, 'parameters']),
      );
      if (parameters)
        out.push({
          chart: `${chart}, helm.parameters`,
          data: parameters.data,
          lineOf: parameters.lineOf,
          templated: parameters.templated,
          mesh: isMeshValues(chart, parameters.data),
        });
    }
    return out;
  }
  if (api.startsWith('helm.toolkit.fluxcd.io/') && kind === 'HelmRelease') {
    const chart =
      asText(dig(data, 'spec', 'chart', 'spec', 'chart')) ??
      asText(dig(data, 'metadata', 'name')) ??
      file.relative;
    if (!inTree(chart) && asObject(dig(data, 'spec', 'values')))
      out.push(at(['spec', 'values'], chart, dig(data, 'spec', 'values')));
    return out;
  }
  if (kind !== undefined && api) return out;
  // Helmfile: `releases: [{ name, chart, values: [ {...} | "file.yaml" ] }]`.
  asList(dig(data, 'releases')).forEach((release, index) => {
    const chart = asText(dig(release, 'chart')) ?? asText(dig(release, 'name'));
    if (chart === undefined || inTree(chart)) return;
    asList(dig(release, 'values')).forEach((values, item) => {
      if (asObject(values)) out.push(at(['releases', index, 'values', item], chart, values));
    });
    // `set:` / `setString:` entries `{ name: a.b, value: x }`: Helm's --set (session 46).
    for (const key of ['set', 'setString']) {
      const set = setValues(
        asList(dig(release, key)).flatMap((entry, item) => {
          const name = asText(dig(entry, 'name'));
          const line = document.lineOf(['releases', index, key, item, 'name']);
          return name === undefined ? [] : [{ name, value: dig(entry, 'value'), line }];
        }),
        document.lineOf(['releases', index, key]),
      );
      if (set)
        out.push({
          chart: `${chart}, ${key}`,
          data: set.data,
          lineOf: set.lineOf,
          templated: set.templated,
          mesh: isMeshValues(chart, set.data),
        });
    }
  });
  // Kustomize: `helmCharts: [{ name, repo, valuesInline }]`.
  asList(dig(data, 'helmCharts')).forEach((entry, index) => {
    const chart = asText(dig(entry, 'name')) ?? file.relative;
    if (asObject(dig(entry, 'valuesInline')))
      out.push(at(['helmCharts', index, 'valuesInline'], chart, dig(entry, 'valuesInline')));
  });
  if (out.length === 0 && named && kind === undefined) out.push(at([], file.relative, data));
  return out;
}

/** Argo CD `helm.values: |` (a YAML string): its blocks, at the lines of the file that hold them. */
function stringBlock(
  document: YamlDocument,
  at: (string | number)[],
  chart: string,
  text: string,
  file: ScanFile,
): ValuesBlock[] {
  let inner: YamlDocument[];
  try {
    inner = parseYamlDocuments(text);
  } catch {
    return [];
  }
  // A block scalar starts on the line after its key; find the first line of its text in the file.
  const keyLine = document.lineOf(at);
  const first = text
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim();
  let start = keyLine + 1;
  for (let line = keyLine; line <= keyLine + 3; line++)
    if (first !== undefined && file.lines.lineText(line).endsWith(first)) {
      start = line;
      break;
    }
  const offset = text.split('\n').findIndex((line) => line.trim() !== '');
  return inner.map((values) => ({
    chart,
    mesh: isMeshValues(chart, values.data),
    data: values.data,
    lineOf: (path) => values.lineOf(path) - 1 - offset + start,
  }));
}

/**
 * The findings and "Not read" entries of the mTLS keys in a file's values for charts not in the tree. `chartsInTree`:
 * the tree's chart folders with templates (relative); `referenced`: files a `helm_release` or Helmfile passes as
 * values ({@link valuesFilesReferenced}), read as values whatever their name; a values file in one of them, and a release whose chart is a
 * path to one, are read with that chart's templates (src/detect/helm-sites.ts), not here. Returns nothing for a file
 * that is neither named as values nor holds a values block (Argo CD, Flux, Helmfile, Kustomize).
 */
export function readChartValues(
  file: ScanFile,
  chartsInTree: ReadonlySet<string>,
  referenced: ReadonlySet<string> = new Set(),
): ChartValuesRead {
  const none: ChartValuesRead = { findings: [], skipped: [] };
  const written = file.written ?? file.text;
  // A TLS mode filled in when rendered may be MUTUAL: read too.
  if (!CHART_VALUES_WORDS.test(written) && !/\bmode["']?[ \t]*:[ \t]*["']?(?:\$\{|\{\{)/.test(written))
    return none;
  const folder = path.posix.dirname(file.relative);
  const named =
    (isValuesFileName(file.relative) || referenced.has(file.relative)) && !chartsInTree.has(folder);
  const embedding =
    /\b(?:argoproj\.io|helm\.toolkit\.fluxcd\.io|install\.istio\.io|releases|helmCharts)\b/.test(written);
  if (!named && !embedding) return none;
  const inTree = (chart: string): boolean => chartInTree(folder, chart, chartsInTree);
  // A Terraform `templatefile` or Go template values file: read with its tags blanked (same lines), then without
  // the lines that are only a Terraform interpolation or directive writing a whole block
  // (`${indent(4, yamlencode(extra))}`), as Helm action lines are (same lines).
  let view = file;
  let documents: YamlDocument[] | undefined;
  let error: unknown;
  try {
    documents = view.yamlDocuments();
  } catch (thrown) {
    error = thrown;
    if (!/\{\{|\{%|%\{|\$\{/.test(written)) return unparsed(file, named, error);
    const emptied = written.replace(/^[ \t]*(?:\$\{[^}\n]*\}|%\{[^}\n]*\})[ \t]*$/gm, '');
    for (const text of [written, emptied]) {
      view = new ScanFile(file.path, file.relative, yamlWithoutTemplateTags(text), written);
      try {
        documents = view.yamlDocuments();
        break;
      } catch {
        continue;
      }
    }
  }
  if (!documents) return unparsed(file, named, error);
  const lines = written.split('\n');
  const templatedAt = (line: number): boolean => {
    const text = lines[line - 1] ?? '';
    const colon = text.search(/:(?:\s|$)/);
    return /\{\{|\$\{|\{%/.test(colon < 0 ? text : text.slice(colon + 1));
  };
  const asWritten = interpolationsWritten(written);
  const shown = (host: string): string => asWritten.get(host) ?? asWritten.get(host.trimEnd()) ?? host;
  const read = valuesBlocksRead(
    file,
    documents.flatMap((document) => blocksOf(document, view, named, inTree)),
    (block) => (at) => templatedAt(block.lineOf(at)),
    'yaml',
    shown,
  );
  return view === file ? read : { ...read, view: true };
}

/**
 * The findings and "Not read" / "Read and left out" entries of values blocks (a values file's, or those a Terraform
 * `helm_release` passes: src/detect/sources/helm-release.ts). `templated(block)(at)`: whether the value at a path of
 * the block is filled in when rendered; `reader`: the parser the blocks were read with; `shown`: a host as written.
 */
export function valuesBlocksRead(
  file: ScanFile,
  blocks: readonly ValuesBlock[],
  templated: (block: ValuesBlock) => (at: readonly (string | number)[]) => boolean,
  reader: DetectFinding['reader'],
  shown: (host: string) => string = (host) => host,
): ChartValuesRead {
  const out: ChartValuesRead = { findings: [], skipped: [] };
  for (const block of blocks)
    for (const hit of hits(block, block.templated ?? templated(block))) {
      const line = block.lineOf(hit.at);
      const keyPath = hit.at.map(String).join('.');
      const where = `${block.chart}, key \`${keyPath}\``;
      if (hit.said.state === 'mesh') {
        out.skipped.push({
          file: file.relative,
          line,
          leftOut: true,
          reason:
            `line ${line}: Istio's mesh-wide mTLS switch (${where}, Istio before 1.5): mTLS between the mesh's ` +
            `sidecars, no client certificate asked of a client outside the mesh (an Istio Gateway with ` +
            `tls.mode MUTUAL does that), so not in the proposal`,
        });
        continue;
      }
      if (hit.said.state === 'unknown') {
        out.skipped.push({
          file: file.relative,
          line,
          reason:
            `line ${line}: mTLS set in values for a chart not in this tree (${where}) by a value ` +
            `${hit.said.why ?? block.rendered ?? 'filled in when the file is rendered'} (\`${file.lines.lineText(line)}\`): unknown ` +
            `here, so it is not read: run detect on the rendered values and the chart (helm template), or set ` +
            `mtls.servers or mtls.everywhere by hand`,
        });
        continue;
      }
      out.findings.push(
        file.finding(line, 'helm', hit.said.mode, reader, {
          hosts: [...new Set(hit.hosts.map(shown))],
          confidence: 'probably',
          note: [
            `mTLS set in values for a chart not in this tree: ${where}, line ${line}; the chart decides what it ` +
              `deploys (its templates and 403s are not read)`,
            hit.said.why,
          ]
            .filter(Boolean)
            .join('; '),
        }),
      );
    }
  return out;
}

/** A values file that is no YAML in either view: named with the first line holding an mTLS word, if any. */
function unparsed(file: ScanFile, named: boolean, error: unknown): ChartValuesRead {
  const written = file.written ?? file.text;
  // The first line whose key, read alone, says mTLS is on or cannot tell (not `OUTBOUND_MUTUAL_TLS: true`).
  const index = written.split('\n').findIndex((line) => {
    const entry = /^\s*(?:-\s+)?["']?([^"'\s:#][^"':#]*?)["']?\s*:\s*(.*?)\s*$/.exec(line);
    if (!entry || OUTBOUND.test(norm(entry[1]))) return false;
    const templated = /\{\{|\$\{|\{%/.test(entry[2]);
    const value = entry[2] === '' ? {} : entry[2].replace(/^["']|["']$/g, '');
    // A switch opening a block (`mtls:` then `enabled: ...`) in a file that does not parse: cannot tell.
    if (entry[2] === '' && SWITCH.test(norm(entry[1]))) return true;
    const said = judge(entry[1], value, {}, 'tls', () => templated);
    return said !== undefined && said !== 'mesh' && said.state !== 'off';
  });
  if (!named || index < 0) return { findings: [], skipped: [] };
  return {
    findings: [],
    skipped: [
      {
        file: file.relative,
        line: index + 1,
        unreadable: true,
        reason:
          `Helm values for a chart not in this tree, with an mTLS key at line ${index + 1} ` +
          `(\`${file.lines.lineText(index + 1)}\`), cannot parse (${String((error as Error).message ?? error).split('\n')[0]}): ` +
          `whether it turns client certificates on is unknown: run detect on the rendered values, or set ` +
          `mtls.servers or mtls.everywhere by hand`,
      },
    ],
  };
}
