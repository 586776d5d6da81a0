import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

/**
 * Files written in UTF-16 or UTF-32, with or without a byte order mark (YAML 1.2 §5.2 and RFC 4627 §3 tell them
 * apart by the BOM or the zero bytes around the first character). Windows PowerShell 5's `>` writes UTF-16LE with a
 * BOM. Before: an OpenAPI document in UTF-32LE was "UTF-16 is not supported (UTF-16LE byte order mark)", one with
 * no BOM a "binary file"; a config file in UTF-16 "invalid config file: null byte is not allowed in input"; detect
 * skipped a UTF-16 nginx.conf or Ingress in silence (its mTLS server and its 403 never named).
 */

const SPEC =
  'openapi: 3.0.3\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n' +
  '        "403": {description: no}\n';

/** `text` in `encoding`, with or without its BOM. */
function encode(text: string, encoding: string, bom: boolean): Buffer {
  const units = [...text];
  const wide = encoding.startsWith('UTF-32') ? 4 : 2;
  const little = encoding.endsWith('LE');
  const chunks: Buffer[] = [];
  for (const char of bom ? ['\uFEFF', ...units] : units) {
    const code = char.codePointAt(0) ?? 0;
    const bytes = Buffer.alloc(wide);
    if (wide === 4) {
      if (little) bytes.writeUInt32LE(code);
      else bytes.writeUInt32BE(code);
    } else if (little) bytes.writeUInt16LE(code);
    else bytes.writeUInt16BE(code);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

const ENCODINGS = ['UTF-16LE', 'UTF-16BE', 'UTF-32LE', 'UTF-32BE'].flatMap((encoding) =>
  [true, false].map((bom) => ({ encoding, bom })),
);

describe('files in UTF-16 / UTF-32 are named as such', () => {
  for (const { encoding, bom } of ENCODINGS) {
    const what = `${encoding} ${bom ? 'with' : 'without'} a BOM`;

    it(`lint and fix of a document in ${what}`, () => {
      const bytes = encode(SPEC, encoding, bom);
      const cwd = tempProject({ 'spec.yaml': bytes });
      const expected = new RegExp(
        `^mtls-fix: spec\\.yaml: ${encoding.slice(0, 6)} is not supported \\(${encoding} text, ${bom ? 'byte order mark' : 'no byte order mark'}.*Save the file as UTF-8 \\(e\\.g\\. iconv -f ${encoding} -t UTF-8\\)`,
      );
      for (const command of ['lint', 'fix']) {
        const run = runCli([command, 'spec.yaml'], { cwd });
        expect(run.code).toBe(2);
        expect(run.stderr.split('\n')[0]).toMatch(expected);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
      expect(readFileSync(path.join(cwd, 'spec.yaml'))).toEqual(bytes);
    });

    it(`a config file in ${what}`, () => {
      const cwd = tempProject({
        'spec.yaml': SPEC,
        'mtls-fix.config.yaml': encode('status: 401\nmtls:\n  everywhere: true\n', encoding, bom),
      });
      const run = runCli(['lint', 'spec.yaml'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toMatch(
        new RegExp(
          `^mtls-fix: .*mtls-fix\\.config\\.yaml: invalid config file: ${encoding.slice(0, 6)} is not supported \\(${encoding} text, .*Save the file as UTF-8`,
        ),
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('detect reads UTF-16 files (nginx, an Ingress) at their lines and names UTF-32 ones', () => {
    const nginx =
      'server {\n  listen 443 ssl;\n  server_name mtls.bank.example;\n  ssl_verify_client on;\n' +
      '  location / { return 403; }\n}\n';
    const ingress =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n' +
      '    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"\n' +
      '    nginx.ingress.kubernetes.io/auth-tls-secret: "default/ca"\n' +
      'spec:\n  rules:\n    - host: api.bank.example\n';
    const cwd = tempProject({
      'le/nginx.conf': encode(nginx, 'UTF-16LE', true),
      'be/nginx.conf': encode(nginx.replace('mtls.', 'mtls2.'), 'UTF-16BE', false),
      'k8s/ingress.yaml': encode(ingress, 'UTF-16LE', true),
      'old/nginx.conf': encode(nginx, 'UTF-32LE', true),
      'cr/nginx.conf': nginx.replace('mtls.', 'mtls3.').replace(/\n/g, '\r'),
    });
    const run = runCli(['detect', '.', '--json'], { cwd });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as {
      findings: { file: string; line: number; hosts: string[] }[];
      forbidden: { file: string; line: number }[];
      skipped: { file: string; reason: string }[];
    };
    const findings = report.findings.map(({ file, line, hosts }) => [file, line, hosts]);
    expect(findings).toEqual(
      expect.arrayContaining([
        ['le/nginx.conf', 4, ['mtls.bank.example']],
        ['be/nginx.conf', 4, ['mtls2.bank.example']],
        ['cr/nginx.conf', 4, ['mtls3.bank.example']],
        ['k8s/ingress.yaml', 6, ['api.bank.example']],
      ]),
    );
    expect(report.forbidden.map(({ file, line }) => [file, line])).toEqual(
      expect.arrayContaining([
        ['le/nginx.conf', 5],
        ['be/nginx.conf', 5],
        ['cr/nginx.conf', 5],
      ]),
    );
    expect(report.skipped).toContainEqual({
      file: 'old/nginx.conf',
      reason: expect.stringMatching(/UTF-32LE text, byte order mark, .*save it as UTF-8/) as unknown,
      // A file detect cannot decode is unreadable: `detect --check` fails on it (session 41, detect41).
      unreadable: true,
    });
  });
});
