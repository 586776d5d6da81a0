import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FixMode } from '../../src/fix/types.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { runFix, type FixtureOptions } from './helpers.js';

// breaker36 #03: a node `fix` edits or removes that carries a YAML anchor an alias (or merge key) elsewhere reads
// is shared, as the alias side already was. Before: the header was written into the anchored node (a non-mTLS
// operation's 403 gained it, exit 0), and removing the anchored 403 ended in the write-back check's internal
// "would not parse back ... (please report it)". Each case: what fix does, why, and that every other reader's
// data is what it was.

const HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-mtls: true\npaths:\n";

interface Case {
  name: string;
  input: string;
  options: FixtureOptions;
  /** Each key's action, in report order. */
  actions: string[];
  /** The first change's reason. */
  reason: RegExp;
  /** Whether the text may change at all (a rename of the key alone). */
  changes: boolean;
  /** Paths (of the data) whose value must read the same after the fix: the other readers. */
  others: string[][];
}

const CASES: Case[] = [
  {
    name: '--www-authenticate: the 403 is an anchor a non-mTLS 403 aliases; the key is renamed, no header',
    input:
      HEAD +
      "  /a:\n    get:\n      responses:\n        '403': &forbidden\n          description: no\n" +
      "  /b:\n    x-mtls: false\n    get:\n      responses:\n        '403': *forbidden\n",
    options: { wwwAuthenticate: 'Bearer' },
    actions: ['renamed'],
    reason:
      /^it is a YAML anchor other nodes alias: &forbidden \(line 8\), also read at line 14 \(GET \/b\); add WWW-Authenticate by hand$/,
    changes: true,
    others: [['paths', '/b']],
  },
  {
    name: '--www-authenticate: a non-mTLS 403 merges the anchor (<<: *forbidden)',
    input:
      HEAD +
      "  /a:\n    get:\n      responses:\n        '403': &forbidden\n          description: no\n" +
      "  /b:\n    x-mtls: false\n    get:\n      responses:\n        '403':\n          <<: *forbidden\n" +
      '          description: mine\n',
    options: { wwwAuthenticate: 'Bearer' },
    actions: ['renamed'],
    reason: /&forbidden \(line 8\), also read through a merge key \(<<\) at line 15 \(GET \/b\)/,
    changes: true,
    others: [['paths', '/b']],
  },
  {
    name: '--www-authenticate: the 403 headers map is an anchor another response aliases',
    input:
      HEAD +
      "  /a:\n    get:\n      responses:\n        '403':\n          description: no\n" +
      '          headers: &h\n            X-Rate: {schema: {type: string}}\n' +
      "  /b:\n    x-mtls: false\n    get:\n      responses:\n        '403':\n          description: b\n" +
      '          headers: *h\n',
    options: { wwwAuthenticate: 'Bearer' },
    actions: ['renamed'],
    reason: /^it is a YAML anchor other nodes alias: &h \(line 10\), also read at line 18 \(GET \/b\)/,
    changes: true,
    others: [['paths', '/b']],
  },
  {
    name: '--www-authenticate: a component response aliases the anchored 403',
    input:
      HEAD.replace('paths:\n', '') +
      "paths:\n  /a:\n    get:\n      responses:\n        '403': &forbidden\n          description: no\n" +
      'components:\n  responses:\n    Forbidden: *forbidden\n',
    options: { wwwAuthenticate: 'Bearer' },
    actions: ['renamed'],
    reason: /also read at line 12 \(#\/components\/responses\/Forbidden\)/,
    changes: true,
    others: [['components']],
  },
  {
    name: 'keep beside a 401: removing the anchored 403 would leave *forbidden undefined',
    input:
      HEAD +
      "  /a:\n    get:\n      responses:\n        '401': {description: who}\n        '403': &forbidden\n" +
      "          description: no\n  /b:\n    x-mtls: false\n    get:\n      responses:\n        '403': *forbidden\n",
    options: {},
    actions: ['skipped'],
    reason:
      /^the 403 holds YAML anchor &forbidden \(line 9\), also read at line 15 \(GET \/b\): removing it would leave that alias undefined; move the anchor/,
    changes: false,
    others: [['paths']],
  },
  {
    name: 'merge beside a 401: the anchored 403 is not removed either',
    input:
      HEAD +
      "  /a:\n    get:\n      responses:\n        '401': {description: who}\n        '403': &forbidden\n" +
      "          description: no\n  /b:\n    x-mtls: false\n    get:\n      responses:\n        '403': *forbidden\n",
    options: { onConflict: 'merge' },
    actions: ['skipped'],
    reason: /removing it would leave that alias undefined/,
    changes: false,
    others: [['paths']],
  },
  {
    name: 'keep beside a 401: an anchor deep in the 403 (an example) that another response aliases',
    input:
      HEAD +
      "  /a:\n    get:\n      responses:\n        '401': {description: who}\n        '403':\n          description: no\n" +
      '          content:\n            application/json:\n              example: &denied {code: denied}\n' +
      "  /b:\n    x-mtls: false\n    get:\n      responses:\n        '400':\n          description: bad\n" +
      '          content:\n            application/json:\n              example: *denied\n',
    options: {},
    actions: ['skipped'],
    reason: /the 403 holds YAML anchor &denied \(line 13\), also read at line 22 \(GET \/b\)/,
    changes: false,
    others: [['paths']],
  },
  {
    name: 'merge into a kept 401 that is an anchor a non-mTLS 401 aliases: falls back to keep, the 401 unchanged',
    input:
      HEAD +
      "  /a:\n    get:\n      responses:\n        '401': &who\n          description: who\n        '403':\n" +
      '          description: no\n          content: {application/json: {schema: {type: object}}}\n' +
      "  /b:\n    x-mtls: false\n    get:\n      responses:\n        '401': *who\n",
    options: { onConflict: 'merge' },
    actions: ['removed'],
    reason:
      /^the kept 401 is a YAML anchor other nodes alias: &who \(line 8\), also read at line 17 \(GET \/b\); fold the rest into it by hand$/,
    changes: true,
    others: [
      ['paths', '/b'],
      ['paths', '/a', 'get', 'responses', '401'],
    ],
  },
  {
    name: 'a responses map anchored and read by an extension (x-copy: *common): the key is left',
    input:
      HEAD +
      "  /a:\n    get:\n      responses: &common\n        '403':\n          description: no\nx-copy: *common\n",
    options: {},
    actions: ['skipped'],
    reason:
      /^the 403 is under YAML anchor &common \(line 7\), also read at line 10 \(#\/x-copy\), which this run does not migrate/,
    changes: false,
    others: [['x-copy']],
  },
];

/** The value at `at` of the YAML text, merge keys applied as a reader applies them. */
function valueAt(text: string, at: string[]): unknown {
  let value: unknown = parse(text, { merge: true });
  for (const segment of at) value = (value as Record<string, unknown> | undefined)?.[segment];
  return value;
}

describe('fix: a node with a YAML anchor other places alias is shared (breaker36 #03)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const folder = tempProject({ 'openapi.yaml': c.input });
      const report = runFix(folder, 'openapi.yaml', c.options);
      const text = readFileSync(path.join(folder, 'openapi.yaml'), 'utf8');
      const changes = report.documents[0].changes;
      expect(report.errors).toEqual([]);
      expect(changes.map((change) => change.action)).toEqual(c.actions);
      expect(changes[0].reason).toMatch(c.reason);
      expect(changes[0].reason).not.toMatch(/please report/);
      expect(changes[0].added).toEqual([]);
      if (!c.changes) expect(text).toBe(c.input);
      // The text parses, and every other reader reads what it read before.
      for (const at of c.others) expect(valueAt(text, at)).toEqual(valueAt(c.input, at));
    });
  }

  it('an anchor no alias reads is not shared: the header is added as usual', () => {
    const input =
      HEAD + "  /a:\n    get:\n      responses:\n        '403': &unused\n          description: no\n";
    const folder = tempProject({ 'openapi.yaml': input });
    const report = runFix(folder, 'openapi.yaml', { wwwAuthenticate: 'Bearer' });
    expect(report.documents[0].changes[0]).toMatchObject({
      action: 'renamed',
      added: ['header WWW-Authenticate'],
    });
    expect(report.documents[0].changes[0].reason).toBeUndefined();
  });

  it('--dry-run, --check and --overlay say the same and edit nothing shared', () => {
    const input = CASES[0].input;
    for (const mode of ['dry-run', 'check', 'overlay'] as FixMode[]) {
      const folder = tempProject({ 'openapi.yaml': input });
      const report = runFix(folder, 'openapi.yaml', { wwwAuthenticate: 'Bearer' }, mode);
      expect(report.documents[0].changes[0].reason, mode).toMatch(CASES[0].reason);
      expect(report.diff, mode).not.toMatch(/WWW-Authenticate/);
      expect(JSON.stringify(report.overlay ?? {}), mode).not.toMatch(/WWW-Authenticate/);
    }
  });

  it('JSON has no anchors: the header is added', () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      'x-mtls': true,
      paths: { '/a': { get: { responses: { '403': { description: 'no *forbidden &forbidden' } } } } },
    };
    const folder = tempProject({ 'openapi.json': JSON.stringify(document, null, 2) });
    const report = runFix(folder, 'openapi.json', { wwwAuthenticate: 'Bearer' });
    expect(report.documents[0].changes[0].added).toEqual(['header WWW-Authenticate']);
  });

  it('end to end: the anchored 403 beside a 401 is named, exit 1, nothing written, no "please report it"', () => {
    const folder = tempProject({ 'openapi.yaml': CASES[4].input });
    const run = runCli(['fix', 'openapi.yaml', '--force'], { cwd: folder });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /the 403 holds YAML anchor &forbidden \(line 9\), also read at line 15 \(GET \/b\)/,
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/please report it|would not parse back/);
    expect(readFileSync(path.join(folder, 'openapi.yaml'), 'utf8')).toBe(CASES[4].input);
  });
});
