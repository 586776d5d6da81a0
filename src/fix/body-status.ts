import { reasonPhrase } from '../migrate/status-names.js';
import { isObject, type JsonPath } from '../openapi/pointer.js';
import type { DataOp } from './ops.js';

/** The edits that make a renamed response's own body say the agreed status, and what each changes. */
export interface BodyStatusEdits {
  ops: DataOp[];
  /** What changed, for the report: `example status`, `schema status enum`, `examples.denied title`, ... */
  edited: string[];
}

/**
 * The members of a renamed 403 response's own body that still say 403 (breaker35 #04): a problem details body's
 * `status` must be the response's status (RFC 9457 §3.1.2: it "MUST use the same status code in the actual HTTP
 * response"), and its `title` is the reason phrase when the type is `about:blank` (§4.2.1), so a mock server,
 * a contract test or a generated client built from the document would otherwise answer, or expect, a 401 whose
 * body says 403.
 *
 * Read, under the response as written (`response`, at `responsePath` after the rename; never through a `$ref`):
 * OAS 3 `content.<media>.example`, `content.<media>.examples.<name>.value`, Swagger 2.0 `examples.<mime>`, whose
 * `status` is 403 (number or string) and, beside it, a `title` of `Forbidden`; and the inline `schema`
 * (OAS 3 `content.<media>.schema`, Swagger 2.0 `schema`) whose `properties.status` has 403 in `enum`, `const`,
 * `default`, `example` or `examples`, and `properties.title` `Forbidden` in the same keywords. A `$ref` anywhere
 * on the way is left alone: it may serve other responses (`--rename-components` handles shared responses).
 *
 * @param status the agreed status, such as `401`.
 * @param shared whether the node at a path of the file is shared with other nodes (a YAML alias, merge key or
 *   anchor on the way): such a member is left as written.
 * @returns the operations (`replace-value`, in document order) and a label per edited member; empty when none.
 */
export function bodyStatusEdits(
  responsePath: JsonPath,
  response: unknown,
  status: string,
  swagger2: boolean,
  shared: (path: JsonPath) => boolean,
): BodyStatusEdits {
  const out: BodyStatusEdits = { ops: [], edited: [] };
  if (!isObject(response) || '$ref' in response) return out;
  const phrase = reasonPhrase(Number(status));
  const edit = (path: JsonPath, written: unknown, label: string): void => {
    if (shared(path)) return;
    const value = written === 'Forbidden' ? phrase : typeof written === 'string' ? status : Number(status);
    out.ops.push({ kind: 'replace-value', path, value });
    out.edited.push(label);
  };
  const example = (path: JsonPath, value: unknown, label: string): void => {
    if (!isObject(value) || '$ref' in value || !isForbidden(value.status)) return;
    edit([...path, 'status'], value.status, `${label} status`);
    if (value.title === 'Forbidden') edit([...path, 'title'], value.title, `${label} title`);
  };
  const schema = (path: JsonPath, value: unknown, label: string): void => {
    if (!isObject(value) || '$ref' in value || !isObject(value.properties)) return;
    for (const [member, test] of [
      ['status', isForbidden],
      ['title', (v: unknown) => v === 'Forbidden'],
    ] as const) {
      const property = value.properties[member];
      if (!isObject(property) || '$ref' in property) continue;
      const at: JsonPath = [...path, 'properties', member];
      for (const keyword of ['const', 'default', 'example'] as const)
        if (test(property[keyword]))
          edit([...at, keyword], property[keyword], `${label} ${member} ${keyword}`);
      for (const keyword of ['enum', 'examples'] as const) {
        const list = property[keyword];
        if (!Array.isArray(list)) continue;
        // An enum that already holds the agreed status beside 403 keeps both: the 403 may be another one's.
        const agreed = member === 'status' ? [Number(status), status] : [phrase];
        if (keyword === 'enum' && list.some((item) => agreed.includes(item as never))) continue;
        list.forEach((item, index) => {
          if (test(item)) edit([...at, keyword, index], item, `${label} ${member} ${keyword}`);
        });
      }
    }
  };
  if (swagger2) {
    schema([...responsePath, 'schema'], response.schema, 'schema');
    if (isObject(response.examples))
      for (const [mime, value] of Object.entries(response.examples))
        example([...responsePath, 'examples', mime], value, `examples.${mime}`);
    return out;
  }
  if (!isObject(response.content)) return out;
  for (const [media, body] of Object.entries(response.content)) {
    if (!isObject(body)) continue;
    const at: JsonPath = [...responsePath, 'content', media];
    schema([...at, 'schema'], body.schema, `${media} schema`);
    example([...at, 'example'], body.example, `${media} example`);
    if (isObject(body.examples))
      for (const [name, entry] of Object.entries(body.examples))
        if (isObject(entry) && !('$ref' in entry))
          example([...at, 'examples', name, 'value'], entry.value, `${media} examples.${name}`);
  }
  return out;
}

/** 403 as a problem details `status` may write it: the number, or the string `'403'`. */
function isForbidden(value: unknown): boolean {
  return value === 403 || value === '403';
}
