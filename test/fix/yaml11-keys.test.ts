import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { lint } from '../../src/lint/run.js';
import { explainDocuments } from '../../src/explain/index.js';
import { mayReadAs403InYaml11, yaml11Number } from '../../src/openapi/yaml11.js';
import { configOf, runFix } from './helpers.js';

/**
 * Session 22: response keys that YAML 1.1 readers (PyYAML, Ruby's Psych, Go's yaml, SnakeYAML, js-yaml 3) read as
 * the integer 403 while YAML 1.2 (the model, Spectral, swagger-ui) reads a string or another number. On 931d2f3
 * each was "clean" (no finding, exit 0) though a Python or Go consumer of the document reads a 403 there.
 */
const HEAD =
  'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n' +
  '        200:\n          description: ok\n';

function yaml(key: string): string {
  return `${HEAD}        ${key}:\n          description: no\n`;
}

async function results(folder: string, file: string): Promise<string[]> {
  const report = await lint({ files: [file], config: configOf({}), cwd: folder });
  return report.results.map(
    (result) => `${result.code} ${String(result.path.at(-1))} ${result.range.start.line + 1}`,
  );
}

// What PyYAML 6 (`yaml.safe_load`) reads each key as: checked by hand, `python3 -c 'import yaml; ...'`.
const READ_AS_403 = ['4_03', '40_3', '403_', '+4_03', '0623', '0_623', '+0623', '6:43', '0b1_1001_0011'];
const READ_AS_403_ELSEWHERE = ['0x1_93', '0X193', '4_03.0', '6:43.0'];

describe('YAML 1.1 spellings of 403 in response keys', () => {
  it('yaml11Number reads the YAML 1.1 int and float forms (and Go prefixes) as PyYAML / Go do', () => {
    for (const key of [...READ_AS_403, ...READ_AS_403_ELSEWHERE]) expect(yaml11Number(key), key).toBe(403);
    expect(yaml11Number('0403')).toBe(259); // octal to YAML 1.1; 403 to YAML 1.2 (a finding already)
    expect(yaml11Number('-0x193')).toBe(-403);
    expect(yaml11Number('0:6:43')).toBeUndefined(); // base 60 starts with [1-9]
    expect(yaml11Number('4XX')).toBeUndefined();
    expect(yaml11Number('default')).toBeUndefined();
    for (const code of ['200', '404', '4XX', 'default', '403', '2_00', '401_'])
      expect(mayReadAs403InYaml11(code), code).toBe(false);
    expect(mayReadAs403InYaml11('623')).toBe(true);
  });

  for (const key of [...READ_AS_403, ...READ_AS_403_ELSEWHERE]) {
    it(`plain ${key}: a finding that says YAML 1.1 reads it as 403; fix renames it; the gate passes after`, async () => {
      const folder = tempProject({ 'openapi.yaml': yaml(key) });
      const before = await lint({ files: ['openapi.yaml'], config: configOf({}), cwd: folder });
      expect(before.results.map((result) => [result.code, result.range.start.line + 1])).toEqual([
        ['mtls-no-403', 10],
      ]);
      expect(before.results[0]?.message).toContain('read as 403; YAML 1.2 reads it otherwise');
      const report = runFix(folder, 'openapi.yaml', {});
      expect(report.errors).toEqual([]);
      expect(readFileSync(path.join(folder, 'openapi.yaml'), 'utf8')).toBe(yaml('401'));
      expect(await results(folder, 'openapi.yaml')).toEqual([]);
      const check = runFix(folder, 'openapi.yaml', {}, 'check');
      expect(check.documents[0]?.changes ?? []).toEqual([]);
    });
  }

  it('quoted, tagged as a string, or in JSON: a string to every reader, no finding', async () => {
    const folder = tempProject({
      'quoted.yaml': yaml("'4_03'"),
      'double.yaml': yaml('"0623"'),
      'tagged.yaml': yaml('!!str 6:43'),
      'real623.yaml': yaml('623'),
      'doc.json': JSON.stringify({
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        'x-mtls': true,
        paths: {
          '/a': { get: { responses: { '4_03': { description: 'no' }, '0623': { description: 'x' } } } },
        },
      }),
    });
    for (const file of ['quoted.yaml', 'double.yaml', 'tagged.yaml', 'real623.yaml', 'doc.json'])
      expect(await results(folder, file), file).toEqual([]);
  });

  it('a flow map, an explicit key and a shared responses file: found at the key, fixed in place', async () => {
    const folder = tempProject({
      'flow.yaml':
        `${HEAD.replace(/ {8}200:\n.*\n$/, '')}        {200: {description: ok}, 4_03: {description: no}}\n`.replace(
          'responses:\n        {',
          'responses: {',
        ),
      'explicit.yaml': `${HEAD}        ? 0623\n        : description: no\n`,
      'root.yaml':
        'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /a:\n    get:\n' +
        "      responses:\n        $ref: 'common.yaml#/responses'\n",
      'common.yaml': 'responses:\n  6:43:\n    description: no\n',
    });
    expect(await results(folder, 'flow.yaml')).toEqual(['mtls-no-403 4_03 7']);
    expect(await results(folder, 'explicit.yaml')).toEqual(['mtls-no-403 623 10']);
    const shared = await lint({ files: ['root.yaml'], config: configOf({}), cwd: folder });
    expect(shared.results.map((result) => [result.code, result.source, result.range.start.line + 1])).toEqual(
      [['mtls-no-403', path.join(folder, 'common.yaml'), 2]],
    );
    for (const file of ['flow.yaml', 'explicit.yaml', 'root.yaml']) {
      expect(runFix(folder, file, {}).errors, file).toEqual([]);
      expect(await results(folder, file), file).toEqual([]);
    }
    expect(readFileSync(path.join(folder, 'flow.yaml'), 'utf8')).toContain(
      '{200: {description: ok}, 401: {description: no}}',
    );
    expect(readFileSync(path.join(folder, 'common.yaml'), 'utf8')).toBe(
      'responses:\n  401:\n    description: no\n',
    );
  });

  it('explain and mtls-unchecked count such a key as a 403', async () => {
    const folder = tempProject({ 'openapi.yaml': yaml('4_03').replace('x-mtls: true\n', '') });
    const unchecked = await lint({ files: ['openapi.yaml'], config: configOf({}), cwd: folder });
    expect(unchecked.results.map((result) => result.code)).toEqual(['mtls-unchecked']);
    expect(unchecked.results[0]?.message).toContain('1 of its 1 operation documents a 403');
    const explained = explainDocuments({ files: ['openapi.yaml'], config: configOf({}), cwd: folder });
    expect(explained[0]?.operations[0]?.documents403).toBe(true);
  });
});
