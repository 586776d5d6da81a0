import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { spawnAsync } from '../helpers/spawn.js';

const SPECTRAL_CLI = path.join(REPO_ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');

/**
 * Session 35 (gematik/api-erp `67e164d3`, resources/openapi/erp_fd_push_notifications.yaml: a licence comment of
 * 15 lines, then `openapi: 3.0.3`): stock Spectral places `mtls-unchecked` (path `[]`) where the document's root
 * starts, line 16; `mtls-fix lint` placed it at 1:1. Each scenario is a document that declares no mTLS, led by what
 * real files start with, in Swagger 2.0, OAS 3.0 and 3.1; the expected place is what Spectral 6.16.3 prints (read
 * from its JSON output), and both must print it.
 */
const BODY: Record<string, string> = {
  '2.0':
    'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "403": {description: no}\n',
  '3.0.3':
    'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "403": {description: no}\n',
  '3.1.0':
    'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "403": {description: no}\n',
};
const json = (version: string): string =>
  JSON.stringify({
    ...(version === '2.0' ? { swagger: '2.0' } : { openapi: version }),
    info: { title: 't', version: '1' },
    paths: { '/a': { get: { responses: { '403': { description: 'no' } } } } },
  });

/** Leading text, the file's extension, and where Spectral places the root (0-based line and character). */
const LEADS: Record<string, { lead: string; ext: 'yaml' | 'json'; at: [number, number] }> = {
  'a licence comment': { lead: '# Copyright\n# Licensed under Apache-2.0\n\n', ext: 'yaml', at: [3, 0] },
  'blank lines and an indented comment': { lead: '\n\n  # note\n', ext: 'yaml', at: [3, 0] },
  'a bare --- on line 1 (Spectral: 1:1)': { lead: '---\n', ext: 'yaml', at: [0, 0] },
  '--- with a comment on line 1 (Spectral: 1:1)': { lead: '--- # api\n', ext: 'yaml', at: [0, 0] },
  '--- then a comment': { lead: '---\n# api\n', ext: 'yaml', at: [2, 0] },
  'a comment then ---': { lead: '# api\n---\n', ext: 'yaml', at: [2, 0] },
  'a %YAML directive': { lead: '%YAML 1.2\n---\n# c\n', ext: 'yaml', at: [3, 0] },
  'a BOM and a comment (Spectral: the end of line 1)': { lead: '\uFEFF# c\n', ext: 'yaml', at: [0, 4] },
  'CRLF line ends and a comment': { lead: '# c\r\n\r\n', ext: 'yaml', at: [2, 0] },
  'nothing before the root': { lead: '', ext: 'yaml', at: [0, 0] },
  'JSON after blank lines': { lead: '\n\n', ext: 'json', at: [2, 0] },
  'JSON indented': { lead: '  ', ext: 'json', at: [0, 2] },
};

function spectralProject(): string {
  const cwd = tempProject({ '.spectral.yaml': 'extends: ["mtls-fix/ruleset"]\n' });
  mkdirSync(path.join(cwd, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(cwd, 'node_modules', 'mtls-fix'), 'dir');
  return cwd;
}

interface Result {
  code: string;
  range: { start: { line: number; character: number } };
}

const place = (results: Result[]): [number, number][] =>
  results
    .filter((result) => result.code === 'mtls-unchecked')
    .map((result) => [result.range.start.line, result.range.start.character]);

describe.each(Object.keys(BODY))(
  'mtls-unchecked is placed where Spectral places the root (%s)',
  (version) => {
    for (const [name, { lead, ext, at }] of Object.entries(LEADS)) {
      it(
        name,
        // Async (spawn, not spawnSync): 36 tests of two synchronous CLI runs each kept the worker's event loop
        // from reading vitest's replies for over 60 s, and vitest failed the run ("Timeout calling onTaskUpdate").
        async () => {
          const cwd = spectralProject();
          const file = `openapi.${ext}`;
          const body = ext === 'json' ? json(version) : BODY[version];
          const crlf = lead.includes('\r\n');
          writeFileSync(path.join(cwd, file), lead + (crlf ? body.replace(/\n/g, '\r\n') : body));
          const ours = JSON.parse(
            (await runCliAsync(['lint', file, '-f', 'json'], { cwd })).stdout,
          ) as Result[];
          expect(place(ours)).toEqual([at]);
          // Its stdout whatever its exit code (Spectral exits 1 on results).
          const stock = await spawnAsync(process.execPath, [SPECTRAL_CLI, 'lint', file, '-f', 'json'], {
            cwd,
            timeout: 120_000,
          });
          expect(place(JSON.parse(stock.stdout) as Result[])).toEqual([at]);
        },
        120_000,
      );
    }
  },
);
