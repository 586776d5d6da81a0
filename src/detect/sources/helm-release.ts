import path from 'node:path';
import type { ScanFile } from '../scan-file.js';
import type { DetectSkip } from '../types.js';
import { isTerraformExpression } from '../unresolved.js';
import { asList, asObject, asText, dig, parseYamlDocuments } from '../yaml-documents.js';
import { escapeRegExp } from '../../util/regexp.js';
import {
  CHART_VALUES_WORDS,
  chartInTree,
  isMeshValues,
  valuesBlocksRead,
  type ChartValuesRead,
  type ValuesBlock,
} from './chart-values.js';
import { hclBlocks } from './hcl-blocks.js';
import { setValues, type SetEntry } from './helm-set.js';
import { keyLineIn, resourceKeyLine } from './terraform-kubernetes.js';

/**
 * Values a Terraform `helm_release` (hashicorp/helm provider) passes to a chart kept elsewhere, written in the
 * Terraform file itself (session 46; before, only files it names with `file()` / `templatefile()` were read, and a
 * release turning mTLS on with `set { name = "gateway.mtls.enabled" value = "true" }` read "No mTLS termination
 * found"): `set`, `set_sensitive`, `set_list` blocks (also `dynamic "set"` and the provider 3.x list form
 * `set = [{ name, value }]`), their `name` read as Helm's `--set` path (`a.b[0].c`, `\.` for a dot in a key); and
 * each `values` item written as `yamlencode({...})` / `jsonencode({...})` (an object literal or a `local.NAME` of the
 * same file) or as YAML text (a heredoc). The keys are judged as in a values file (src/detect/sources/chart-values.ts):
 * a key set from a Terraform expression (`value = var.mtls`) is named under "Not read" with its line, as is a
 * `values` item detect cannot evaluate (`yamlencode(merge(...))`, `var.values`) whose text holds an mTLS word.
 */

/** Whether a Terraform file declares a `helm_release` with a word of mTLS: the cheap question before parsing. */
export function isHelmReleaseCandidate(file: ScanFile): boolean {
  return (
    file.baseName.endsWith('.tf') &&
    /\bresource\s+"helm_release"/.test(file.text) &&
    CHART_VALUES_WORDS.test(file.text)
  );
}

/** The value at a path of parsed data. */
function valueAt(data: unknown, at: readonly (string | number)[]): unknown {
  return at.reduce<unknown>(
    (node, segment) => asObject(node)?.[segment] ?? asList(node)[Number(segment)],
    data,
  );
}

/** Whether a value is filled in by Terraform (`${var.x}`, `%{ if }`) rather than written out. */
function fromTerraform(value: unknown): boolean {
  return typeof value === 'string' && /\$\{|%\{/.test(value);
}

/** The offsets of `resource "helm_release" "name"` in the file's text (start, end). */
function resourceSpan(file: ScanFile, name: string): [number, number] {
  const header = new RegExp(`resource\\s+"helm_release"\\s+"${escapeRegExp(name)}"`).exec(file.text);
  const start = header?.index ?? 0;
  const next = file.text.slice(start + 1).search(/\n(?:resource|data|module|locals|variable|output)\b/);
  return [start, next === -1 ? file.text.length : start + 1 + next];
}

/**
 * The values of the `helm_release` resources of a Terraform file, for charts not in the tree (`chartsInTree`:
 * folders of the tree's charts with templates). Never throws: a file hcl2json rejects gives nothing here (it is
 * named as broken Terraform elsewhere).
 */
export async function readHelmReleases(
  file: ScanFile,
  chartsInTree: ReadonlySet<string>,
): Promise<ChartValuesRead> {
  const none: ChartValuesRead = { findings: [], skipped: [] };
  if (!isHelmReleaseCandidate(file)) return none;
  const { parse } = await import('@cdktf/hcl2json');
  let parsed: unknown;
  try {
    parsed = await parse(file.relative, file.text);
  } catch {
    return none;
  }
  const locals = Object.assign(
    {},
    ...asList(dig(parsed, 'locals')).map((entry) => asObject(entry) ?? {}),
  ) as Record<string, unknown>;
  const folder = path.posix.dirname(file.relative);
  const blocks: ValuesBlock[] = [];
  const skipped: DetectSkip[] = [];
  for (const [name, list] of Object.entries(asObject(dig(parsed, 'resource', 'helm_release')) ?? {}))
    for (const release of asList(list)) {
      const chart = asText(dig(release, 'chart')) ?? name;
      if (chartInTree(folder, chart, chartsInTree)) continue;
      const span = resourceSpan(file, name);
      const label = `helm_release.${name} (chart ${chart})`;
      blocks.push(...setBlocks(file, release, span, label, skipped));
      blocks.push(...(await valuesItems(file, release, name, span, label, locals, parse, skipped)));
    }
  const read = valuesBlocksRead(
    file,
    blocks,
    (block) => (at) => fromTerraform(valueAt(block.data, at)),
    '@cdktf/hcl2json',
  );
  return { findings: read.findings, skipped: [...skipped, ...read.skipped] };
}

/** The `set` / `set_sensitive` / `set_list` entries of a release, as one values block at the lines of their names. */
function setBlocks(
  file: ScanFile,
  release: unknown,
  [start, end]: [number, number],
  label: string,
  skipped: DetectSkip[],
): ValuesBlock[] {
  const entries: SetEntry[] = [];
  const text = file.text.slice(0, end);
  for (const kind of ['set', 'set_sensitive', 'set_list'])
    for (const { body } of hclBlocks(release, kind)) {
      const name = asText(dig(body, 'name'));
      if (name === undefined) continue;
      // The line of `name = "..."` (HCL doubles a backslash inside a string).
      const written = `"${name.replace(/\\/g, '\\\\')}"`;
      const found = text.indexOf(written, start);
      const line = file.lines.lineOf(found < 0 ? start : found);
      if (isTerraformExpression(name)) {
        if (CHART_VALUES_WORDS.test(name))
          skipped.push({
            file: file.relative,
            line,
            reason:
              `line ${line}: ${label} sets a value at a key built by a Terraform expression (\`${name}\`) that ` +
              `names mTLS: unknown here, so it is not read: run detect on the rendered values and the chart ` +
              `(helm template), or set mtls.servers or mtls.everywhere by hand`,
          });
        continue;
      }
      entries.push({ name, value: dig(body, 'value'), line });
    }
  const set = setValues(entries, file.lines.lineOf(start));
  if (!set) return [];
  const { data, lineOf } = set;
  return [
    {
      chart: `${label}, set`,
      data,
      lineOf,
      rendered: 'set from a Terraform expression',
      mesh: isMeshValues(label, data),
    },
  ];
}

/** Each `values` item of a release that detect can read as values; the others that name mTLS, under "Not read". */
async function valuesItems(
  file: ScanFile,
  release: unknown,
  name: string,
  [start, end]: [number, number],
  label: string,
  locals: Record<string, unknown>,
  parse: (name: string, text: string) => Promise<unknown>,
  skipped: DetectSkip[],
): Promise<ValuesBlock[]> {
  const out: ValuesBlock[] = [];
  const valuesLine = keyLineIn(file, start, end, ['values']);
  const inResource = (at: readonly (string | number)[]): number =>
    resourceKeyLine(file, 'helm_release', name, [
      'values',
      ...at.filter((segment): segment is string => typeof segment === 'string'),
    ]);
  for (const [index, item] of asList(dig(release, 'values')).entries()) {
    const text = asText(item);
    if (text === undefined) continue;
    const chart = `${label}, values[${index}]`;
    const rendered = 'from a Terraform expression';
    if (!isTerraformExpression(text)) {
      // YAML text (a heredoc): its `${...}` are filled in by Terraform.
      try {
        for (const document of parseYamlDocuments(text))
          if (asObject(document.data))
            out.push({
              chart,
              data: document.data,
              lineOf: inResource,
              rendered,
              mesh: isMeshValues(chart, document.data),
            });
      } catch {
        if (CHART_VALUES_WORDS.test(text))
          skipped.push(notRead(file, valuesLine, chart, 'YAML text that does not parse'));
      }
      continue;
    }
    const encoded = /^\$\{\s*(?:yamlencode|jsonencode)\(([\s\S]*)\)\s*\}$/.exec(text.trim());
    if (/^\$\{\s*(?:file|templatefile)\(/.test(text.trim())) continue; // a file: read as values (valuesFilesReferenced)
    const local = /^local\.([\w-]+)$/.exec((encoded?.[1] ?? '').trim());
    let data: unknown;
    let lineOf = inResource;
    if (local) {
      data = asObject(locals[local[1]]);
      const defined = new RegExp(`(?:^|\\s)${escapeRegExp(local[1])}\\s*=`, 'm').exec(file.text);
      lineOf = (at) =>
        keyLineIn(file, defined?.index ?? start, file.text.length, [
          local[1],
          ...at.filter((segment): segment is string => typeof segment === 'string'),
        ]);
    } else if (encoded) {
      try {
        data = asObject(
          dig(await parse('values.tf', `locals {\n  v = ${encoded[1]}\n}\n`), 'locals', 0, 'v'),
        );
      } catch {
        data = undefined;
      }
    }
    if (data !== undefined) out.push({ chart, data, lineOf, rendered, mesh: isMeshValues(chart, data) });
    else if (
      CHART_VALUES_WORDS.test(text) ||
      (local && CHART_VALUES_WORDS.test(JSON.stringify(locals[local[1]])))
    )
      skipped.push(notRead(file, valuesLine, chart, `\`${oneLine(text)}\`, which detect cannot evaluate`));
  }
  return out;
}

/** A `values` item of a release that names mTLS and cannot be read. */
function notRead(file: ScanFile, line: number, where: string, why: string): DetectSkip {
  return {
    file: file.relative,
    line,
    reason:
      `line ${line}: Helm values with an mTLS word passed by ${where} as ${why}: whether they turn client ` +
      `certificates on is unknown, so they are not read: run detect on the rendered values and the chart (helm ` +
      `template), or set mtls.servers or mtls.everywhere by hand`,
  };
}

/** An expression on one line, cut to 120 characters. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
