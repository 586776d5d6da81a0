import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { Document, isMap, isSeq, parseDocument } from 'yaml';
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
      : createTwoFilesPatch(created ? '/dev/null' : `a/${display}`, `b/${display}`, before, after);
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

function mergeYaml(before: string, proposal: DetectProposal, display: string): Merged {
  const document: Document = before.trim() === '' ? new Document({}) : parseDocument(before);
  if (document.errors.length > 0) {
    throw new MtlsFixError(
      'ECONFIG',
      `cannot merge: ${document.errors[0].message.split('\n')[0]}.`,
      'Fix the file first.',
      { file: display },
    );
  }
  const current = document.toJS() as { mtls?: { servers?: unknown; everywhere?: unknown } } | null;
  const added = additions(current?.mtls?.servers, current?.mtls?.everywhere, proposal);
  if (added.servers.length > 0) {
    const servers = document.getIn(['mtls', 'servers'], true);
    if (isSeq(servers)) for (const pattern of added.servers) servers.add(document.createNode(pattern));
    else document.setIn(['mtls', 'servers'], document.createNode(added.servers));
  }
  if (added.everywhere) document.setIn(['mtls', 'everywhere'], true);
  if (!isMap(document.contents)) {
    throw new MtlsFixError(
      'ECONFIG',
      'cannot merge: the config file is not a mapping.',
      'Fix the file first.',
      { file: display },
    );
  }
  const after =
    added.servers.length > 0 || added.everywhere
      ? document.toString({ flowCollectionPadding: false })
      : before;
  return { after, added, merged: document.toJS() as unknown };
}

function mergeJson(before: string, proposal: DetectProposal, isPackage: boolean, display: string): Merged {
  let data: Record<string, unknown>;
  try {
    data = before.trim() === '' ? {} : (JSON.parse(before) as Record<string, unknown>);
  } catch (error) {
    throw new MtlsFixError('ECONFIG', `cannot merge: ${(error as Error).message}.`, 'Fix the file first.', {
      file: display,
    });
  }
  const config = (isPackage ? ((data['mtls-fix'] ??= {}) as Record<string, unknown>) : data) ?? {};
  const mtls = (config.mtls ??= {}) as Record<string, unknown>;
  const added = additions(mtls.servers, mtls.everywhere, proposal);
  if (added.servers.length > 0)
    mtls.servers = [...(Array.isArray(mtls.servers) ? (mtls.servers as unknown[]) : []), ...added.servers];
  if (added.everywhere) mtls.everywhere = true;
  const indent = /^[ \t]+(?=")/m.exec(before)?.[0] ?? '  ';
  const changed = added.servers.length > 0 || added.everywhere;
  const after = changed ? `${JSON.stringify(data, null, indent)}\n` : before;
  return { after, added, merged: isPackage ? data['mtls-fix'] : data };
}
