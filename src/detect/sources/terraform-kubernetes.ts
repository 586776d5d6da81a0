import { ScanFile } from '../scan-file.js';
import type { YamlDocument } from '../yaml-documents.js';
import { asList, asObject, asText, dig } from '../yaml-documents.js';
import { escapeRegExp } from '../../util/regexp.js';
import type { ResolvedModuleMap } from './terraform-module.js';

/**
 * Terraform resources that write a Kubernetes object as HCL, which the YAML readers (ingress-nginx, Istio, Gateway
 * API, Traefik, Envoy) read once it is given as the object it creates: `kubernetes_manifest` (`manifest = { ... }`,
 * the object itself), `kubernetes_ingress_v1` / `kubernetes_ingress` (the typed Ingress, its blocks written as
 * `metadata { annotations = {...} }`, `spec { rule { host ... } }`), and `kubernetes_annotations` on an Ingress
 * (annotations added to an Ingress created elsewhere). Sources: the hashicorp/kubernetes provider docs for those
 * resources. A `manifest` written as an expression (`yamldecode(file(...))`, `local.x`) is not here: a YAML file it
 * reads is read as YAML, a heredoc by {@link embeddedManifests} in index.ts.
 */
export const TERRAFORM_KUBERNETES =
  /\bresource\s+"(?:kubernetes_manifest|kubernetes_ingress(?:_v1)?|kubernetes_annotations)"/;

/**
 * The Kubernetes objects the Terraform resources of `parsed` (@cdktf/hcl2json output of `file`) create, as YAML
 * documents for the YAML readers: `data` is the object as Kubernetes gets it (the typed Ingress's blocks turned
 * into its `spec.rules[].http.paths[]` / `spec.tls[].hosts`), and `lineOf(path)` the line in `file` where the last
 * key of `path` is written inside that resource (hcl2json keeps no positions: the resource's text is searched key
 * by key, in order; a key not found gives the line of the last one found, at worst the resource's own line).
 * `resolved`: a resource block -> the annotations its expression stood for (`annotations = local.x`, read from the
 * module's other files by resolveModuleMap); the evidence of those annotations names where they are written.
 * Never throws.
 */
export function terraformKubernetesDocuments(
  file: ScanFile,
  parsed: unknown,
  resolved: ReadonlyMap<unknown, ResolvedModuleMap> = new Map(),
): YamlDocument[] {
  const out: YamlDocument[] = [];
  const resources = asObject(dig(parsed, 'resource')) ?? {};
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, blocks] of Object.entries(asObject(byName) ?? {})) {
      for (const block of asList(blocks)) {
        const data = kubernetesObject(type, block);
        if (data === undefined) continue;
        const lineOf = (path: readonly (string | number)[]): number =>
          resourceKeyLine(file, type, name, typedPath(type, path));
        const from = resolved.get(block);
        const origin = from
          ? `, from ${from.from.join(', ')}${from.fromDefault ? ` (a variable's default: a caller or a .tfvars file may set another)` : ''}`
          : '';
        out.push({
          data,
          lineOf,
          evidence: (path) =>
            `resource "${type}" "${name}": ${file.lines.lineText(lineOf(path))}` +
            (path.includes('annotations') ? origin : ''),
          yaml11Number: () => undefined,
          written: () => undefined,
        });
      }
    }
  }
  return out;
}

/** The object a resource creates, or undefined for a resource that creates none the readers take. */
function kubernetesObject(type: string, block: unknown): unknown {
  if (type === 'kubernetes_manifest') return asObject(dig(block, 'manifest'));
  if (type === 'kubernetes_annotations') {
    if (asText(dig(block, 'kind')) !== 'Ingress') return undefined;
    return {
      apiVersion: asText(dig(block, 'api_version')),
      kind: 'Ingress',
      metadata: { name: asText(dig(block, 'metadata', 0, 'name')), annotations: dig(block, 'annotations') },
    };
  }
  if (type !== 'kubernetes_ingress_v1' && type !== 'kubernetes_ingress') return undefined;
  const metadata = asObject(dig(block, 'metadata', 0)) ?? {};
  const spec = asObject(dig(block, 'spec', 0)) ?? {};
  return {
    apiVersion: type === 'kubernetes_ingress_v1' ? 'networking.k8s.io/v1' : 'networking.k8s.io/v1beta1',
    kind: 'Ingress',
    metadata: {
      name: asText(metadata.name),
      namespace: asText(metadata.namespace),
      annotations: metadata.annotations,
    },
    spec: {
      rules: asList(spec.rule).map((rule) => ({
        host: asText(dig(rule, 'host')),
        http: {
          paths: asList(dig(rule, 'http', 0, 'path')).map((entry) => ({ path: asText(dig(entry, 'path')) })),
        },
      })),
      tls: asList(spec.tls).map((tls) => ({ hosts: asList(dig(tls, 'hosts')) })),
    },
  };
}

/**
 * The keys of `path` (a path in the Kubernetes object) as the resource writes them: the typed Ingress's
 * `spec.rules` / `http.paths` / `spec.tls` are the blocks `rule`, `path`, `tls`; `kubernetes_annotations` writes
 * `annotations` at the top. Indexes dropped (the search goes in order).
 */
function typedPath(type: string, path: readonly (string | number)[]): string[] {
  const keys = path.filter((segment): segment is string => typeof segment === 'string');
  if (type === 'kubernetes_annotations' && keys[0] === 'metadata' && keys[1] === 'annotations')
    return keys.slice(1);
  if (type !== 'kubernetes_ingress_v1' && type !== 'kubernetes_ingress') return keys;
  return keys.map((key) => (key === 'rules' ? 'rule' : key === 'paths' ? 'path' : key));
}

/**
 * The 1-based line in `file` of the last of `keys` found in order inside `resource "type" "name"`: each key as HCL
 * writes it (`key = `, `"key" = `, `key {`, `key:` in an object), searched from where the one before it was found.
 */
export function resourceKeyLine(file: ScanFile, type: string, name: string, keys: readonly string[]): number {
  const header = new RegExp(`resource\\s+"${escapeRegExp(type)}"\\s+"${escapeRegExp(name)}"`).exec(file.text);
  const start = header?.index ?? 0;
  const next = file.text.slice(start + 1).search(/\n(?:resource|data|module|locals|variable|output)\b/);
  const end = next === -1 ? file.text.length : start + 1 + next;
  return keyLineIn(file, start, end, keys);
}

/**
 * The 1-based line in `file` of the last of `keys` found in order between offsets `start` and `end`, each key as
 * HCL or YAML writes it (`key = `, `"key" = `, `key {`, `key:`); the line of `start` when none is found.
 */
export function keyLineIn(file: ScanFile, start: number, end: number, keys: readonly string[]): number {
  let at = start;
  for (const key of keys) {
    const pattern = new RegExp(`(?:^|[\\s{,])["']?${escapeRegExp(key)}["']?[ \\t]*[=:{]`, 'g');
    pattern.lastIndex = at;
    const found = pattern.exec(file.text.slice(0, end));
    if (!found) continue;
    at = found.index + found[0].indexOf(key);
  }
  return file.lines.lineOf(at);
}

/**
 * A Terraform file seen as the Kubernetes objects it creates: its `yamlDocuments()` are those objects
 * ({@link terraformKubernetesDocuments}), at their lines in the file, so the readers of YAML findings' 403s
 * (ingress-nginx annotations, Istio authorization policies) read them as they read a manifest.
 */
export class TerraformObjectsFile extends ScanFile {
  constructor(
    file: ScanFile,
    private readonly objects: YamlDocument[],
  ) {
    super(file.path, file.relative, file.text);
  }

  override yamlDocuments(): YamlDocument[] {
    return this.objects;
  }
}
