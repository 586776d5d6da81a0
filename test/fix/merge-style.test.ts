import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/openapi/index.js';
import { tempProject } from '../helpers/cli.js';
import { runFix } from './helpers.js';

/**
 * Issue 14 §6: `--on-conflict merge` writes what it folds in the way the file writes everything else: JSON
 * spacing around colons and its indentation, YAML flow collections stay flow with the file's quotes.
 */
interface Scenario {
  name: string;
  file: string;
  text: string;
  after: string;
}

const YAML_HEAD =
  'openapi: 3.1.0\ninfo: {title: t, version: "1"}\nx-mtls: true\npaths:\n  /a:\n    get:\n      responses:\n';

/** A JSON document whose responses map is `responses` (already indented), written with `colon`. */
function json(responses: string, colon: string, indent = '  '): string {
  const i = (n: number): string => indent.repeat(n);
  return (
    `{\n${i(1)}"openapi"${colon}"3.1.0",\n${i(1)}"info"${colon}{"title"${colon}"t", "version"${colon}"1"},\n` +
    `${i(1)}"x-mtls"${colon}true,\n${i(1)}"paths"${colon}{\n${i(2)}"/a"${colon}{\n${i(3)}"get"${colon}{\n` +
    `${i(4)}"responses"${colon}${responses}\n${i(3)}}\n${i(2)}}\n${i(1)}}\n}\n`
  );
}

const SCENARIOS: Scenario[] = [
  {
    name: 'YAML flow maps stay flow, unpadded, plain where the file is plain',
    file: 'openapi.yaml',
    text:
      YAML_HEAD +
      "        '401': {description: who}\n" +
      "        '403': {description: no, headers: {X-Reason: {schema: {type: string}}}}\n",
    after:
      YAML_HEAD +
      '        \'401\': {description: "who\\n\\nno", headers: {X-Reason: {schema: {type: string}}}}\n',
  },
  {
    name: "YAML flow maps with padding keep it; a string that needs quotes gets the file's single quotes",
    file: 'openapi.yaml',
    text:
      YAML_HEAD +
      "        '401': { description: 'who', content: { 'application/json': { schema: { type: string } } } }\n" +
      "        '403':\n          description: 'who'\n          content:\n            'application/json':\n" +
      "              example: { code: 'denied, really' }\n            'text/plain':\n              schema: { type: string }\n",
    after:
      YAML_HEAD +
      "        '401': { description: 'who', content: { 'application/json': { schema: { type: string }, " +
      "example: { code: 'denied, really' } }, text/plain: { schema: { type: string } } } }\n",
  },
  {
    name: 'JSON with " : " keeps it, at 4-space indentation',
    file: 'openapi.json',
    text: json(
      '{\n                    "401" : {\n                        "description" : "who"\n                    },\n' +
        '                    "403" : {\n                        "description" : "who",\n' +
        '                        "headers" : {"X-Reason" : {"schema" : {"type" : "string"}}}\n' +
        '                    }\n                }',
      ' : ',
      '    ',
    ),
    after: json(
      '{\n                    "401" : {\n                        "description" : "who",\n' +
        '                        "headers" : {\n                            "X-Reason" : {\n' +
        '                                "schema" : {\n                                    "type" : "string"\n' +
        '                                }\n                            }\n                        }\n' +
        '                    }\n                }',
      ' : ',
      '    ',
    ),
  },
  {
    name: 'JSON with no space after colons, tab-indented, keeps both',
    file: 'openapi.json',
    text: json(
      '{\n\t\t\t\t\t"401":{\n\t\t\t\t\t\t"description":"who"\n\t\t\t\t\t},\n' +
        '\t\t\t\t\t"403":{\n\t\t\t\t\t\t"content":{"application/json":{"schema":{"type":"object"}}}\n\t\t\t\t\t}\n\t\t\t\t}',
      ':',
      '\t',
    ),
    after: json(
      '{\n\t\t\t\t\t"401":{\n\t\t\t\t\t\t"description":"who",\n\t\t\t\t\t\t"content":{\n' +
        '\t\t\t\t\t\t\t"application/json":{\n\t\t\t\t\t\t\t\t"schema":{\n\t\t\t\t\t\t\t\t\t"type":"object"\n' +
        '\t\t\t\t\t\t\t\t}\n\t\t\t\t\t\t\t}\n\t\t\t\t\t\t}\n\t\t\t\t\t}\n\t\t\t\t}',
      ':',
      '\t',
    ),
  },
  {
    name: 'JSON on one line, compact: what is folded in is compact too',
    file: 'openapi.json',
    text: '{"openapi":"3.1.0","info":{"title":"t","version":"1"},"x-mtls":true,"paths":{"/a":{"get":{"responses":{"401":{"description":"who"},"403":{"description":"who","headers":{"X-A":{"schema":{"type":"string"}}}}}}}}}\n',
    after:
      '{"openapi":"3.1.0","info":{"title":"t","version":"1"},"x-mtls":true,"paths":{"/a":{"get":{"responses":{"401":{"description":"who","headers":{"X-A":{"schema":{"type":"string"}}}}}}}}}\n',
  },
  {
    name: 'JSON on one line with padded braces and spaces: the same spacing',
    file: 'openapi.json',
    text: '{ "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "x-mtls": true, "paths": { "/a": { "get": { "responses": { "401": { "description": "who" }, "403": { "description": "who", "links": { "L": { "operationId": "x" } } } } } } } }\n',
    after:
      '{ "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "x-mtls": true, "paths": { "/a": { "get": { "responses": { "401": { "description": "who", "links": { "L": { "operationId": "x" } } } } } } } }\n',
  },
];

describe('fix --on-conflict merge keeps the file style (issue 14 §6)', () => {
  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      () => {
        // The scenario's own input must be what it says: a valid document.
        expect(() => parseSource(Buffer.from(scenario.text), scenario.file)).not.toThrow();
        const folder = tempProject({ [scenario.file]: scenario.text });
        const report = runFix(folder, scenario.file, { onConflict: 'merge' });
        expect(report.errors).toEqual([]);
        expect(report.documents[0].changes.map((change) => change.action)).toEqual(['merged']);
        expect(readFileSync(path.join(folder, scenario.file), 'utf8')).toBe(scenario.after);
      },
      60_000,
    );
  }
});
