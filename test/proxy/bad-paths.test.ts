import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

/**
 * `proxy` cannot match a path that holds characters a request path cannot carry unencoded. Before (90e640c) it
 * named only the first such path, with no file or line (`mtls-fix: GET /über/{id}: path ... unencoded.`): a user
 * fixed it, ran again and met the next. Now every one is named at its key, with the characters, one line each.
 */

const YAML_DOC = [
  'openapi: 3.0.3',
  'info: {title: t, version: "1"}',
  'x-mtls: true',
  'servers: [{url: "https://mtls.bank.example/api"}]',
  'paths:',
  '  /ok/{id}: {get: {responses: {"403": {description: no}}}}',
  '  /über/{id}: {get: {responses: {"403": {description: no}}}}',
  '  "/q\'x\\"y": {get: {responses: {"403": {description: no}}}}',
  '  /with space/{id}: {get: {responses: {"403": {description: no}}}}',
  '',
].join('\n');

const JSON_DOC = JSON.stringify(
  {
    swagger: '2.0',
    info: { title: 't', version: '1' },
    'x-mtls': true,
    basePath: '/api',
    paths: {
      '/ok/{id}': { get: { responses: { 403: { description: 'no' } } } },
      '/tab\there': { get: { responses: { 403: { description: 'no' } } } },
      '/a<b>': { get: { responses: { 403: { description: 'no' } } } },
    },
  },
  null,
  2,
);

describe('proxy: every path it cannot match is named at its key', () => {
  for (const target of ['nginx', 'haproxy', 'caddy']) {
    it(target, () => {
      const cwd = tempProject({ 'openapi.yaml': YAML_DOC, 'swagger.json': JSON_DOC });
      const yaml = runCli(
        [
          'proxy',
          '--spec',
          'openapi.yaml',
          '--target',
          target,
          '--upstream',
          'http://127.0.0.1:8080',
          '-o',
          'out.conf',
        ],
        { cwd },
      );
      expect(yaml.code).toBe(2);
      expect(yaml.stderr.trim().split('\n')).toEqual([
        `mtls-fix: openapi.yaml:7:3: GET /über/{id}: path '/api/über/{id}' holds characters a request path cannot carry unencoded ("ü"). Percent-encode them in the document.`,
        `mtls-fix: openapi.yaml:8:3: GET /q'x"y: path '/api/q'x"y' holds characters a request path cannot carry unencoded ("\\""). Percent-encode them in the document.`,
        `mtls-fix: openapi.yaml:9:3: GET /with space/{id}: path '/api/with space/{id}' holds characters a request path cannot carry unencoded (" "). Percent-encode them in the document.`,
      ]);
      expect(existsSync(path.join(cwd, 'out.conf'))).toBe(false);
      const json = runCli(
        ['proxy', '--spec', 'swagger.json', '--target', target, '--upstream', 'http://127.0.0.1:8080'],
        {
          cwd,
        },
      );
      expect(json.code).toBe(2);
      expect(json.stdout).toBe('');
      expect(json.stderr.trim().split('\n')).toEqual([
        `mtls-fix: swagger.json:19:5: GET /tab\there: path '/api/tab\there' holds characters a request path cannot carry unencoded ("\\t"). Percent-encode them in the document.`,
        `mtls-fix: swagger.json:28:5: GET /a<b>: path '/api/a<b>' holds characters a request path cannot carry unencoded ("<", ">"). Percent-encode them in the document.`,
      ]);
    });
  }

  // Before (90e640c) a Swagger 2.0 document without `host` lost its `basePath`: the routes matched `/a/{id}`
  // while requests come to `/api/v2/a/{id}`, so no 403 was ever remapped, and nothing said so.
  it('a Swagger 2.0 basePath without host prefixes every route, for each target', () => {
    const cwd = tempProject({
      'swagger.json': JSON.stringify({
        swagger: '2.0',
        info: { title: 't', version: '1' },
        'x-mtls': true,
        basePath: '/api/v2',
        paths: { '/a/{id}': { get: { responses: { 403: { description: 'no' } } } } },
      }),
    });
    for (const target of ['nginx', 'haproxy', 'caddy']) {
      const run = runCli(
        ['proxy', '--spec', 'swagger.json', '--target', target, '--upstream', 'http://127.0.0.1:8080'],
        {
          cwd,
        },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('^/api/v2/a/[^/]+/?$');
      expect(run.stdout).not.toMatch(/\^\/a\//);
    }
  });
});
