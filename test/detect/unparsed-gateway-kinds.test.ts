import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 40 (fix40a): a gateway configuration that fails to parse and holds no certificate setting was never
// parsed by any reader, so nothing named it and the report read "No mTLS termination found in 1 file." (exit 0
// under --check). Each known kind of configuration (src/detect/config-kind.ts) is now named under "Not read" with
// its kind, the first line says the result is not clean, and --check exits 2, as for session 39's broken files.

const cases: { name: string; file: string; text: string; kind: string }[] = [
  {
    name: 'a decK kong.yaml',
    file: 'kong.yaml',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    url: http://x\n    routes:\n      - name: r\n        paths: [/a\n   bad: : :\n',
    kind: 'a Kong declarative configuration (decK / DB-less, _format_version)',
  },
  {
    name: 'a KongPlugin resource',
    file: 'plugin.yaml',
    text: 'apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata:\n  name: acl\nconfig: {allow: [a\nplugin: acl\n',
    kind: 'a Kong KongPlugin resource',
  },
  {
    name: 'an Envoy bootstrap',
    file: 'envoy.yaml',
    text: 'static_resources:\n  listeners:\n  - name: l\n    address: [oops\n    filter_chains: []\n',
    kind: 'an Envoy configuration (static_resources)',
  },
  {
    name: 'a Traefik dynamic configuration',
    file: 'dynamic.yml',
    text: 'http:\n  routers:\n    r:\n      rule: Host(`a.example`)\n      service: {name: s\n',
    kind: 'a Traefik dynamic configuration',
  },
  {
    name: 'a Caddy JSON configuration',
    file: 'caddy.json',
    text: '{\n  "apps": {"http": {"servers": {"s": {"listen": [":443"]}}}\n',
    kind: 'a Caddy JSON configuration',
  },
  {
    name: 'a Gateway API Gateway',
    file: 'gateway.yaml',
    text: 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n  listeners: [{name: https\n',
    kind: 'an Istio or Gateway API Gateway',
  },
  {
    name: 'a Kubernetes Ingress',
    file: 'ingress.yaml',
    text: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules: [{host: a.example\n',
    kind: 'a Kubernetes Ingress',
  },
];

describe('detect: a broken gateway configuration with no certificate setting is named, never passed as clean', () => {
  for (const { name, file, text, kind } of cases) {
    it(name, async () => {
      const cwd = tempProject({ [file]: text });
      const run = await runCliAsync(['detect'], { cwd });
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(
        'No mTLS termination found in 1 file, but 1 file could not be read (under "Not read" below): not a clean result.',
      );
      expect(lines.some((line) => line.startsWith(`  ${file}: cannot parse (${kind}): `))).toBe(true);
      const json = JSON.parse((await runCliAsync(['detect', '--json'], { cwd })).stdout) as {
        skipped: { file: string; unreadable?: boolean }[];
      };
      expect(json.skipped).toEqual([expect.objectContaining({ file, unreadable: true })]);
      expect((await runCliAsync(['detect', '--check'], { cwd })).code).toBe(2);
    });
  }

  it('a broken YAML file of no known kind and no certificate setting is still not named', async () => {
    const cwd = tempProject({ 'other.yaml': 'name: x\nitems: [1\n' });
    const run = await runCliAsync(['detect'], { cwd });
    expect(run.stdout.split('\n')[0]).toBe('No mTLS termination found in 1 file.');
  });
});
