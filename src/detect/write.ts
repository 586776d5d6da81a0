import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { editorLinesPatch } from '../util/diff-lines.js';
import { isDeepStrictEqual } from 'node:util';
import {
  addMember,
  appendItems,
  jsonNodes,
  member,
  replaceNode,
  type JsonNode,
} from '../util/json-splice.js';
import YAML from 'yaml';
import { loneCrAsLf } from '../util/line-breaks.js';
import {
  addToMap,
  appendAtEnd,
  appendToSeq,
  applySplices,
  fillEmptyValue,
  readYamlSource,
  yamlScalar,
  type Splice,
} from '../util/yaml-splice.js';
import { validateConfig } from '../config/load.js';
import { MtlsFixError } from '../errors.js';
import type { DetectProposal } from './types.js';

/** The config file text after merging a proposal: nothing written yet. */
export interface ConfigMerge {
  /** Absolute path of the file to write. */
  path: string;
  created: boolean;
  before: string;
  after: string;
  /** Unified diff, empty when nothing changes. */
  diff: string;
  /** `mtls.servers` entries added, and whether `mtls.everywhere` was switched on. */
  added: { servers: string[]; everywhere: boolean };
}

/** The file `--write` creates when no config file exists. */
export const DEFAULT_CONFIG_NAME = 'mtls-fix.config.yaml';

/**
 * Merges a proposal into a config file's text: `mtls.servers` gains the regexes it lacks (existing ones
 * and their order stay), `mtls.everywhere` is switched on when proposed and never switched off; every
 * other key, and YAML comments, stay as written. `configPath` undefined: a new `mtls-fix.config.yaml` in
 * `cwd`. The merged config is validated against the schema. Throws MtlsFixError (EUSAGE) for a JavaScript
 * config (its code cannot be merged safely), ECONFIG for a file that does not parse.
 */
export function mergeProposal(proposal: DetectProposal, cwd: string, configPath?: string): ConfigMerge {
  const target = configPath ?? path.join(cwd, DEFAULT_CONFIG_NAME);
  const created = !existsSync(target);
  const before = created ? '' : readFileSync(target, 'utf8');
  const display = path.relative(cwd, target) || path.basename(target);
  if (/\.(c|m)?js$/.test(target)) {
    throw new MtlsFixError(
      'EUSAGE',
      'cannot merge into a JavaScript config file.',
      `Add these keys yourself: ${JSON.stringify(proposal)}`,
      { file: display },
    );
  }
  const isPackage = path.basename(target) === 'package.json';
  const isJson = isPackage || /\.json$/.test(target) || /^\s*\{/.test(before);
  const { after, added, merged } = isJson
    ? mergeJson(before, proposal, isPackage, display)
    : mergeYaml(before, proposal, display);
  validateConfig(merged, target);
  const diff =
    after === before
      ? ''
      : editorLinesPatch(created ? '/dev/null' : `a/${display}`, `b/${display}`, before, after, undefined);
  return { path: target, created, before, after, diff, added };
}

interface Merged {
  after: string;
  added: { servers: string[]; everywhere: boolean };
  merged: unknown;
}

function additions(existing: unknown, everywhereBefore: unknown, proposal: DetectProposal) {
  const have = Array.isArray(existing) ? existing.map(String) : [];
  return {
    servers: proposal.mtls.servers.filter((pattern) => !have.includes(pattern)),
    everywhere: proposal.mtls.everywhere && everywhereBefore !== true,
  };
}

/**
 * The proposal merged into a YAML config as text splices (src/util/yaml-splice.ts): `mtls.servers` items appended
 * to its list (block or flow), `servers:` / `everywhere: true` added to `mtls` (block or flow), `everywhere:
 * false` turned `true`, `mtls:` added at the end when there is none; every other byte as written (comments,
 * alignment, quoting, line ends LF / CRLF / lone CR). Read back and compared with the data plus the additions.
 */
function mergeYaml(before: string, proposal: DetectProposal, display: string): Merged {
  const written = before.replace(/^\uFEFF/, '');
  const bom = before.length - written.length === 1 ? '\uFEFF' : '';
  const { view, document } = readYamlSource(written);
  if (document.errors.length > 0) {
    throw new MtlsFixError(
      'ECONFIG',
      `cannot merge: ${document.errors[0].message.split('\n')[0]}.`,
      'Fix the file first.',
      { file: display },
    );
  }
  const root = document.contents;
  const empty = root === null || (YAML.isScalar(root) && root.value === null);
  if (!empty && !YAML.isMap(root)) {
    throw new MtlsFixError(
      'ECONFIG',
      'cannot merge: the config file is not a mapping.',
      'Fix the file first.',
      { file: display },
    );
  }
  const current = (document.toJS() ?? {}) as { mtls?: { servers?: unknown; everywhere?: unknown } };
  const added = additions(current.mtls?.servers, current.mtls?.everywhere, proposal);
  if (added.servers.length === 0 && !added.everywhere) return { after: before, added, merged: current };
  const splices = yamlSplices(view, YAML.isMap(root) ? root : undefined, added);
  const after = bom + applySplices(written, splices);
  const merged = {
    ...current,
    mtls: {
      ...current.mtls,
      ...(added.servers.length > 0 && {
        servers: [
          ...(Array.isArray(current.mtls?.servers) ? (current.mtls.servers as unknown[]) : []),
          ...added.servers,
        ],
      }),
      ...(added.everywhere && { everywhere: true }),
    },
  };
  let read: unknown;
  try {
    read = YAML.parse(loneCrAsLf(after.slice(bom.length)));
  } catch {
    read = undefined;
  }
  if (!isDeepStrictEqual(read, merged)) {
    throw new MtlsFixError(
      'ECONFIG',
      'cannot merge the proposal in place (the file would not read back as its keys plus the proposal).',
      `Add these keys yourself: ${JSON.stringify({ mtls: { servers: added.servers, everywhere: added.everywhere || undefined } })}`,
      { file: display },
    );
  }
  return { after, added, merged };
}

/** The splices that add `added` to the `mtls` map of `root` (undefined: an empty file). */
function yamlSplices(
  view: string,
  root: YAML.YAMLMap | undefined,
  added: { servers: string[]; everywhere: boolean },
): Splice[] {
  const serverItems = added.servers.map((pattern) => ({
    block: [yamlScalar(pattern)],
    flow: yamlScalar(pattern),
  }));
  const serverLines = added.servers.map((pattern) => `- ${yamlScalar(pattern)}`);
  const mtlsLines = [
    ...(added.servers.length > 0 ? ['servers:', ...serverLines.map((line) => `  ${line}`)] : []),
    ...(added.everywhere ? ['everywhere: true'] : []),
  ];
  const mtlsFlow = [
    ...(added.servers.length > 0 ? [`servers: [${serverItems.map((item) => item.flow).join(', ')}]`] : []),
    ...(added.everywhere ? ['everywhere: true'] : []),
  ].join(', ');
  const pair = root?.items.find((item) => YAML.isScalar(item.key) && item.key.value === 'mtls');
  if (!root || (!pair && !root.flow)) return [appendAtEnd(view, 'mtls', mtlsLines)];
  if (!pair) return [addToMap(view, root, 'mtls', { block: mtlsLines, flow: `{ ${mtlsFlow} }` })];
  const mtls = pair.value;
  if (!YAML.isMap(mtls) || mtls.items.length === 0) {
    // `mtls:`, `mtls: ~`, `mtls: {}`: the keys on the lines below.
    const range = YAML.isNode(mtls) ? mtls.range : undefined;
    return [
      fillEmptyValue(view, pair.key as YAML.Scalar, range ? [range[0], range[1]] : undefined, mtlsLines),
    ];
  }
  const splices: Splice[] = [];
  if (added.servers.length > 0) {
    const servers = mtls.get('servers', true);
    const serversPair = mtls.items.find((item) => YAML.isScalar(item.key) && item.key.value === 'servers');
    if (YAML.isSeq(servers) && (servers.items.length > 0 || !serversPair || mtls.flow)) {
      splices.push(appendToSeq(view, servers, serverItems));
    } else if (serversPair && !mtls.flow) {
      const range = YAML.isNode(servers) ? servers.range : undefined;
      splices.push(
        fillEmptyValue(
          view,
          serversPair.key as YAML.Scalar,
          range ? [range[0], range[1]] : undefined,
          serverLines,
        ),
      );
    } else {
      splices.push(
        addToMap(view, mtls, 'servers', {
          block: serverLines,
          flow: `[${serverItems.map((item) => item.flow).join(', ')}]`,
        }),
      );
    }
  }
  if (added.everywhere) {
    const everywhere = mtls.get('everywhere', true);
    if (YAML.isScalar(everywhere) && everywhere.range) {
      splices.push({ start: everywhere.range[0], end: everywhere.range[1], text: 'true' });
    } else splices.push(addToMap(view, mtls, 'everywhere', { block: ['true'], flow: 'true' }));
  }
  return mergeSameOffset(splices);
}

/** Two additions at one offset (servers and everywhere added to one block map) as one splice, in order. */
function mergeSameOffset(splices: Splice[]): Splice[] {
  const merged: Splice[] = [];
  for (const splice of splices) {
    const same = merged.find((other) => other.start === splice.start && other.end === splice.end);
    if (same && splice.start === splice.end) same.text += splice.text;
    else merged.push({ ...splice });
  }
  return merged;
}

/**
 * The proposal merged into a JSON config (or package.json's `mtls-fix` key) as text splices
 * (src/util/json-splice.ts): items appended to `mtls.servers`, members added where missing, `everywhere: false`
 * turned `true`; every other byte as written (indentation, one-line arrays, escapes, line ends). Read back and
 * compared with the data plus the additions.
 */
function mergeJson(before: string, proposal: DetectProposal, isPackage: boolean, display: string): Merged {
  const written = before.replace(/^\uFEFF/, '');
  const bom = before.slice(0, before.length - written.length);
  let data: Record<string, unknown>;
  let root: JsonNode | undefined;
  try {
    data = written.trim() === '' ? {} : (JSON.parse(written) as Record<string, unknown>);
    root = written.trim() === '' ? undefined : jsonNodes(written);
  } catch (error) {
    throw new MtlsFixError('ECONFIG', `cannot merge: ${(error as Error).message}.`, 'Fix the file first.', {
      file: display,
    });
  }
  const config = (isPackage ? data['mtls-fix'] : data) as Record<string, unknown> | undefined;
  const mtls = config?.mtls as Record<string, unknown> | undefined;
  const added = additions(mtls?.servers, mtls?.everywhere, proposal);
  const changed = added.servers.length > 0 || added.everywhere;
  const mergedMtls = {
    ...mtls,
    ...(added.servers.length > 0 && {
      servers: [...(Array.isArray(mtls?.servers) ? (mtls.servers as unknown[]) : []), ...added.servers],
    }),
    ...(added.everywhere && { everywhere: true }),
  };
  const mergedConfig = { ...config, mtls: mergedMtls };
  const mergedData = isPackage ? { ...data, 'mtls-fix': mergedConfig } : mergedConfig;
  if (!changed) return { after: before, added, merged: config ?? {} };
  let after: string;
  if (!root) after = `${JSON.stringify(mergedData, null, 2)}\n`;
  else {
    const splices = jsonSplices(written, root, isPackage, added);
    after = bom + applySplices(written, splices);
  }
  let read: unknown;
  try {
    read = JSON.parse(after.slice(bom.length));
  } catch {
    read = undefined;
  }
  if (!isDeepStrictEqual(read, mergedData)) {
    throw new MtlsFixError(
      'ECONFIG',
      'cannot merge the proposal in place (the file would not read back as its keys plus the proposal).',
      `Add these keys yourself: ${JSON.stringify({ mtls: { servers: added.servers, everywhere: added.everywhere || undefined } })}`,
      { file: display },
    );
  }
  return { after, added, merged: mergedConfig };
}

/** The splices that add `added` under the config object of a JSON text (package.json: its `mtls-fix` key). */
function jsonSplices(
  text: string,
  root: JsonNode,
  isPackage: boolean,
  added: { servers: string[]; everywhere: boolean },
): Splice[] {
  const mtlsValue = {
    ...(added.servers.length > 0 && { servers: added.servers }),
    ...(added.everywhere && { everywhere: true }),
  };
  const config = isPackage ? member(root, 'mtls-fix') : root;
  if (config?.kind !== 'object') return [addMember(text, root, 'mtls-fix', { mtls: mtlsValue })];
  const mtls = member(config, 'mtls');
  if (mtls?.kind !== 'object') return [addMember(text, config, 'mtls', mtlsValue)];
  if (mtls.members?.length === 0) return [replaceNode(text, mtls, mtlsValue)];
  const splices: Splice[] = [];
  const servers = member(mtls, 'servers');
  const everywhere = member(mtls, 'everywhere');
  if (added.servers.length > 0 && servers?.kind === 'array')
    splices.push(appendItems(text, servers, added.servers));
  if (added.everywhere && everywhere)
    splices.push({ start: everywhere.start, end: everywhere.end, text: 'true' });
  const missing = {
    ...(added.servers.length > 0 && servers?.kind !== 'array' && { servers: added.servers }),
    ...(added.everywhere && !everywhere && { everywhere: true }),
  };
  // Missing members go in one splice (two at one offset would be applied in either order).
  let insertion: Splice | undefined;
  for (const [key, value] of Object.entries(missing)) {
    const splice = addMember(text, mtls, key, value);
    if (insertion) insertion.text += splice.text;
    else insertion = splice;
  }
  if (insertion) splices.push(insertion);
  return splices;
}
