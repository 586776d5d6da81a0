import { describe, expect, it } from 'vitest';
import { locateInJson } from '../../src/openapi/locate-json.js';
import { locateInYaml, pathKey } from '../../src/openapi/locate-yaml.js';
import type { JsonPath } from '../../src/openapi/pointer.js';

/** 1-based `line:column` of each path, or undefined when the scanner cannot place it. */
function yamlPositions(text: string, paths: JsonPath[]): (string | undefined)[] {
  const found = locateInYaml(text, paths);
  return paths.map((p) => {
    const range = found.get(pathKey(p));
    return range ? `${range.start.line + 1}:${range.start.character + 1}` : undefined;
  });
}

function jsonPositions(text: string, paths: JsonPath[]): (string | undefined)[] {
  const found = locateInJson(text, paths);
  return paths.map((p) => {
    const range = found.get(pathKey(p));
    return range ? `${range.start.line + 1}:${range.start.character + 1}` : undefined;
  });
}

describe('locateInYaml', () => {
  it('finds nested keys, quoted and integer keys', () => {
    const text = `paths:
  /a/{id}:
    get:
      responses:
        '200': { description: ok }
        "403":
          description: x
        404:
          description: y
`;
    expect(
      yamlPositions(text, [
        ['paths', '/a/{id}', 'get', 'responses', '403'],
        ['paths', '/a/{id}', 'get', 'responses', '404'],
        ['paths', '/a/{id}', 'get', 'responses', '200'],
      ]),
    ).toEqual(['6:9', '8:9', '5:9']);
  });

  it('skips block scalars and multi-line quoted scalars that look like keys', () => {
    const text = `a:
  description: |
    403: not a key
    b: neither
  note: "starts here
    403: still inside"
  plain: words that
    continue: not a key either
  403: the key
`;
    expect(
      yamlPositions(text, [
        ['a', '403'],
        ['a', 'note'],
      ]),
    ).toEqual(['9:3', '5:3']);
  });

  it('counts sequence items, also compact sequences at the parent indent', () => {
    const text = `servers:
- url: https://a
  description: first
- url: https://b
security:
  - clientCert: []
  - oauth: [x]
`;
    expect(
      yamlPositions(text, [
        ['servers', 1, 'url'],
        ['servers', 0, 'description'],
        ['security', 1, 'oauth'],
      ]),
    ).toEqual(['4:3', '3:3', '7:5']);
  });

  it('handles CRLF, comments, anchors and multi-line flow collections', () => {
    const text = 'x: &anchor\r\n  # comment: no\r\n  y: [1,\r\n     2]\r\n  z: 1\r\n';
    expect(
      yamlPositions(text, [
        ['x', 'z'],
        ['x', 'y'],
      ]),
    ).toEqual(['5:3', '3:3']);
  });

  it('an apostrophe inside a one-line flow collection does not open a quoted scalar', () => {
    const text = "tags: [{name: a, description: The customer's accounts}]\npaths:\n  /a: {}\n";
    expect(yamlPositions(text, [['paths', '/a']])).toEqual(['3:3']);
  });

  it('does not place keys inside flow mappings (callers fall back to the parent)', () => {
    expect(yamlPositions('r: { 403: { description: x } }\n', [['r', '403'], ['r']])).toEqual([
      undefined,
      '1:1',
    ]);
  });
});

describe('locateInJson', () => {
  it('finds keys and array items, pretty or minified', () => {
    const pretty =
      '{\n  "paths": {\n    "/a": {\n      "get": { "responses": { "403": {} } }\n    }\n  },\n  "s": [1, {"u": 2}]\n}';
    expect(
      jsonPositions(pretty, [
        ['paths', '/a', 'get', 'responses', '403'],
        ['s', 1, 'u'],
        ['s', 1],
      ]),
    ).toEqual(['4:31', '7:13', '7:12']);
    expect(jsonPositions('{"a":{"b\\"c":[0,{"d":1}]}}', [['a', 'b"c', 1, 'd']])).toEqual(['1:18']);
  });
});
