import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 39 (newuser39): a gateway configuration detect finds but cannot parse (a decK file with a syntax slip)
// read "No mTLS termination found in 1 file." above a bare "cannot parse" entry: the first line read clean, and the
// entry said neither that the file was Kong's configuration nor that it turns on mtls-auth. Now the entry names
// the configuration kind and the mTLS setting with its line, and the first line says the result is not clean.

/** A decK file whose route `hosts` flow list is never closed (line 7); mtls-auth at line 9, acl at line 12. */
const BROKEN_DECK = `_format_version: "3.0"
services:
  - name: accounts
    url: http://accounts:8080
    routes:
      - name: accounts
        hosts: [api.bank.example
plugins:
  - name: mtls-auth
    config:
      ca_certificates: [0e6f6a5e-1111-2222-3333-444455556666]
  - name: acl
    config: { allow: [partners] }
`;

const cases: {
  name: string;
  files: Record<string, string>;
  first: string;
  entry: RegExp;
}[] = [
  {
    name: 'a decK kong.yaml turning on mtls-auth',
    files: { 'kong/kong.yaml': BROKEN_DECK },
    first:
      'No mTLS termination read in 1 file, but 1 file holds mTLS server settings in a form mtls-fix does not read (under "Not read" below): not a clean result.',
    entry:
      /^ {2}kong\/kong\.yaml: cannot parse \(a Kong declarative configuration \(decK \/ DB-less, _format_version\)\): .*\(line 8\); it holds an mTLS server setting at line 9 \(`name: mtls-auth`, Kong Gateway\), so nothing of it is in the proposal/,
  },
  {
    name: 'the same decK configuration as JSON (kong.json), a trailing brace missing',
    files: {
      'kong.json':
        '{\n  "_format_version": "3.0",\n  "plugins": [\n    { "name": "mtls-auth", "config": { "ca_certificates": ["x"] } }\n  ]\n',
    },
    first:
      'No mTLS termination read in 1 file, but 1 file holds mTLS server settings in a form mtls-fix does not read (under "Not read" below): not a clean result.',
    entry:
      /^ {2}kong\.json: cannot parse \(a Kong declarative configuration \(decK \/ DB-less, _format_version\)\): .*; it holds an mTLS server setting at line 4 \(`"name": "mtls-auth"`, Kong Gateway\)/,
  },
  {
    name: 'an Envoy bootstrap requiring client certificates',
    files: {
      'envoy.yaml':
        'static_resources:\n  listeners:\n  - name: l\n    address: [oops\n    filter_chains:\n    - transport_socket:\n        typed_config:\n          require_client_certificate: true\n',
    },
    first:
      'No mTLS termination read in 1 file, but 1 file holds mTLS server settings in a form mtls-fix does not read (under "Not read" below): not a clean result.',
    entry:
      /^ {2}envoy\.yaml: cannot parse \(an Envoy configuration \(static_resources\)\): .*; it holds an mTLS server setting at line 8 \(`require_client_certificate: true`/,
  },
  {
    name: 'a Traefik dynamic configuration with a clientAuth TLS option',
    files: {
      'dynamic.yml':
        'http:\n  routers:\n    r:\n      rule: Host(`api.bank.example`)\n      tls: {options: m\ntls:\n  options:\n    m:\n      clientAuth:\n        clientAuthType: RequireAndVerifyClientCert\n',
    },
    first:
      'No mTLS termination read in 1 file, but 1 file holds mTLS server settings in a form mtls-fix does not read (under "Not read" below): not a clean result.',
    entry:
      /^ {2}dynamic\.yml: cannot parse \(a Traefik dynamic configuration\): .*; it holds an mTLS server setting at line 10/,
  },
];

describe('detect: a gateway configuration it cannot parse is named as one; the first line is not clean', () => {
  for (const { name, files, first, entry } of cases) {
    it(name, async () => {
      const cwd = tempProject(files);
      const run = await runCliAsync(['detect'], { cwd });
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(first);
      expect(lines.some((line) => entry.test(line))).toBe(true);
      const json = JSON.parse((await runCliAsync(['detect', '--json'], { cwd })).stdout) as {
        skipped: { unreadable?: boolean }[];
      };
      expect(json.skipped.map((skip) => skip.unreadable)).toEqual([true]);
      expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(2);
    });
  }

  // Review 39: the two other shapes of the entry were untested: a gateway configuration holding no setting mtls-fix
  // names (its first line: 'could not be read'), and a broken file of no known kind (the parser's words alone).
  const unknown: { name: string; files: Record<string, string>; entry: string }[] = [
    {
      name: 'an Envoy bootstrap with a validation_context but no require_client_certificate',
      files: {
        'envoy.yaml':
          'static_resources:\n  listeners:\n  - name: l\n    address: [oops\n    filter_chains:\n    - transport_socket:\n        typed_config:\n          common_tls_context:\n            validation_context:\n              trusted_ca: { filename: /ca.pem }\n',
      },
      entry:
        '  envoy.yaml: cannot parse (an Envoy configuration (static_resources)): Flow sequence in block collection must be sufficiently indented and end with a ] (line 5); whether it asks for a client certificate, and which 403s it answers, is unknown: fix the file',
    },
    {
      name: 'a file of no known kind',
      files: { 'other.yaml': 'name: x\nclient_auth: [1\n' },
      entry:
        '  other.yaml: cannot parse: Flow sequence in block collection must be sufficiently indented and end with a ] (line 3)',
    },
  ];
  for (const { name, files, entry } of unknown) {
    it(`${name}: 'could not be read' on the first line, the entry as written; --check exits 2`, async () => {
      const cwd = tempProject(files);
      const run = await runCliAsync(['detect'], { cwd });
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(
        'No mTLS termination found in 1 file, but 1 file could not be read (under "Not read" below): not a clean result.',
      );
      expect(lines).toContain(entry);
      expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(2);
    });
  }

  it('a decK file with a Helm-style {{ }} value is read without a process warning on stderr', async () => {
    const cwd = tempProject({
      'kong.yaml':
        '_format_version: "3.0"\nservices:\n  - name: a\n    url: {{ .Values.upstream }}\n    routes:\n      - hosts: [api.bank.example]\nplugins:\n  - name: mtls-auth\n    config: { ca_certificates: [x] }\n',
    });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout.split('\n')[0]).toBe('1 place where mTLS is terminated (1 file scanned):');
    expect(run.stderr).toBe('');
  });
});

describe('detect: Kong configured through its Admin API is named with the setting quoted whole', () => {
  const calls: { name: string; file: string; text: string; quoted: string }[] = [
    {
      name: 'curl with a JSON body',
      file: 'setup.sh',
      text: `#!/bin/sh\ncurl -X POST http://kong:8001/plugins -H 'Content-Type: application/json' -d '{"name": "mtls-auth", "config": {"ca_certificates": ["x"]}}'\n`,
      quoted: '"name": "mtls-auth"',
    },
    {
      name: 'curl with form data',
      file: 'setup.sh',
      text: '#!/bin/sh\ncurl -sS -X POST http://localhost:8001/services/accounts/plugins --data "name=mtls-auth"\n',
      quoted: '"name=mtls-auth"',
    },
    {
      name: 'Python requests',
      file: 'kong_setup.py',
      text: 'import requests\nrequests.post("http://kong:8001/plugins", json={"name": "mtls-auth"})\n',
      quoted: '"name": "mtls-auth"',
    },
    {
      name: 'an Ansible uri task',
      file: 'playbook.yml',
      text: '- name: enable mtls\n  uri:\n    url: "http://kong:8001/plugins"\n    method: POST\n    body_format: json\n    body:\n      name: mtls-auth\n',
      quoted: 'name: mtls-auth',
    },
  ];
  for (const { name, file, text, quoted } of calls) {
    it(name, async () => {
      const cwd = tempProject({ [file]: text });
      const run = await runCliAsync(['detect'], { cwd });
      expect(run.stdout.split('\n')[0]).toMatch(
        /^No mTLS termination read in 1 file, but 1 file holds mTLS server settings/,
      );
      expect(run.stdout).toContain(`(\`${quoted}\`, Kong Gateway)`);
    });
  }
});
