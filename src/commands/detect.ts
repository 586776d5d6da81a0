import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { loadConfig } from '../config/load.js';
import { resolveConfig } from '../config/resolve.js';
import { detectCheck } from '../detect/check.js';
import { detectMtls } from '../detect/index.js';
import { formatDetectReport } from '../detect/format.js';
import { mergeProposal } from '../detect/write.js';
import { assertCleanWorkTrees } from '../migrate/git.js';
import { writeFilesAtomic } from '../util/write-atomic.js';

export default class Detect extends BaseCommand {
  static override args = {
    paths: Args.string({ description: 'Files or folders to scan (default: the current folder).' }),
  };

  static override description =
    'Reads web server, proxy, Kubernetes, cloud and server-code configuration (nginx, Apache, HAProxy, Envoy, ' +
    'Caddy, Traefik, ingress-nginx, Istio, Gateway API, Helm values, AWS, Azure, Node, Fastify, Nest, Spring) ' +
    'for where mTLS is terminated, and proposes the `mtls` config that makes lint, fix and migrate --spec see ' +
    'exactly those endpoints.';

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> deploy/ src/ --json',
    '<%= config.bin %> <%= command.id %> --write',
    "<%= config.bin %> <%= command.id %> --check --exclude 'dumps/**'",
    '<%= config.bin %> <%= command.id %> --check --format github-actions',
  ];

  static override flags = {
    json: Flags.boolean({ description: 'Print { findings, proposal, ... } as JSON.' }),
    format: Flags.string({
      char: 'f',
      description:
        'github-actions: a workflow annotation on each file and line --check fails on, a notice saying what was not checked, then the report.',
      options: ['text', 'github-actions'],
      default: 'text',
      exclusive: ['json'],
    }),
    write: Flags.boolean({
      description:
        'Merge the proposal into the config file (creating mtls-fix.config.yaml); prints the diff.',
    }),
    check: Flags.boolean({
      description:
        'Exit 1 when the proxy itself answers 403 on a detected mTLS server (or a 403 beside one cannot be placed, or one is listed as not checked and not in config detect.reviewed), or a file holds an mTLS setting detect does not read; exit 2 when a file could not be read or parsed.',
    }),
    force: Flags.boolean({
      description:
        'With --write: write even when the git work tree of the config file has uncommitted changes (or it is in none while the working folder is in one).',
      dependsOn: ['write'],
    }),
    config: Flags.string({
      description: 'Config file to merge into (and to read `spec` and `status` from).',
    }),
    exclude: Flags.string({
      description:
        'Glob of files not to read, relative to the working folder (repeatable; replaces config detect.exclude), e.g. a generated dump too large to read. Excluded files are listed.',
      multiple: true,
    }),
    spec: Flags.string({
      description:
        'OpenAPI document to check the proposal against (default: config `spec`, else those found). Repeatable.',
      multiple: true,
    }),
  };

  static override strict = false;

  static override summary = 'Find where mTLS is terminated and propose the config for it.';

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Detect);
    const cwd = process.cwd();
    const loaded = await loadConfig({ cwd, configPath: flags.config });
    const resolved = resolveConfig(loaded.config, {}, loaded.filepath);
    const configSpecs = resolved.spec;
    const documents = flags.spec?.length ? flags.spec : configSpecs.length ? configSpecs : undefined;
    const exclude = flags.exclude?.length ? flags.exclude : (loaded.config.detect?.exclude ?? []);
    const report = await detectMtls({
      paths: argv as string[],
      cwd,
      documents,
      status: resolved.status,
      exclude,
    });
    // The gate (src/detect/check.ts): exit 2 for a file not read, 1 for work left; each reason on stderr.
    const checkFails = (): void => {
      if (!flags.check) return;
      const check = detectCheck(report, loaded.config.detect?.reviewed ?? []);
      for (const message of check.messages) process.stderr.write(`${message}\n`);
      if (check.exitCode) this.setExitCode(check.exitCode);
    };
    const merge =
      flags.write && (report.proposal.mtls.servers.length > 0 || report.proposal.mtls.everywhere)
        ? mergeProposal(report.proposal, cwd, loaded.filepath)
        : undefined;
    if (merge && merge.diff) {
      // The config file's own work tree must be clean, as for migrate and fix (breaker31 #04), unless --force.
      if (!flags.force) await assertCleanWorkTrees(cwd, [merge.path]);
      // The merge keeps every byte of the config but the added lines: the file must still hold what it was
      // computed from, or an edit made meanwhile would be lost (breaker31 #08's kind).
      writeFilesAtomic([
        {
          path: merge.path,
          text: merge.after,
          display: merge.path,
          ...(merge.created ? {} : { original: merge.before }),
        },
      ]);
    }
    if (flags.json) {
      await this.print(
        JSON.stringify(
          merge
            ? {
                ...report,
                written: { file: merge.path, created: merge.created, added: merge.added, diff: merge.diff },
              }
            : report,
          null,
          2,
        ),
      );
      checkFails();
      return;
    }
    if (flags.format === 'github-actions') {
      const { formatDetectGithubActions } = await import('../detect/format-github.js');
      await this.print(formatDetectGithubActions(report, loaded.config.detect?.reviewed ?? []));
    }
    await this.print(formatDetectReport(report));
    if (flags.write) {
      if (!merge) await this.print('\nNothing to write: no proposal.');
      else if (!merge.diff) await this.print(`\n${merge.path} already holds the proposal: nothing to write.`);
      else
        await this.print(
          `\n${merge.created ? 'Created' : 'Updated'} ${merge.path}:\n${merge.diff.replace(/\n$/, '')}`,
        );
    } else if (report.findings.length > 0) {
      await this.print('\nRun `mtls-fix detect --write` to merge this into the config file.');
    }
    checkFails();
  }
}
