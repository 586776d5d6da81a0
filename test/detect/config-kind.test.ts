import { describe, expect, it } from 'vitest';
import { gatewayConfigKind } from '../../src/detect/config-kind.js';

// Session 39: the kind a file that cannot be parsed is named as, YAML and JSON (one line or many).
describe('gatewayConfigKind', () => {
  const cases: [string, string | undefined][] = [
    [
      '_format_version: "3.0"\nservices: [\n',
      'a Kong declarative configuration (decK / DB-less, _format_version)',
    ],
    [
      '{"_format_version": "3.0", "plugins": [',
      'a Kong declarative configuration (decK / DB-less, _format_version)',
    ],
    ['apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nplugin: [\n', 'a Kong KongPlugin resource'],
    [
      '{"apiVersion": "configuration.konghq.com/v1", "kind": "KongClusterPlugin", ',
      'a Kong KongPlugin resource',
    ],
    ['static_resources:\n  listeners: [\n', 'an Envoy configuration (static_resources)'],
    ['{ "static_resources": { "listeners": [ ', 'an Envoy configuration (static_resources)'],
    ['http:\n\n  middlewares:\n    a: {}\n  routers:\n    r: {\n', 'a Traefik dynamic configuration'],
    ['tls:\n  options:\n    m: {\n', 'a Traefik dynamic configuration'],
    // CRLF line ends (a file saved on Windows), blank line included.
    ['http:\r\n\r\n  routers:\r\n    r: {\r\n', 'a Traefik dynamic configuration'],
    ['tls:\r\n  options:\r\n    m: {\r\n', 'a Traefik dynamic configuration'],
    // Review 39: CRLF content lines before the key (`.` stops at the CR, so `.*\n` never matched them).
    [
      'http:\r\n  middlewares:\r\n    a:\r\n      b: c\r\n  routers:\r\n    r: {\r\n',
      'a Traefik dynamic configuration',
    ],
    ['tls:\r\n  stores:\r\n    default: {}\r\n  options:\r\n    m: {\r\n', 'a Traefik dynamic configuration'],
    ['routes:\n  - uri: /a\n#END\n', 'an Apache APISIX standalone configuration (apisix.yaml)'],
    ['{"apps": {"http": {"servers": ', 'a Caddy JSON configuration'],
    ['{"name": "a", "proxy": {"listen_path": "/a/", ', 'a Tyk API definition'],
    ['apiVersion: networking.istio.io/v1\nkind: Gateway\nspec: [\n', 'an Istio or Gateway API Gateway'],
    ['{"kind": "Ingress", "metadata": {', 'a Kubernetes Ingress'],
    ['name: my-app\nversion: [1\n', undefined],
    // A comment naming a key is no mark.
    ['# static_resources are set elsewhere\nfoo: [\n', undefined],
  ];
  for (const [text, kind] of cases) {
    it(`${JSON.stringify(text.slice(0, 40))} -> ${kind ?? 'none'}`, () => {
      expect(gatewayConfigKind(text)).toBe(kind);
    });
  }

  it('a long run of blank and indented lines under http: is answered at once (no backtracking blow-up)', () => {
    const text = `http:\n${'  \n    a: b\n'.repeat(20000)}x`;
    const started = Date.now();
    expect(gatewayConfigKind(text)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  // Review 39: `^\s*kind` (and `^\s*static_resources`) let `\s*` run from each line start over every blank line
  // after it, so a broken file with 40,000 blank lines took 10 s (36 s with whitespace-only lines). Indentation is
  // spaces and tabs (YAML 1.2 §6.1, JSON's whitespace), so the marks stop at the line's end.
  for (const [what, run] of [
    ['blank lines', '\n'],
    ['whitespace-only lines', ' \n'],
    ['U+2028 characters (line ends for a RegExp)', '\u2028'],
  ] as const) {
    it(`a run of 40,000 ${what} is answered at once`, () => {
      const text = `a: [\n${run.repeat(40000)}`;
      const started = Date.now();
      expect(gatewayConfigKind(text)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2000);
    });
  }
});
