import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { JsonPath } from './pointer.js';
import type { SourceFile } from './source.js';

/**
 * The number a YAML 1.1 reader gives a plain scalar, or undefined when it reads a string (or another type).
 *
 * Why: the model reads YAML 1.2 (js-yaml's core schema, as Spectral and swagger-ui do), where `4_03`, `6:43` and
 * `0b1_1001_0011` are strings and `0623` is 623. Many consumers of the same document read YAML 1.1 instead, where
 * each of those is the integer 403: PyYAML (connexion, FastAPI tooling), Ruby's Psych (committee), SnakeYAML, Go's
 * yaml.v2/v3 (kin-openapi, oapi-codegen) and js-yaml 3. A response key they read as 403 is a 403 to them.
 *
 * The forms, from the YAML 1.1 type definitions (https://yaml.org/type/int.html, https://yaml.org/type/float.html),
 * with a sign allowed and `_` ignored after the first digit: binary `0b...`, octal `0...`, decimal, hexadecimal
 * `0x...`, base 60 `6:43`; floats `4_03.0`, `4.03e+2` and base 60 `6:43.0`. Go's yaml reads integers with
 * `strconv.ParseInt(s, 0, 64)`, which also takes `0o623` and the upper-case prefixes `0X`, `0B`, `0O`: those
 * count too (a union: a key any of these readers reads as 403 is one). Ruby's Psych, unless `strict_integer` is
 * set (it is not by default), also takes `,` where it takes `_` in integers (psych/scalar_scanner.rb
 * `INTEGER_LEGACY`, parsed with the commas deleted): `4,03`, `40,3`, `0,623`, `0x1,93`.
 */
export function yaml11Number(plain: string): number | undefined {
  const match = /^([-+]?)(.*)$/s.exec(plain);
  if (!match) return undefined;
  const negative = match[1] === '-';
  const body = match[2] ?? '';
  const value = unsignedNumber(body);
  return value === undefined ? undefined : negative ? -value : value;
}

function unsignedNumber(body: string): number | undefined {
  if (body.includes(',')) return psychLegacyInteger(body);
  const digits = (from: number): string => body.slice(from).replace(/_/g, '');
  if (/^0[bB][01_]*[01][01_]*$/.test(body)) return parseInt(digits(2), 2);
  if (/^0[xX][0-9a-fA-F_]*[0-9a-fA-F][0-9a-fA-F_]*$/.test(body)) return parseInt(digits(2), 16);
  if (/^0[oO][0-7_]*[0-7][0-7_]*$/.test(body)) return parseInt(digits(2), 8);
  if (/^0[0-7_]+$/.test(body) && /[0-7]/.test(body.slice(1))) return parseInt(digits(1), 8);
  if (/^(0|[1-9][0-9_]*)$/.test(body)) return parseInt(digits(0), 10);
  const sexagesimal = /^([0-9][0-9_]*)((?::[0-5]?[0-9])+)(\.[0-9_]*)?$/.exec(body);
  if (sexagesimal?.[1] !== undefined && sexagesimal[2] !== undefined) {
    // Integers must not start with 0 (`[1-9][0-9_]*`); floats may.
    if (sexagesimal[3] === undefined && sexagesimal[1].startsWith('0')) return undefined;
    let value = Number(sexagesimal[1].replace(/_/g, ''));
    for (const part of sexagesimal[2].slice(1).split(':')) value = value * 60 + Number(part);
    return value + (sexagesimal[3] ? Number(`0${sexagesimal[3].replace(/_/g, '')}`) || 0 : 0);
  }
  if (/^([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$/.test(body) && /[0-9]/.test(body))
    return Number(body.replace(/_/g, ''));
  return undefined;
}

/**
 * Ruby Psych's default (legacy) integer forms with `,` (psych/scalar_scanner.rb `INTEGER_LEGACY`): binary
 * `0b[01_,]+`, octal `0[0-7_,]+`, hexadecimal `0x[0-9a-fA-F_,]+`, decimal `[1-9]` then digits each maybe after
 * one `,` or `_`; read by Ruby's `Integer()` with `,` and `_` deleted (so `0,623` is octal). undefined otherwise.
 */
function psychLegacyInteger(body: string): number | undefined {
  const plain = body.replace(/[,_]/g, '');
  if (/^0b[01_,]+$/.test(body) && /[01]/.test(body.slice(2))) return parseInt(plain.slice(2), 2);
  if (/^0x[0-9a-fA-F_,]+$/.test(body) && /[0-9a-fA-F]/.test(body.slice(2)))
    return parseInt(plain.slice(2), 16);
  if (/^0[0-7_,]+$/.test(body) && /[0-7]/.test(body.slice(1))) return parseInt(plain, 8);
  if (/^[1-9](?:[0-9]|,[0-9]|_[0-9])*$/.test(body)) return parseInt(plain, 10);
  return undefined;
}

/**
 * Whether a response key, as the model read it (`code`, YAML 1.2), may be a plain scalar that a YAML 1.1 reader
 * reads as 403 while the model does not: `4_03`, `6:43`, `0X193`, `403_`, and `623` (written `0623`, octal to
 * YAML 1.1). A cheap test on the key alone; {@link yaml11ForbiddenKey} confirms it from the text.
 */
export function mayReadAs403InYaml11(code: string): boolean {
  if (code === '623') return true;
  // Most keys are `200`, `404`, `4XX`, `default`: a number spelled otherwise has a `_`, `:`, `.` or a prefix.
  if (code.length <= 3 || !/[_:.,xXbBoO]/.test(code)) return false;
  return code.trim() !== '403' && yaml11Number(code) === 403;
}

/**
 * Whether a value as the model read it (YAML 1.2) may be a plain scalar a YAML 1.1 reader reads as 403 while the
 * model does not: a string such as `4_03` or `6:43`, or the number 623 (`0623`, octal to YAML 1.1). A cheap test;
 * {@link yaml11ForbiddenValue} confirms it from the text.
 */
export function mayValueReadAs403InYaml11(value: unknown): boolean {
  if (typeof value === 'number') return value === 623;
  return typeof value === 'string' && mayReadAs403InYaml11(value);
}

/**
 * Whether the value at `valuePath` in `file` (a status such as API Gateway's `statusCode`) is written as a plain
 * scalar (no quotes, no tag) that a YAML 1.1 reader reads as the integer 403 (see {@link yaml11Number}), while
 * the model read `value` (YAML 1.2) as something else: `statusCode: 4_03`, `statusCode: 0623`. Amazon API
 * Gateway's OpenAPI import and AWS CloudFormation read YAML 1.1 ("CloudFormation supports the YAML Version 1.1
 * specification", AWS CloudFormation User Guide, Template formats), as do the YAML 1.1 readers named above.
 * False for JSON. A value the parse cannot find as written (behind an alias or merge key) counts when the string
 * alone reads as 403, not for the number 623.
 * @returns the value as written (`4_03`, `0623`) when it counts, else undefined.
 */
export function yaml11ForbiddenValue(
  file: SourceFile,
  valuePath: JsonPath,
  value: unknown,
): string | undefined {
  if (file.syntax !== 'yaml' || !mayValueReadAs403InYaml11(value)) return undefined;
  const written = writtenScalar(file, valuePath);
  if (!written) return typeof value === 'string' ? value : undefined;
  return written.plain && yaml11Number(written.source) === 403 ? written.source : undefined;
}

/** How a scalar value is written in a YAML file: plain or not, its source, and its text (quotes and tag kept). */
export interface WrittenScalar {
  /** Written with no quotes and no tag: a YAML 1.1 reader reads numbers there ({@link yaml11Number}). */
  plain: boolean;
  /** The scalar's source without quotes or tag (`0623` for `'0623'`). */
  source: string;
  /** The value as written in the file, quotes and tag included (`'0623'`, `!!str 403`). */
  text: string;
}

/**
 * How the scalar at `valuePath` of the YAML file `file` is written; undefined for JSON, a path the parse cannot
 * find as written (behind an alias or merge key, in a text the `yaml` package refuses) or a node that is no
 * scalar.
 */
export function writtenScalar(file: SourceFile, valuePath: JsonPath): WrittenScalar | undefined {
  if (file.syntax !== 'yaml') return undefined;
  const document = parsedText(file);
  let node: unknown = document?.contents;
  for (const segment of document ? valuePath : []) {
    const name = String(segment);
    if (isMap(node)) node = node.items.find((pair) => scalarText(pair.key) === name)?.value;
    else if (isSeq(node)) node = /^\d+$/.test(name) ? node.items[Number(name)] : undefined;
    else node = undefined;
  }
  if (!isScalar(node)) return undefined;
  const source = typeof node.source === 'string' ? node.source : String(node.value);
  const range = node.range;
  let text = range ? file.text.slice(range[0], range[1]) : source;
  if (node.tag !== undefined && !text.startsWith('!')) {
    const tagged = /(!\S*)\s+$/.exec(file.text.slice(Math.max(0, (range?.[0] ?? 0) - 200), range?.[0] ?? 0));
    if (tagged?.[1]) text = `${tagged[1]} ${text}`;
  }
  return { plain: node.type === 'PLAIN' && node.tag === undefined, source, text };
}

/** The parsed text of each YAML file asked about (null: it does not parse as the `yaml` package reads it). */
const parsed = new WeakMap<SourceFile, Document.Parsed | null>();

/**
 * Whether the key `code` of the map at `mapPath` in `file` is written as a plain scalar (no quotes, no tag) that
 * a YAML 1.1 reader reads as the integer 403 (see {@link yaml11Number}); false for JSON and for keys
 * {@link mayReadAs403InYaml11} rules out. The text is parsed once per file, only when a key may be one. A key
 * the parse cannot find as written (behind an alias or merge key, in a text the `yaml` package refuses) counts
 * when the key alone reads as 403 (`4_03` is 403 unless quoted; never passed as clean), not for `623`.
 */
export function yaml11ForbiddenKey(file: SourceFile, mapPath: JsonPath, code: string): boolean {
  if (file.syntax !== 'yaml' || !mayReadAs403InYaml11(code)) return false;
  const written = writtenKeys(file, mapPath, code);
  if (written === undefined) return code !== '623';
  return written.some((key) => key.plain && yaml11Number(key.source) === 403);
}

/** How each key of the map at `mapPath` that reads as `code` (YAML 1.2) is written; undefined if not found. */
function writtenKeys(
  file: SourceFile,
  mapPath: JsonPath,
  code: string,
): { plain: boolean; source: string }[] | undefined {
  const document = parsedText(file);
  if (!document) return undefined;
  let node: unknown = document.contents;
  for (const segment of mapPath) {
    const name = String(segment);
    if (isMap(node)) node = node.items.find((pair) => scalarText(pair.key) === name)?.value;
    else if (isSeq(node)) node = /^\d+$/.test(name) ? node.items[Number(name)] : undefined;
    else return undefined;
  }
  if (!isMap(node)) return undefined;
  const keys: { plain: boolean; source: string }[] = [];
  for (const pair of node.items) {
    const key = pair.key as { value?: unknown; type?: string; tag?: string; source?: unknown } | null;
    if (!key || scalarText(key) !== code) continue;
    keys.push({
      plain: key.type === 'PLAIN' && key.tag === undefined,
      source: typeof key.source === 'string' ? key.source : String(key.value),
    });
  }
  return keys.length > 0 ? keys : undefined;
}

/** `file`'s text parsed once by the `yaml` package (keeping how each scalar is written); null if it does not parse. */
function parsedText(file: SourceFile): Document.Parsed | null {
  let document = parsed.get(file);
  if (document === undefined) {
    try {
      const result = parseDocument(file.text, { uniqueKeys: false, strict: false });
      document = result.errors.length > 0 ? null : result;
    } catch {
      document = null;
    }
    parsed.set(file, document);
  }
  return document;
}

/** A scalar node's value as a map key string (js-yaml's `String(key)`); undefined for anything else. */
function scalarText(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || !('value' in node)) return undefined;
  const value = node.value;
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
    ? String(value)
    : undefined;
}
