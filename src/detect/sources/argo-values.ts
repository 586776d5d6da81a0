import path from 'node:path';
import type { DetectSkip } from '../types.js';
import { asList, asText, dig, parseYamlDocuments, type YamlDocument } from '../yaml-documents.js';
import { CHART_VALUES_WORDS } from './chart-values.js';

/**
 * Values files an Argo CD `Application` / `ApplicationSet` passes to Helm (`spec.source.helm.valueFiles`, each
 * source of `spec.sources`; session 46). Argo CD resolves an entry against the source's `path` in its repository,
 * `$<ref>/<path>` against the root of the source whose `ref` is `<ref>` (multi-source apps), and takes an `https://`
 * URL as is (Argo CD docs, "Helm" and "Multiple Sources for an Application"). An entry that is a file of the tree is
 * read as values whatever its name (src/detect/sources/chart-values.ts); before, such a file not named `values*.yaml`
 * read "No mTLS termination found". An entry that is not in the tree (a file of a chart package from a Helm
 * repository, another repository, a URL, a path written with a template tag) is named under "Not read" with the
 * Application's file, line and key when the Application may be about client certificates: it writes an mTLS word,
 * or its chart, path or name is a gateway's, an ingress controller's or a proxy's. A Flux `HelmRelease`'s
 * `valuesFrom` and `chart.spec.valuesFiles` are named the same way ({@link fluxValues}).
 */
export interface ArgoValueFiles {
  /** Tree files (relative) an Application passes as values. */
  found: Set<string>;
  /** Entries not in the tree, named. */
  missing: DetectSkip[];
}

/** Charts, paths and names of edges that may ask clients for a certificate. */
const EDGE_WORDS =
  /gateway|ingress|istio|nginx|traefik|envoy|kong|haproxy|apisix|ambassador|emissary|contour|proxy|edge|tls/i;

/** Whether a YAML or JSON file's text may hold an Argo CD Application passing values files: the cheap question. */
export function mayPassArgoValueFiles(relative: string, text: string): boolean {
  return (
    /\.(?:ya?ml|json)$/i.test(relative) &&
    ((text.includes('argoproj.io') && text.includes('valueFiles')) ||
      (text.includes('helm.toolkit.fluxcd.io') && /valuesFrom|valuesFiles/.test(text)))
  );
}

/**
 * The values files of the Argo CD Applications among `files` (relative to the tree), found in the tree or named.
 * `read`: a file's text (undefined when it cannot be read). Never throws.
 */
export function argoValueFiles(
  files: readonly string[],
  read: (relative: string) => string | undefined,
): ArgoValueFiles {
  const out: ArgoValueFiles = { found: new Set(), missing: [] };
  const listed = new Set(files);
  for (const file of files) {
    if (!/\.(?:ya?ml|json)$/i.test(file)) continue;
    const text = read(file);
    if (text === undefined || !mayPassArgoValueFiles(file, text)) continue;
    let documents;
    try {
      documents = parseYamlDocuments(text);
    } catch {
      continue;
    }
    for (const document of documents) {
      const data = document.data;
      const kind = asText(dig(data, 'kind'));
      if (asText(dig(data, 'apiVersion'))?.startsWith('helm.toolkit.fluxcd.io/') && kind === 'HelmRelease') {
        out.missing.push(...fluxValues(file, document));
        continue;
      }
      if (!asText(dig(data, 'apiVersion'))?.startsWith('argoproj.io/')) continue;
      if (kind !== 'Application' && kind !== 'ApplicationSet') continue;
      const spec = kind === 'ApplicationSet' ? ['spec', 'template', 'spec'] : ['spec'];
      const sources: (string | number)[][] = [];
      if (dig(data, ...spec, 'source') !== undefined) sources.push([...spec, 'source']);
      asList(dig(data, ...spec, 'sources')).forEach((_, index) => sources.push([...spec, 'sources', index]));
      const name = asText(dig(data, 'metadata', 'name')) ?? file;
      for (const source of sources) {
        const chart = asText(dig(data, ...source, 'chart'));
        const base = asText(dig(data, ...source, 'path'));
        const edge =
          CHART_VALUES_WORDS.test(JSON.stringify(data)) ||
          EDGE_WORDS.test(`${chart ?? ''} ${base ?? ''} ${name}`);
        asList(dig(data, ...source, 'helm', 'valueFiles')).forEach((entry, index) => {
          const written = asText(entry);
          if (written === undefined) return;
          const target = resolved(written, chart === undefined ? base : undefined);
          if (target !== undefined && listed.has(target)) {
            out.found.add(target);
            return;
          }
          if (!edge) return;
          const at = [...source, 'helm', 'valueFiles', index];
          const line = document.lineOf(at);
          out.missing.push({
            file,
            line,
            reason:
              `line ${line}: Argo CD ${kind} ${name} passes Helm values file \`${written}\` ` +
              `(${at.join('.')}) that is not in this tree (${whereFrom(written, chart)}): whether it turns client ` +
              `certificates on is unknown, so it is not read: scan the repository holding it with this one, or set ` +
              `mtls.servers or mtls.everywhere by hand`,
          });
        });
      }
    }
  }
  return out;
}

/**
 * A Flux `HelmRelease`'s values kept outside it: `spec.valuesFrom[]` (a ConfigMap's or Secret's key, read in the
 * cluster) and `spec.chart.spec.valuesFiles[]` (files of the chart's source), named when the release may be about
 * client certificates (as for Argo CD above). Its `spec.values` are read as values (src/detect/sources/chart-values.ts).
 */
function fluxValues(file: string, document: YamlDocument): DetectSkip[] {
  const data = document.data;
  const chart = asText(dig(data, 'spec', 'chart', 'spec', 'chart')) ?? '';
  const name = asText(dig(data, 'metadata', 'name')) ?? file;
  if (!CHART_VALUES_WORDS.test(JSON.stringify(data)) && !EDGE_WORDS.test(`${chart} ${name}`)) return [];
  const entries: { at: (string | number)[]; what: string }[] = [
    ...asList(dig(data, 'spec', 'valuesFrom')).map((entry, index) => ({
      at: ['spec', 'valuesFrom', index],
      what: `the ${asText(dig(entry, 'kind')) ?? 'ConfigMap'} ${asText(dig(entry, 'name')) ?? '?'} (read in the cluster)`,
    })),
    ...asList(dig(data, 'spec', 'chart', 'spec', 'valuesFiles')).map((entry, index) => ({
      at: ['spec', 'chart', 'spec', 'valuesFiles', index],
      what: `\`${asText(entry) ?? '?'}\`, a file of the chart's source`,
    })),
  ];
  return entries.map(({ at, what }) => {
    const line = document.lineOf(at);
    return {
      file,
      line,
      reason:
        `line ${line}: Flux HelmRelease ${name} takes Helm values from ${what} (${at.join('.')}): whether they turn ` +
        `client certificates on is unknown, so they are not read: run detect on the rendered values, or set ` +
        `mtls.servers or mtls.everywhere by hand`,
    };
  });
}

/** The tree path of a values file entry: from the source's `path`, or from the root for `$ref/x`; else undefined. */
function resolved(written: string, base: string | undefined): string | undefined {
  if (/^[a-z][\w+.-]*:\/\//i.test(written) || /\{\{|\$\{/.test(written)) return undefined;
  const reference = /^\$[\w-]+\/(.*)$/.exec(written);
  if (reference) return path.posix.normalize(reference[1]);
  if (base === undefined) return undefined;
  const target = path.posix.normalize(path.posix.join(base, written));
  return target.startsWith('../') ? undefined : target.replace(/^\.\//, '');
}

/** Why an entry is not in the tree, as far as its spelling says. */
function whereFrom(written: string, chart: string | undefined): string {
  if (/^[a-z][\w+.-]*:\/\//i.test(written)) return 'a URL';
  if (/\{\{|\$\{/.test(written)) return 'a path filled in by a template';
  if (written.startsWith('$')) return 'a file of the repository of another source, not found here';
  if (chart !== undefined) return `a file of the chart package ${chart} from its Helm repository`;
  return "a file of the source's repository, not found here";
}
