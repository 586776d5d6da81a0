import type { Splice } from './text-splice.js';

/**
 * Text edits that add members and items to a JSON file a user wrote (a config file, package.json) without
 * re-serialising it: every byte outside the splices stays (indentation, one-line arrays, `\u00e9` escapes, key
 * spacing, line ends). Offsets are those of the text as given (a BOM removed by the caller).
 */

/** A JSON value and where it is: `[start, end)`, with its members (objects) or items (arrays). */
export interface JsonNode {
  kind: 'object' | 'array' | 'value';
  start: number;
  end: number;
  members?: { key: string; value: JsonNode }[];
  items?: JsonNode[];
}

/**
 * The node tree of a JSON text (RFC 8259). Throws SyntaxError (from JSON.parse of the whole text first) when
 * it is not JSON.
 */
export function jsonNodes(text: string): JsonNode {
  JSON.parse(text);
  let at = 0;
  const space = (): void => {
    while (at < text.length && /[ \t\r\n]/.test(text[at])) at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (): JsonNode => {
    space();
    const start = at;
    if (text[at] === '{') {
      at++;
      const members: { key: string; value: JsonNode }[] = [];
      space();
      while (text[at] !== '}') {
        space();
        const key = string();
        space();
        at++; // :
        members.push({ key, value: value() });
        space();
        if (text[at] === ',') at++;
        space();
      }
      at++;
      return { kind: 'object', start, end: at, members };
    }
    if (text[at] === '[') {
      at++;
      const items: JsonNode[] = [];
      space();
      while (text[at] !== ']') {
        items.push(value());
        space();
        if (text[at] === ',') at++;
        space();
      }
      at++;
      return { kind: 'array', start, end: at, items };
    }
    if (text[at] === '"') string();
    else while (at < text.length && !/[,}\] \t\r\n]/.test(text[at])) at++;
    return { kind: 'value', start, end: at };
  };
  return value();
}

/** The member `key` of an object node. */
export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.members?.find((entry) => entry.key === key)?.value;
}

/** How the file writes JSON: its indentation unit and what follows a key's colon. */
interface JsonStyle {
  indent: string;
  colon: string;
}

function styleOf(text: string): JsonStyle {
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const colon = /"\s*:(\s?)/.exec(text);
  return { indent: indent.startsWith('\t') ? '\t' : indent, colon: colon ? `:${colon[1]}` : ': ' };
}

/**
 * `value` as JSON in the file's style: on one line (`pad` undefined; `[a, b]`, `{ "k": v }`), or over lines with
 * its continuation lines at `pad` plus the file's indentation.
 */
function format(value: unknown, style: JsonStyle, pad: string | undefined): string {
  const entries = value !== null && typeof value === 'object' ? Object.entries(value) : [];
  if (entries.length === 0) return JSON.stringify(value);
  const isArray = Array.isArray(value);
  const inner = pad === undefined ? undefined : pad + style.indent;
  const parts = entries.map(([key, item]) =>
    isArray
      ? format(item, style, inner)
      : `${JSON.stringify(key)}${style.colon}${format(item, style, inner)}`,
  );
  if (inner === undefined) return isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  return `${open}\n${parts.map((part) => inner + part).join(',\n')}\n${pad ?? ''}${close}`;
}

/** The white space that starts the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/**
 * Adds `"key": value` to an object: on a line of its own at the indentation of its last member when the object
 * spans lines, else on its line (`, "key": value`).
 */
export function addMember(text: string, object: JsonNode, key: string, value: unknown): Splice {
  const style = styleOf(text);
  const last = object.members?.at(-1);
  const multiLine = text.slice(object.start, object.end).includes('\n');
  const entry = (pad: string | undefined): string =>
    `${JSON.stringify(key)}${style.colon}${format(value, style, pad)}`;
  if (!last) {
    const pad = indentAt(text, object.start);
    return {
      start: object.start + 1,
      end: object.end - 1,
      text: multiLine
        ? `\n${pad}${style.indent}${entry(pad + style.indent)}\n${pad}`
        : ` ${entry(undefined)} `,
    };
  }
  if (!multiLine) return { start: last.value.end, end: last.value.end, text: `, ${entry(undefined)}` };
  const pad = indentAt(text, last.value.start);
  return { start: last.value.end, end: last.value.end, text: `,\n${pad}${entry(pad)}` };
}

/** Appends `values` to an array: each on a line of its own when the array spans lines, else `, value`. */
export function appendItems(text: string, array: JsonNode, values: readonly unknown[]): Splice {
  const style = styleOf(text);
  const last = array.items?.at(-1);
  const multiLine = text.slice(array.start, array.end).includes('\n');
  if (!last)
    return {
      start: array.start + 1,
      end: array.end - 1,
      text: values.map((v) => format(v, style, undefined)).join(', '),
    };
  if (!multiLine) {
    return {
      start: last.end,
      end: last.end,
      text: values.map((v) => `, ${format(v, style, undefined)}`).join(''),
    };
  }
  const pad = indentAt(text, last.start);
  return {
    start: last.end,
    end: last.end,
    text: values.map((v) => `,\n${pad}${format(v, style, pad)}`).join(''),
  };
}

/** Replaces a node with `value`, written on one line in the file's style. */
export function replaceNode(text: string, node: JsonNode, value: unknown): Splice {
  return { start: node.start, end: node.end, text: format(value, styleOf(text), undefined) };
}
