import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { parseStatus } from '../config/status.js';
import { detectMtls } from '../detect/index.js';
import { defaultAnswers, detectNotes, planInit, proposalFromDetect, type InitAnswers } from '../init/plan.js';
import { writeFilesAtomic } from '../util/write-atomic.js';
import { resolveSpecInputs } from '../lint/files.js';
import { lint } from '../lint/run.js';
import { UNCHECKED_RULE } from '../findings/unchecked.js';
import { MtlsFixError } from '../errors.js';

export default class Init extends BaseCommand {
  static override description =
    'Writes mtls-fix.config.yaml (agreed status, spec files, how mTLS is signalled); a .spectral.yaml extending ' +
    'mtls-fix/ruleset when the project uses Spectral; the hooks in an existing .pre-commit-config.yaml. ' +
    'Asks on a terminal unless --yes; never replaces a file without --force; prints what it wrote.';

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --yes --status 404 --spec specs/accounts.yaml --mtls-scheme clientCert',
  ];

  static override flags = {
    detect: Flags.boolean({
      allowNo: true,
      default: true,
      description:
        'Offer what `mtls-fix detect` finds in this folder (proxy, gateway, cloud and server config) as the default mTLS answers.',
    }),
    force: Flags.boolean({ description: 'Replace files that exist.' }),
    'mtls-everywhere': Flags.boolean({ description: 'Every operation is mTLS-secured (FAPI, eIDAS/PSD2).' }),
    'mtls-scheme': Flags.string({
      description: 'Security scheme name that means mTLS (repeatable).',
      multiple: true,
    }),
    'mtls-server': Flags.string({ description: 'Regex on mTLS server URLs (repeatable).', multiple: true }),
    spec: Flags.string({
      description: 'OpenAPI document (repeatable; default ./openapi.* if present).',
      multiple: true,
    }),
    status: Flags.string({ description: 'The agreed status: a 4xx other than 403 (default 401).' }),
    yes: Flags.boolean({ char: 'y', description: 'Take the flags and defaults; ask nothing.' }),
  };

  static override summary = 'Set up mtls-fix in this project.';

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    const cwd = process.cwd();
    const detected = flags.detect ? await detectMtls({ cwd }) : undefined;
    const proposal = detected ? proposalFromDetect(detected) : undefined;
    if (proposal) await this.print(`detected ${proposal.source}`);
    // The 403s a proxy answers itself, and settings detect cannot read: the config cannot fix them, so say so.
    const notes = detected ? detectNotes(detected) : [];
    if (notes.length > 0) await this.print(notes.map((note) => `detected ${note}`).join('\n'));
    const defaults = defaultAnswers(cwd, proposal, detected?.documents);
    let answers: InitAnswers = {
      status: flags.status === undefined ? defaults.status : parseStatus(flags.status, '--status'),
      spec: flags.spec ?? defaults.spec,
      schemes: flags['mtls-scheme'] ?? defaults.schemes,
      servers: flags['mtls-server'] ?? defaults.servers,
      everywhere: flags['mtls-everywhere'] || defaults.everywhere,
    };
    if (!flags.yes && process.stdin.isTTY && process.stdout.isTTY) answers = await ask(answers);
    const planned = planInit(cwd, answers, { force: flags.force });
    const toWrite = planned.filter((file) => file.action !== 'skip');
    writeFilesAtomic(
      toWrite.map((file) => ({
        path: path.join(cwd, file.file),
        text: file.text,
        display: file.file,
        original: file.original,
      })),
    );
    const lines = planned.map((file) => {
      const verb = { create: 'wrote', overwrite: 'replaced', update: 'updated', skip: 'left' }[file.action];
      return `${verb.padEnd(8)} ${file.file}  (${file.note})`;
    });
    // What `spec` holds decides whether `lint` and `fix` run without FILES: say it, never leave it to be found.
    lines.push(
      answers.spec.length
        ? `spec     ${answers.spec.length > 3 ? `${answers.spec.slice(0, 3).join(', ')} and ${answers.spec.length - 3} more` : answers.spec.join(', ')}  (what lint and fix read without FILES)`
        : 'spec     none: no OpenAPI document found here; pass FILES to lint and fix, or add `spec` to the config',
    );
    const unchecked = await undeclaredDocuments(answers.spec, cwd);
    if (unchecked.length > 0) {
      const named = unchecked.slice(0, 3).join(', ');
      const more = unchecked.length > 3 ? ` and ${unchecked.length - 3} more` : '';
      lines.push(
        `note     ${unchecked.length} of them declare${unchecked.length === 1 ? 's' : ''} no mTLS while documenting 403s (${named}${more}): ` +
          'the lint hook and fix --check fail on them until mTLS is declared (mtls.schemes, mtls.servers, ' +
          'mtls.everywhere, x-mtls: true), or x-mtls: false at a root says that document has no mTLS endpoints',
      );
    }
    await this.print(lines.join('\n'));
  }
}

/**
 * The `spec` documents (relative paths) the lint hook would fail on as written: no operation mTLS-secured while
 * one documents a 403 (`mtls-unchecked` in a gate run, with the config just written). Documents that cannot be
 * read are left to `lint` to name. Never throws for input errors.
 */
async function undeclaredDocuments(spec: readonly string[], cwd: string): Promise<string[]> {
  if (spec.length === 0) return [];
  try {
    const { files } = await resolveSpecInputs([...spec], [], cwd);
    const report = await lint({ files, cwd, gate: true, skipNonOpenApi: true });
    const failing = report.results.filter(
      (result) => result.code === UNCHECKED_RULE && result.severity === 0,
    );
    return [...new Set(failing.map((result) => path.relative(cwd, result.source).split(path.sep).join('/')))];
  } catch (error) {
    if (error instanceof MtlsFixError) return [];
    throw error;
  }
}

/** The questions, each with the current answer as its default (Enter keeps it). */
async function ask(current: InitAnswers): Promise<InitAnswers> {
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const question = async (text: string, fallback: string) =>
      (await readline.question(`${text} [${fallback}] `)).trim() || fallback;
    const list = (value: string) =>
      value === '-'
        ? []
        : value
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean);
    const status = parseStatus(
      await question('Agreed status instead of 403', String(current.status)),
      'status',
    );
    const spec = list(
      await question('OpenAPI documents (comma-separated, - for none)', current.spec.join(',') || '-'),
    );
    const everywhere = /^y/i.test(
      await question('Is every operation mTLS-secured (FAPI, eIDAS)? y/n', current.everywhere ? 'y' : 'n'),
    );
    const schemes = list(
      await question(
        'Security scheme names that mean mTLS (comma-separated, - for none)',
        current.schemes.join(',') || '-',
      ),
    );
    const servers = list(
      await question(
        'Regexes on mTLS server URLs (comma-separated, - for none)',
        current.servers.join(',') || '-',
      ),
    );
    return { status, spec, everywhere, schemes, servers };
  } finally {
    readline.close();
  }
}
