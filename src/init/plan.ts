import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { MtlsFixError } from '../errors.js';
import { describeWideEncoding, wideEncoding } from '../util/utf8.js';
import { addHookEntry } from './pre-commit.js';
import type { DetectReport } from '../detect/index.js';
import { configSourcesIn } from '../config/load.js';

/** What `mtls-fix init` asks (or takes as flags). */
export interface InitAnswers {
  /** The agreed status (401 default). */
  status: number;
  /** OpenAPI documents, relative to the project folder. */
  spec: string[];
  schemes: string[];
  servers: string[];
  everywhere: boolean;
}

/**
 * What `mtls-fix detect` proposes (where mTLS is terminated, the config that makes the model see it),
 * offered by `init` as the default answers (see proposalFromDetect).
 */
export interface InitProposal {
  /** Where the proposal came from, shown to the user (e.g. `nginx.conf: ssl_verify_client on`). */
  source: string;
  mtls?: { schemes?: string[]; servers?: string[]; everywhere?: boolean };
  spec?: string[];
}

/** One file `init` would write, and whether it may. */
export interface PlannedFile {
  /** Relative to the project folder, `/`-separated. */
  file: string;
  text: string;
  /** For an update: the text read, which the file must still hold when it is written. */
  original?: string;
  action: 'create' | 'update' | 'overwrite' | 'skip';
  /** Why a file is skipped, or what the update adds. */
  note: string;
}

export const CONFIG_FILE = 'mtls-fix.config.yaml';
const SPECTRAL_FILES = ['.spectral.yaml', '.spectral.yml', '.spectral.json', '.spectral.js', '.spectral.mjs'];
const PRE_COMMIT_FILE = '.pre-commit-config.yaml';
export const HOOK_SOURCE = 'https://github.com/mtls-fix/mtls-fix';

/**
 * The `.spectral.yaml` init writes: the ruleset beside spectral:oas, with `mtls-unchecked` raised to an error so
 * that `spectral lint` in CI fails on a document none of whose 403s was checked (the ruleset's own severity is
 * info; Spectral has no gate mode of its own, as `mtls-fix lint --quiet` is).
 */
const SPECTRAL_RULESET =
  'extends: ["spectral:oas", "mtls-fix/ruleset"]\n' +
  'rules:\n' +
  '  # A document that declares no mTLS fails: none of its 403s was checked. If it has no mTLS endpoints,\n' +
  '  # write x-mtls: false at its root.\n' +
  '  mtls-unchecked: error\n';

/**
 * The detect report as init's proposal: its `mtls` proposal, the OpenAPI documents it found, and the places
 * it read them from (`nginx.conf:12 ssl_verify_client on`). Undefined when detect found no mTLS termination,
 * so init keeps its own defaults.
 */
export function proposalFromDetect(report: DetectReport): InitProposal | undefined {
  if (!report.findings.length) return undefined;
  const places = report.findings.map((finding) => `${finding.file}:${finding.line} "${finding.evidence}"`);
  const shown = places.length > 3 ? [...places.slice(0, 3), `and ${places.length - 3} more`] : places;
  return {
    source: `mTLS termination in ${shown.join(', ')}`,
    mtls: { servers: report.proposal.mtls.servers, everywhere: report.proposal.mtls.everywhere },
    spec: report.documents.length ? report.documents : undefined,
  };
}

/**
 * What detect found that the config cannot fix, one line each, for init to print after where mTLS is
 * terminated: the 403s the proxy or gateway answers itself on those endpoints (the first three named, the rest
 * counted), the 403s it could not check or place, and files holding mTLS settings it does not read. Empty when
 * there is none of these. Each line ends with what to do (`mtls-fix detect` shows every one with its fix).
 */
export function detectNotes(report: DetectReport): string[] {
  const notes: string[] = [];
  const { forbidden } = report;
  if (forbidden.length > 0) {
    const named = forbidden.slice(0, 3).map((entry) => `${entry.file}:${entry.line} "${entry.evidence}"`);
    const more = forbidden.length > 3 ? ` and ${forbidden.length - 3} more` : '';
    notes.push(
      `the proxy itself answers 403 on those mTLS endpoints: ${named.join(', ')}${more}; run \`mtls-fix detect\` ` +
        'for the change to the agreed status (the config does not change them)',
    );
  }
  const built = report.buildDocuments ?? [];
  if (built.length > 0)
    notes.push(
      `${built.length} OpenAPI document${built.length === 1 ? '' : 's'} under dist/ or target/ (build output: ` +
        `${built.slice(0, 3).join(', ')}${built.length > 3 ? ', ...' : ''}) ${built.length === 1 ? 'is' : 'are'} not ` +
        `in spec: pass --spec (or edit spec) if ${built.length === 1 ? 'it is the document' : 'they are the documents'} you publish`,
    );
  const unsure = report.forbiddenNotChecked.length + report.forbiddenUnplaced.length;
  if (unsure > 0)
    notes.push(
      `${unsure} 403${unsure === 1 ? '' : 's'} on mTLS endpoints could not be checked or placed; run \`mtls-fix detect\` to review ${unsure === 1 ? 'it' : 'them'}`,
    );
  const unread = report.skipped.filter((skip) => skip.line !== undefined && !skip.leftOut);
  if (unread.length > 0)
    notes.push(
      `${unread.length} file${unread.length === 1 ? '' : 's'} hold${unread.length === 1 ? 's' : ''} mTLS server settings in a form mtls-fix does not read ` +
        `(${unread[0].file}:${unread[0].line}${unread.length > 1 ? ', ...' : ''}), so they are not in the config; run \`mtls-fix detect\` and set mtls.servers or mtls.everywhere by hand`,
    );
  return notes;
}

/**
 * Default answers: the proposal's, else the DESIGN defaults (401, ./openapi.* if present); without those, the
 * OpenAPI documents `detect` found anywhere below (`documents`, relative paths), so a project whose documents
 * live in a folder or go by another name gets a `spec` that `lint` and `fix` can run with.
 */
export function defaultAnswers(cwd: string, proposal?: InitProposal, documents: string[] = []): InitAnswers {
  const atRoot = ['openapi.yaml', 'openapi.yml', 'openapi.json', 'swagger.yaml', 'swagger.json'].filter(
    (name) => existsSync(path.join(cwd, name)),
  );
  return {
    status: 401,
    spec: proposal?.spec ?? (atRoot.length ? atRoot : specEntries(documents)),
    schemes: proposal?.mtls?.schemes ?? [],
    servers: proposal?.mtls?.servers ?? [],
    everywhere: proposal?.mtls?.everywhere ?? false,
  };
}

/** How many documents `spec` lists one by one; above it, one glob per folder and extension. */
const SPEC_LISTED = 12;

/**
 * `spec` entries for the documents found: each by name when there are few, else one glob per folder and
 * extension (`specs/*.yaml`): a glob may also match fragments, which lint and fix skip as not OpenAPI.
 */
export function specEntries(documents: readonly string[]): string[] {
  if (documents.length <= SPEC_LISTED) return [...documents];
  const globs = new Set<string>();
  for (const document of documents) {
    const slash = document.lastIndexOf('/');
    const dot = document.lastIndexOf('.');
    const extension = dot > slash ? document.slice(dot) : '';
    globs.add(`${slash === -1 ? '' : document.slice(0, slash + 1)}*${extension}`);
  }
  return [...globs];
}

/**
 * The files `init` writes: the config file; a `.spectral.yaml` extending the ruleset when the project uses
 * Spectral (a dependency on @stoplight/spectral-cli) and has no Spectral ruleset yet; the two hooks added
 * to an existing `.pre-commit-config.yaml`. An existing file is never replaced unless `force`.
 * Returns data only; the command writes and prints.
 */
export function planInit(cwd: string, answers: InitAnswers, options: { force?: boolean; rev?: string } = {}) {
  const planned: PlannedFile[] = [];
  const config = configText(answers);
  const configExists = existsSync(path.join(cwd, CONFIG_FILE));
  // Another config source here (a package.json `mtls-fix` key, an .mtls-fixrc): a second file would make two, and
  // the commands refuse that (config/load.ts); it is left for the user to merge.
  const other = configSourcesIn(cwd).find((name) => name !== CONFIG_FILE);
  planned.push({
    file: CONFIG_FILE,
    text: config,
    action: other ? 'skip' : configExists ? (options.force ? 'overwrite' : 'skip') : 'create',
    note: other
      ? `not written: ${other === 'package.json' ? 'package.json holds an "mtls-fix" key' : `${other} exists`}, and two configs in one folder are refused; put these settings there`
      : configExists && !options.force
        ? 'exists; --force replaces it'
        : 'the agreed status and how mTLS is signalled',
  });

  const spectralRuleset = SPECTRAL_FILES.find((name) => existsSync(path.join(cwd, name)));
  if (spectralRuleset) {
    const text = readFileSync(path.join(cwd, spectralRuleset), 'utf8');
    if (!text.includes('mtls-fix/ruleset')) {
      planned.push({
        file: spectralRuleset,
        text,
        action: 'skip',
        note: 'exists; add "mtls-fix/ruleset" to its extends to run the rules from Spectral',
      });
    }
  } else if (usesSpectral(cwd)) {
    planned.push({
      file: '.spectral.yaml',
      text: SPECTRAL_RULESET,
      action: 'create',
      note:
        'Spectral runs the mtls-fix rules beside spectral:oas; a document that declares no mTLS is an error ' +
        '(x-mtls: false at its root says it has no mTLS endpoints)',
    });
  }

  const preCommit = path.join(cwd, PRE_COMMIT_FILE);
  if (existsSync(preCommit)) {
    const bytes = readFileSync(preCommit);
    const wide = wideEncoding(bytes);
    if (wide) {
      throw new MtlsFixError(
        'EENCODING',
        `${wide.encoding.slice(0, 6)} is not supported (${describeWideEncoding(wide)}).`,
        `Save the file as UTF-8 (e.g. iconv -f ${wide.encoding} -t UTF-8).`,
        { file: PRE_COMMIT_FILE },
      );
    }
    const original = bytes.toString('utf8');
    if (!original.includes('mtls-fix-lint')) {
      const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
      const entry = {
        repo: HOOK_SOURCE,
        rev: options.rev ?? 'v0.1.0',
        hooks: ['mtls-fix-lint', 'mtls-fix-migrate-check'],
      };
      planned.push({
        file: PRE_COMMIT_FILE,
        text: bom + addHookEntry(original.slice(bom.length), entry, PRE_COMMIT_FILE),
        original,
        action: 'update',
        note:
          'adds the mtls-fix-lint and mtls-fix-migrate-check hooks; the lint hook fails on a document that ' +
          'declares no mTLS (x-mtls: false at its root says it has no mTLS endpoints)',
      });
    }
  }
  return planned;
}

function usesSpectral(cwd: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    return ['dependencies', 'devDependencies'].some(
      (field) => manifest[field]?.['@stoplight/spectral-cli'] !== undefined,
    );
  } catch {
    return false;
  }
}

function configText(answers: InitAnswers): string {
  const config: Record<string, unknown> = { status: answers.status };
  const mtls: Record<string, unknown> = {};
  if (answers.schemes.length) mtls.schemes = answers.schemes;
  if (answers.servers.length) mtls.servers = answers.servers;
  if (answers.everywhere) mtls.everywhere = true;
  if (Object.keys(mtls).length) config.mtls = mtls;
  if (answers.spec.length) config.spec = answers.spec;
  return (
    '# yaml-language-server: $schema=./node_modules/mtls-fix/config.schema.json\n' +
    '# mtls-fix: answer the agreed status instead of 403 on mTLS-secured operations.\n' +
    YAML.stringify(config)
  );
}
