import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { configFromFlags, detectionFlags } from '../cli/config-flags.js';
import { PROXY_TARGETS, generateProxyConfig, type ProxyTarget } from '../proxy/index.js';
import { writeOutputFiles } from '../util/output-file.js';

/** `mtls-fix proxy`: parse flags, call the library (src/proxy), print or write the config. */
export default class Proxy extends BaseCommand {
  static override description =
    'Generates reverse-proxy config that answers the agreed status instead of 403 on exactly the mTLS-secured ' +
    'operations of an OpenAPI document, only for requests that presented a verified client certificate: an nginx ' +
    'snippet to include in your server block, an HAProxy `backend mtls_fix`, or a Caddy `(mtls_fix)` snippet. ' +
    'For services whose code you cannot change. Every request reaches the upstream once; nothing is replayed.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> --spec openapi.yaml --target nginx --upstream http://127.0.0.1:8080 --output /etc/nginx/snippets/mtls-fix.conf',
    '<%= config.bin %> <%= command.id %> --spec openapi.yaml --target haproxy --upstream http://10.0.0.5:8080',
    '<%= config.bin %> <%= command.id %> --spec openapi.yaml --target caddy --upstream http://app:3000 --www-authenticate Bearer',
  ];

  static override flags = {
    ...detectionFlags,
    spec: Flags.string({ description: 'The OpenAPI document.', required: true }),
    target: Flags.string({
      description: 'The proxy to generate for.',
      options: [...PROXY_TARGETS],
      required: true,
    }),
    upstream: Flags.string({
      description: 'Where every request is proxied: http(s)://host:port, no path.',
      required: true,
    }),
    output: Flags.string({ char: 'o', description: 'Write the config to this file instead of stdout.' }),
    force: Flags.boolean({
      description: 'Replace the --output file even when it is not a config mtls-fix proxy wrote.',
      dependsOn: ['output'],
    }),
    'www-authenticate': Flags.string({
      description:
        'Status 401 only: the WWW-Authenticate challenge added to remapped responses (e.g. Bearer).',
    }),
  };

  static override summary =
    'Generate nginx, HAProxy or Caddy config that remaps 403 on mTLS-secured operations.';

  async run(): Promise<void> {
    const { flags } = await this.parse(Proxy);
    const cwd = process.cwd();
    const config = await configFromFlags(flags, cwd);
    const result = generateProxyConfig({
      spec: flags.spec,
      target: flags.target as ProxyTarget,
      upstream: flags.upstream,
      config,
      wwwAuthenticate: flags['www-authenticate'],
      cwd,
    });
    if (flags.output) {
      // Replaced only when it is a config mtls-fix proxy wrote (its header comment), or --force: an nginx.conf
      // named by mistake is a user's work (breaker31 #08).
      writeOutputFiles([
        {
          path: path.resolve(cwd, flags.output),
          text: result.text,
          display: flags.output,
          kind: 'a proxy config',
          option: '--output',
          ours: (existing) => existing.startsWith('# mtls-fix proxy ('),
          force: flags.force,
        },
      ]);
    } else {
      await this.print(result.text);
    }
    const what =
      result.mtlsOperationCount === 0
        ? 'no operation is mTLS-secured, so the config proxies every request and remaps nothing (see `mtls-fix lint` for what counts as mTLS)'
        : `remapping 403 to ${result.status} on ${result.mtlsOperationCount} of ${result.operationCount} operations (mTLS-secured)`;
    process.stderr.write(
      `mtls-fix proxy (${result.target}): ${flags.spec}: ${what}${flags.output ? `; wrote ${flags.output}` : ''}.\n`,
    );
  }
}
