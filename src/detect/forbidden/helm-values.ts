import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import { LineIndex } from '../text.js';
import { helmAnnotationSites, helmValuesPaths } from '../sources/kubernetes.js';
import type { DetectFinding } from '../types.js';
import { asObject, dig, parseYamlDocuments, type YamlDocument } from '../yaml-documents.js';
import { yamlWithoutTemplateTags } from '../template-tags.js';
import { ingressAnswers, type IngressObject } from './kubernetes.js';
import { noForbidden, type ForbiddenResult } from './result.js';

/** A chart's values files (`values.yaml`, `values-prod.yaml`) and templates (their text as written). */
export interface HelmFacts {
  values: ScanFile[];
  templates: ScanFile[];
}

/** Empty facts. */
export function noHelmFacts(): HelmFacts {
  return { values: [], templates: [] };
}

/** Where a template writes a values map into an Ingress's annotations. */
interface Rendered {
  /** The dotted values path (`ingress.annotations`). */
  path: string;
  template: ScanFile;
  line: number;
}

/**
 * The values maps a Helm template writes into its Ingress's `metadata.annotations`, in the shapes charts use
 * (`helm create`'s among them): `{{- with .Values.ingress.annotations }} annotations: {{- toYaml . | nindent 4 }}
 * {{- end }}` (or `{{- range $key, $val := . }}` inside the `with`), `{{ toYaml .Values.ingress.annotations | indent 4 }}`, `{{- range $key, $value :=
 * .Values.ingress.annotations }} {{ $key }}: {{ $value | quote }}`. Only under an `annotations:` key (within the
 * three lines before) or of a values path ending in `annotations`; only in a template of `kind: Ingress`.
 */
export function renderedAnnotations(template: ScanFile): Rendered[] {
  const text = template.written ?? template.text;
  if (!/^\s*kind:\s*["']?Ingress["']?\s*$/m.test(text)) return [];
  const found: Rendered[] = [];
  // Offsets into the text as written: a template read without its action lines (template-view.ts) has the same
  // lines, not the same offsets.
  const lines = new LineIndex(text);
  const add = (dotted: string, offset: number): void => {
    const line = lines.lineOf(offset);
    const before = text.split('\n').slice(Math.max(0, line - 4), line);
    if (!dotted.endsWith('annotations') && !before.some((entry) => /^\s*annotations:\s*$/.test(entry)))
      return;
    found.push({ path: dotted, template, line });
  };
  for (const match of text.matchAll(/\{\{-?\s*with\s+\$?\.Values\.([\w.]+)\s*-?\}\}/g)) {
    const rest = text.slice(match.index + match[0].length);
    const end = /\{\{-?\s*end\b/.exec(rest)?.index ?? rest.length;
    // `toYaml .`, or a `range $key, $value := .` over the map (CZERTAINLY's ilm chart).
    const toYaml = /toYaml\s+\.\s*(?:\||\)|-?\}\})|range\s+\$\w+\s*,\s*\$\w+\s*:=\s*\.\s*-?\}\}/.exec(
      rest.slice(0, end),
    );
    if (toYaml) add(match[1], match.index + match[0].length + toYaml.index);
  }
  for (const match of text.matchAll(/toYaml\s+\(?\s*\$?\.Values\.([\w.]+)/g)) add(match[1], match.index);
  for (const match of text.matchAll(/range\s+\$\w+\s*,\s*\$\w+\s*:=\s*\$?\.Values\.([\w.]+)/g))
    add(match[1], match.index);
  return found;
}

/**
 * The 403s of Helm values' ingress-nginx annotations (source ranges, snippets, `auth-tls-match-cn`, `auth-url`)
 * when a template of the chart writes those values into its Ingress ({@link renderedAnnotations}): read from
 * every values file of the chart at the same path (Helm merges `-f values-prod.yaml` over `values.yaml`), at their
 * lines. A values finding no template renders that way is named in `notChecked` with what to do. `handled`: the
 * values findings this answered for (either way). Before session 26 every values finding was listed as
 * `values.yaml:5 kubernetes` under "403s not checked", its `whitelist-source-range` and snippets never read.
 */
export function helmValuesForbidden(
  findings: readonly DetectFinding[],
  facts: HelmFacts,
  status: number,
): ForbiddenResult & { handled: DetectFinding[] } {
  const result = { ...noForbidden(), handled: [] as DetectFinding[] };
  const seen = new Set<string>();
  const add = (own: ForbiddenResult): void => {
    for (const entry of own.forbidden) {
      const key = `${entry.file}:${entry.line}:${entry.evidence}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.forbidden.push(entry);
    }
    result.notChecked.push(...own.notChecked.filter((entry) => !result.notChecked.includes(entry)));
  };
  for (const finding of findings) {
    if (finding.source !== 'kubernetes' || finding.reader !== 'pattern') continue;
    const template = facts.templates.find((file) => file.relative === finding.file);
    if (template && templateIngressForbidden(template, finding, facts, status, add))
      result.handled.push(finding);
  }
  for (const finding of findings) {
    if (finding.source !== 'kubernetes' || finding.confidence !== 'probably' || finding.reader !== 'yaml')
      continue;
    const valuesFile = facts.values.find((file) => file.relative === finding.file);
    if (!valuesFile) continue;
    const site = sitesOf(valuesFile).find(
      (entry) => entry.document.lineOf([...entry.path, 'annotations', entry.key]) === finding.line,
    );
    if (!site || site.path.some((part) => typeof part === 'number')) continue;
    result.handled.push(finding);
    const dotted = [...site.path, 'annotations'].join('.');
    const chart = path.posix.dirname(valuesFile.relative);
    const prefix = chart === '.' ? 'templates/' : `${chart}/templates/`;
    const rendered = facts.templates
      .filter((template) => template.relative.startsWith(prefix))
      .flatMap(renderedAnnotations)
      .find((entry) => entry.path === dotted);
    if (!rendered) {
      result.notChecked.push(
        `${finding.file}:${finding.line} kubernetes (Helm values ${dotted}: no template of the chart writes them ` +
          `into an Ingress with toYaml or range, so the 403s these annotations add (source ranges, snippets, ` +
          `auth-tls-match-cn) are not read: check the template that uses them by hand)`,
      );
      continue;
    }
    const where = `${rendered.template.relative}:${rendered.line}`;
    finding.note = `Helm values written into the Ingress of ${where}; its 403s are read from the values`;
    for (const file of facts.values.filter((entry) => path.posix.dirname(entry.relative) === chart)) {
      for (const document of yamlOf(file)) {
        const annotations = asObject(dig(document.data, ...site.path, 'annotations'));
        if (!annotations) continue;
        const ingress: IngressObject = {
          file,
          document: under(document, site.path),
          name: `of ${where}`,
          hosts: finding.hosts,
          paths: helmValuesPaths(asObject(dig(site.document.data, ...site.path)) ?? {}),
          annotations,
        };
        const note =
          file === valuesFile
            ? `Helm values written into the Ingress of ${where}`
            : `Helm values of ${file.relative}, merged over ${valuesFile.relative} when given with -f / --values, ` +
              `written into the Ingress of ${where}`;
        const own = noForbidden();
        ingressAnswers(ingress, finding, status, own, note);
        add(own);
      }
    }
  }
  return result;
}

/**
 * A Helm template's own Ingress that writes the client-certificate annotations literally (the line scan's finding):
 * the 403s of its literal annotations, read from the template with its tags blanked, and of the values maps it
 * writes into the same annotations. False when the template does not parse once blanked or the finding's line is
 * in no Ingress (then it stays listed as not checked). Before session 26 a template's literal
 * `whitelist-source-range` beside `auth-tls-verify-client: "on"` was never read, and `detect --check` passed.
 */
function templateIngressForbidden(
  template: ScanFile,
  finding: DetectFinding,
  facts: HelmFacts,
  status: number,
  add: (own: ForbiddenResult) => void,
): boolean {
  // A line that is only a tag (`{{- toYaml . | nindent 4 }}`, `{{ include ... }}`) writes YAML of its own: blanked.
  const text = (template.written ?? template.text)
    .split('\n')
    .map((line) => (/^\s*\{\{[^{}]*\}\}\s*$/.test(line) ? ' '.repeat(line.length) : line))
    .join('\n');
  let documents: YamlDocument[];
  try {
    documents = parseYamlDocuments(yamlWithoutTemplateTags(text));
  } catch {
    return false;
  }
  const document = documents.find((candidate) => {
    const annotations = asObject(dig(candidate.data, 'metadata', 'annotations'));
    return (
      annotations !== undefined &&
      Object.keys(annotations).some(
        (key) => candidate.lineOf(['metadata', 'annotations', key]) === finding.line,
      )
    );
  });
  const annotations = document && asObject(dig(document.data, 'metadata', 'annotations'));
  if (!document || !annotations) return false;
  const name = `of ${template.relative}`;
  const own = noForbidden();
  ingressAnswers(
    { file: template, document, name, hosts: finding.hosts, paths: finding.paths, annotations },
    finding,
    status,
    own,
    'Helm template: what it renders depends on the values',
  );
  add(own);
  const at = `/${template.relative}`.lastIndexOf('/templates/');
  const chart = at <= 0 ? '.' : template.relative.slice(0, at - 1);
  for (const rendered of renderedAnnotations(template)) {
    const dotted = rendered.path.split('.');
    for (const file of facts.values.filter((entry) => path.posix.dirname(entry.relative) === chart)) {
      for (const values of yamlOf(file)) {
        const map = asObject(dig(values.data, ...dotted));
        if (!map) continue;
        const more = noForbidden();
        ingressAnswers(
          {
            file,
            document: under(values, dotted.slice(0, -1)),
            name,
            hosts: finding.hosts,
            paths: finding.paths,
            annotations: map,
          },
          finding,
          status,
          more,
          `Helm values written into the Ingress of ${template.relative}:${rendered.line}`,
        );
        add(more);
      }
    }
  }
  return true;
}

/** The documents of a values file, none when it does not parse (named by the per-file reader already). */
function yamlOf(file: ScanFile): YamlDocument[] {
  try {
    return file.yamlDocuments();
  } catch {
    return [];
  }
}

function sitesOf(
  file: ScanFile,
): (ReturnType<typeof helmAnnotationSites>[number] & { document: YamlDocument })[] {
  return yamlOf(file).flatMap((document) =>
    helmAnnotationSites(document).map((site) => ({ ...site, document })),
  );
}

/**
 * `document` seen as an Ingress whose `metadata.annotations` are the values map at `prefix.annotations`: lines and
 * evidence are the values file's.
 */
function under(document: YamlDocument, prefix: readonly (string | number)[]): YamlDocument {
  const map = (at: readonly (string | number)[]): (string | number)[] =>
    at[0] === 'metadata' && at[1] === 'annotations' ? [...prefix, 'annotations', ...at.slice(2)] : [...at];
  return {
    data: document.data,
    lineOf: (at) => document.lineOf(map(at)),
    evidence: (at) => document.evidence(map(at)),
    yaml11Number: (at) => document.yaml11Number(map(at)),
    written: (at) => document.written(map(at)),
  };
}
