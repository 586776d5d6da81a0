import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import type { ConflictMode } from '../../src/fix/types.js';
import { lint } from '../../src/lint/run.js';
import { configOf, runFix } from './helpers.js';

/**
 * Issue 14 §6: one `responses` map may spell 403 more than once (`403` and `'403 '`; the model trims keys).
 * Each spelling is a finding, and one `fix` run fixes all of them (a second run has nothing to do).
 */
const YAML_HEAD =
  'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n';

function yaml(entries: string): string {
  return YAML_HEAD + entries;
}

function json(entries: string): string {
  return (
    '{\n  "openapi": "3.1.0",\n  "info": {"title": "t", "version": "1"},\n  "x-mtls": true,\n' +
    `  "paths": {\n    "/a": {\n      "get": {\n        "responses": {\n${entries}\n        }\n      }\n    }\n  }\n}\n`
  );
}

async function codes(folder: string, name: string): Promise<string[]> {
  const report = await lint({ files: [name], config: configOf({}), cwd: folder });
  return report.results.map((result) => `${result.code} ${String(result.path.at(-1))}`);
}

interface Scenario {
  name: string;
  file: string;
  text: string;
  onConflict?: ConflictMode;
  /** Findings before, as `rule key`. */
  before: string[];
  /** The actions of the one fix run, in line order. */
  actions: string[];
  after: string;
  /** Findings after the one run (4XX shows once no 403 hides it). */
  remaining?: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'YAML: 403 and "403 " (no 401 yet): the first is renamed, the second removed beside it',
    file: 'openapi.yaml',
    text: yaml('        403:\n          description: one\n        "403 ":\n          description: two\n'),
    before: ['mtls-no-403 403', 'mtls-no-403 403 '],
    actions: ['renamed', 'removed'],
    after: yaml('        401:\n          description: one\n'),
  },
  {
    name: "YAML: ' 403' written first, 0x193 (an integer 403) second",
    file: 'openapi.yaml',
    text: yaml("        ' 403':\n          description: two\n        0x193:\n          description: one\n"),
    // 0x193 is located at its own line (session 12), after ' 403'.
    before: ['mtls-no-403  403', 'mtls-no-403 403'],
    actions: ['removed', 'renamed'],
    after: yaml('        401:\n          description: one\n'),
  },
  {
    name: 'YAML: two spellings beside an existing 401: both removed',
    file: 'openapi.yaml',
    text: yaml(
      "        '401': {description: who}\n        '403': {description: no}\n        '403\t': {description: no}\n",
    ),
    before: ['mtls-no-403 403', 'mtls-no-403 403\t'],
    actions: ['removed', 'removed'],
    after: yaml("        '401': {description: who}\n"),
  },
  {
    name: 'YAML, --on-conflict merge: the second spelling is folded into the first, renamed',
    file: 'openapi.yaml',
    onConflict: 'merge',
    text: yaml(
      "        '403':\n          description: one\n        '403 ':\n          description: two\n" +
        '          headers:\n            X-Reason:\n              schema: {type: string}\n',
    ),
    before: ['mtls-no-403 403', 'mtls-no-403 403 '],
    actions: ['renamed', 'merged'],
    after: yaml(
      "        '401':\n          description: |-\n            one\n\n            two\n" +
        '          headers:\n            X-Reason:\n              schema:\n                type: string\n',
    ),
  },
  {
    name: 'YAML, --on-conflict report: the first is renamed, the second left and reported',
    file: 'openapi.yaml',
    onConflict: 'report',
    text: yaml("        '403': {description: one}\n        '403 ': {description: two}\n"),
    before: ['mtls-no-403 403', 'mtls-no-403 403 '],
    actions: ['renamed', 'conflict'],
    after: yaml("        '401': {description: one}\n        '403 ': {description: two}\n"),
    remaining: ['mtls-no-403 403 '],
  },
  {
    name: 'YAML: two 403 spellings and a 4XX: the 4XX is reported only once no 403 hides it',
    file: 'openapi.yaml',
    text: yaml(
      "        4XX: {description: any}\n        '403': {description: one}\n        ' 403': {description: two}\n",
    ),
    before: ['mtls-no-403 403', 'mtls-no-403  403'],
    actions: ['renamed', 'removed'],
    after: yaml("        4XX: {description: any}\n        '401': {description: one}\n"),
    remaining: ['mtls-4xx-range 4XX'],
  },
  {
    name: 'YAML: 4XX and 4xx (no 403): each range key is reported; fix changes nothing',
    file: 'openapi.yaml',
    text: yaml('        4XX: {description: any}\n        4xx: {description: any}\n'),
    before: ['mtls-4xx-range 4XX', 'mtls-4xx-range 4xx'],
    actions: [],
    after: yaml('        4XX: {description: any}\n        4xx: {description: any}\n'),
    remaining: ['mtls-4xx-range 4XX', 'mtls-4xx-range 4xx'],
  },
  {
    name: 'JSON: "403 " written before "403": one run fixes both',
    file: 'openapi.json',
    text: json(
      '          "403 ": {"description": "two"},\n          "403": {\n            "description": "one"\n          }',
    ),
    before: ['mtls-no-403 403 ', 'mtls-no-403 403'],
    actions: ['removed', 'renamed'],
    after: json('          "401": {\n            "description": "one"\n          }'),
  },
  {
    name: 'JSON: an escaped 403 ("\\u0034\\u0030\\u0033") and " 403" beside an existing 401',
    file: 'openapi.json',
    text: json(
      '          "401": {"description": "who"},\n          "\\u0034\\u0030\\u0033": {"description": "no"},\n' +
        '          " 403": {"description": "no"}',
    ),
    before: ['mtls-no-403 403', 'mtls-no-403  403'],
    actions: ['removed', 'removed'],
    after: json('          "401": {"description": "who"}'),
  },
  {
    name: 'JSON on one line: three spellings after a 401, the last members of the map, all removed',
    file: 'openapi.json',
    text: json(
      '{"401": {"description": "who"}, "403": {"description": "no"}, " 403": {}, "403 ": {}}',
    ).replace(/"responses": \{\n(.*)\n\s*\}/, '"responses": $1'),
    before: ['mtls-no-403 403', 'mtls-no-403  403', 'mtls-no-403 403 '],
    actions: ['removed', 'removed', 'removed'],
    after: json('{"401": {"description": "who"}}').replace(/"responses": \{\n(.*)\n\s*\}/, '"responses": $1'),
  },
  {
    name: 'YAML flow map: 401 first, then two spellings of 403, all in one line',
    file: 'openapi.yaml',
    text: yaml(
      "        '200': {description: ok}\n      x: {'401': {description: who}, '403': {description: no}, '403 ': {description: no}}\n",
    ).replace("      responses:\n        '200': {description: ok}\n      x: ", '      responses: '),
    before: ['mtls-no-403 403', 'mtls-no-403 403 '],
    actions: ['removed', 'removed'],
    after: YAML_HEAD.replace('      responses:\n', "      responses: {'401': {description: who}}\n"),
  },
];

describe('fix: several spellings of 403 in one responses map (issue 14 §6)', () => {
  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      async () => {
        const folder = tempProject({ [scenario.file]: scenario.text });
        expect(await codes(folder, scenario.file)).toEqual(scenario.before);
        const report = runFix(folder, scenario.file, { onConflict: scenario.onConflict });
        expect(report.errors).toEqual([]);
        expect(report.documents[0].changes.map((change) => change.action)).toEqual(scenario.actions);
        const after = readFileSync(path.join(folder, scenario.file), 'utf8');
        expect(after).toBe(scenario.after);
        expect(await codes(folder, scenario.file)).toEqual(scenario.remaining ?? []);
        // A second run changes nothing.
        runFix(folder, scenario.file, { onConflict: scenario.onConflict });
        expect(readFileSync(path.join(folder, scenario.file), 'utf8')).toBe(after);
      },
      60_000,
    );
  }
});
