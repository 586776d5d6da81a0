import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { configFromFlags, detectionFlags } from '../cli/config-flags.js';
import { BACKGROUND, explainDocuments } from '../explain/index.js';
import { resolveSpecFiles } from '../lint/files.js';
import { mentionPlace } from '../openapi/mentions.js';

export default class Explain extends BaseCommand {
  static override args = {
    files: Args.string({
      description: 'OpenAPI documents or globs (default: config `spec`, else ./openapi.*).',
    }),
  };

  static override description =
    'For each operation: whether it is mTLS-secured and why (the rule, the scheme, server or marker, and what ' +
    'would change it); then what iOS does with a 403 on a client-certificate connection, the agreed statuses ' +
    'and the safety nets.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> openapi.yaml',
    '<%= config.bin %> <%= command.id %> openapi.yaml --mtls-scheme clientCert --json',
  ];

  static override flags = {
    ...detectionFlags,
    json: Flags.boolean({ description: 'Print { documents: [{ file, operations }], background } as JSON.' }),
  };

  static override strict = false;

  static override summary = 'Explain which operations are mTLS-secured, why, and why a 403 there breaks iOS.';

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Explain);
    const cwd = process.cwd();
    const config = await configFromFlags(flags, cwd);
    const files = await resolveSpecFiles(argv as string[], config.spec, cwd);
    const documents = explainDocuments({ files, config, cwd });
    // One bad file does not hide the others: each is one line on stderr, after the rest; exit 2.
    const failed = documents.filter((document) => document.error !== undefined);
    const unread = documents.flatMap((document) => document.unread);
    const reportFailures = (): void => {
      for (const document of failed) process.stderr.write(`mtls-fix: ${document.error ?? ''}\n`);
      // Responses that cannot be read: the verdicts above stand, but an input error is exit 2.
      for (const line of unread) process.stderr.write(`mtls-fix: ${line}\n`);
      if (failed.length > 0 || unread.length > 0) this.setExitCode(2);
    };
    // --json is one JSON document whatever was read: each input that failed carries its `error` (before session
    // 28 nothing was printed when every input failed, and `explain --json | jq` read an empty stream).
    if (flags.json) {
      await this.print(JSON.stringify({ documents, background: BACKGROUND }, null, 2));
      reportFailures();
      return;
    }
    // No document could be read (a folder, a missing or empty file): the errors alone, one line each, exit 2;
    // before session 27 the background text came first, as if something had been explained.
    if (documents.length > 0 && failed.length === documents.length) {
      reportFailures();
      return;
    }
    const out: string[] = [];
    for (const document of documents) {
      if (document.error !== undefined) continue;
      const secured = document.operations.filter((operation) => operation.mtls).length;
      const count = document.operations.length;
      // Parts that could not be read are named on stderr; the count says so, never reading as all there is.
      const unreadParts = document.unread.length;
      const notRead = unreadParts > 0 ? `; not read: ${unreadParts} (named on stderr)` : '';
      out.push(
        `${document.file}: ${count} ${count === 1 ? 'operation' : 'operations'}, ${secured} mTLS-secured${notRead}`,
      );
      // The document's own words about mTLS, which lint's mtls-unchecked names too: a declaration is missing.
      if (document.mentions.length > 0) {
        const words = document.mentions.map(
          (mention) =>
            `${mention.term}${mention.text === mention.term ? '' : ` ('${mention.text}')`}${mentionPlace(mention)}`,
        );
        out.push(`  it mentions ${words.join(', ')} but declares no mTLS`);
      }
      // Not mTLS-secured, yet a gateway it configures answers 403: lint's mtls-unchecked counts these.
      if (document.uncheckedGateway403.length > 0) {
        out.push(
          `  a gateway it configures answers 403 whatever its responses say (lint's mtls-unchecked counts ${document.uncheckedGateway403.length === 1 ? 'it' : `these ${document.uncheckedGateway403.length}`}; checked once mTLS is declared):`,
        );
        for (const answer of document.uncheckedGateway403)
          out.push(`        403 from the gateway: ${answer}`);
      }
      for (const operation of document.operations) {
        const mark = operation.mtls ? 'mTLS' : '    ';
        const forbidden = operation.documents403
          ? operation.mtls
            ? '  documents 403: lint reports it'
            : '  documents 403'
          : operation.range !== undefined
            ? `  documents ${operation.range}: lint warns (a 403 may be sent under it)`
            : '';
        out.push(`  ${mark}  ${operation.method} ${operation.path}${forbidden}`);
        for (const answer of operation.gateway403 ?? []) out.push(`        403 from the gateway: ${answer}`);
        out.push(`        why: ${operation.why}`);
        out.push(`        to change: ${operation.change}`);
      }
      for (const skipped of document.notRead) out.push(`  not read (remote $ref, never fetched): ${skipped}`);
      out.push('');
    }
    out.push(BACKGROUND);
    await this.print(out.join('\n'));
    reportFailures();
  }
}
