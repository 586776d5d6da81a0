import { describe, expect, it } from 'vitest';
import { detectMtls } from '../../src/detect/index.js';
import { tempProject } from '../helpers/cli.js';

// Session 28, on bancodobrasil/api-mtls-sidecar-proxy (d1e309a, an Open Finance Brasil / PIX mTLS sidecar):
// on af2ddfa3 `detect` listed the stock `location = /50x.html { root ...; }` as a folder answering 403, and named
// both docker compose files under "Not read" ("container image named for mTLS, its settings are inside the image")
// although each such service is built (`build:`) from the tree whose nginx.conf detect had read.
const server = (locations: string): string => `server {
    listen 443 ssl;
    server_name api.bank.test;
    ssl_verify_client on;
${locations}}
`;

describe('detect: exact-match locations serve one file', () => {
  it.each([
    [
      '= /50x.html (the stock error page)',
      'location = /50x.html {\n        root /usr/share/nginx/html;\n    }',
      [],
    ],
    ['= /robots.txt', 'location = /robots.txt {\n        root /srv/www;\n    }', []],
    ['= / (a folder)', 'location = / {\n        root /srv/www;\n    }', ['/']],
    ['= /docs/ (a folder)', 'location = /docs/ {\n        root /srv/www;\n    }', ['/docs/']],
    ['a prefix location', 'location /50x.html {\n        root /srv/www;\n    }', ['/50x.html']],
  ])('%s', async (_name, location, paths) => {
    const report = await detectMtls({ cwd: tempProject({ 'nginx.conf': server(`    ${location}\n`) }) });
    expect(report.findings).toHaveLength(1);
    expect(report.forbidden.map((entry) => entry.paths[0])).toEqual(paths);
  });
});

describe('detect: an image named for mTLS', () => {
  const compose = (services: string): string => `services:\n${services}`;
  it.each([
    [
      'a compose service built from the tree',
      compose('  sidecar:\n    image: local/api-mtls-sidecar:1\n    build: .\n'),
      false,
    ],
    [
      'every such service built from the tree',
      compose(
        '  a:\n    image: local/mtls-a\n    build: a\n  b:\n    image: local/mtls-b\n    build: { context: b }\n',
      ),
      false,
    ],
    ['a compose service pulled, not built', compose('  gw:\n    image: acme/mtls-gateway:1.0\n'), true],
    [
      'one built, one pulled',
      compose('  a:\n    image: local/mtls-a\n    build: a\n  gw:\n    image: acme/mtls-gateway:1.0\n'),
      true,
    ],
    [
      'a Kubernetes Deployment',
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: acme/mtls-gateway:1.0\n',
      true,
    ],
  ])('%s: named under "Not read" is %s', async (_name, text, named) => {
    const report = await detectMtls({ cwd: tempProject({ 'deploy/docker-compose.yml': text }) });
    expect(report.skipped.some((skip) => /container image named for mTLS/.test(skip.reason))).toBe(named);
  });

  it('a Dockerfile FROM an image named for mTLS is still named (the base image is not in the tree)', async () => {
    const report = await detectMtls({
      cwd: tempProject({ Dockerfile: 'FROM acme/api-mtls-sidecar-proxy:0.0.2\n' }),
    });
    expect(report.skipped.map((skip) => skip.file)).toEqual(['Dockerfile']);
  });
});
