import { printParseErrorCode, visit } from 'jsonc-parser';

/**
 * jsonc-parser's error names (`printParseErrorCode`): its `ParseErrorCode` is a `const enum`, which code compiled
 * file by file (`isolatedModules`) cannot read, so errors are told apart by name.
 */
type ErrorName =
  | 'InvalidSymbol'
  | 'InvalidNumberFormat'
  | 'PropertyNameExpected'
  | 'ValueExpected'
  | 'ColonExpected'
  | 'CommaExpected'
  | 'CloseBraceExpected'
  | 'CloseBracketExpected'
  | 'EndOfFileExpected'
  | 'InvalidCommentToken'
  | 'UnexpectedEndOfComment'
  | 'UnexpectedEndOfString'
  | 'UnexpectedEndOfNumber'
  | 'InvalidUnicode'
  | 'InvalidEscapeCharacter'
  | 'InvalidCharacter';

/**
 * Where a JSON text (RFC 8259) first breaks the grammar, and what is wrong there in words a person reads
 * (`a trailing comma before '}' (JSON allows none)`). `JSON.parse` says only "at position 8" on Node 20, or nothing
 * of where ("Unexpected token '}', ... is not valid JSON"); a YAML reader's wording ("end of the stream within a
 * flow collection") names no JSON rule at all. The grammar is read by Microsoft's jsonc-parser (the reader VS Code
 * uses for its JSON files) with comments and trailing commas refused; this module only words its first error.
 */

/** The first syntax error of a JSON text: 1-based line and column (UTF-16 units), and what is wrong. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  /** e.g. `a trailing comma before '}' (JSON allows none)`. */
  problem: string;
}

/** Arrays and objects nested deeper than this are reported (jsonc-parser's reader recurses once per level). */
const MAX_DEPTH = 512;

/** An error found: where (an offset into the text) and the words. */
interface Found {
  at: number;
  problem: string;
}

/**
 * The first syntax error of `text` read as JSON (a leading byte order mark allowed), or undefined when it is
 * valid JSON. Never throws.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  // A byte order mark is no column of the first line.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const found = grammarError(source) ?? spaceError(source);
  return found && { ...lineAndColumn(source, found.at), problem: found.problem };
}

/** The first error jsonc-parser reports, worded; undefined when it reports none. */
function grammarError(text: string): Found | undefined {
  // The offsets of the objects and arrays open where the reader is, innermost last.
  const open: { at: number; close: '}' | ']' }[] = [];
  let found: Found | undefined;
  const begin = (close: '}' | ']') => (at: number) => {
    open.push({ at, close });
    if (!found && open.length > MAX_DEPTH)
      found = { at, problem: `nested more than ${MAX_DEPTH} levels deep` };
  };
  // jsonc-parser ends an unclosed object or array before it reports the missing close: that one is meant then.
  let closed: { at: number; close: '}' | ']' } | undefined;
  const end = (): void => {
    closed = open.pop();
  };
  try {
    visit(
      text,
      {
        onObjectBegin: begin('}'),
        onObjectEnd: end,
        onArrayBegin: begin(']'),
        onArrayEnd: end,
        onError: (error, at, length) => {
          const code = printParseErrorCode(error) as ErrorName;
          const missingClose = code === 'CloseBraceExpected' || code === 'CloseBracketExpected';
          found ??= worded(text, code, at, length, missingClose ? closed : open.at(-1));
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (error) {
    // A text nested deep enough to overflow the reader's recursion: its depth was reported on the way down.
    if (!(error instanceof RangeError) || !found) throw error;
  }
  return found;
}

/** One jsonc-parser error in words: `code` at `at` (`length` characters), inside `container` if any. */
function worded(
  text: string,
  code: ErrorName,
  at: number,
  length: number,
  container: { at: number; close: '}' | ']' } | undefined,
): Found {
  const c = text[at];
  const shown = c === undefined ? 'the end of the file' : `'${c}'`;
  const atEnd = text.slice(at).trim() === '';
  if (atEnd && code !== 'UnexpectedEndOfString') {
    if (container) {
      const kind = container.close === '}' ? 'an object' : 'an array';
      return {
        at: text.length,
        problem: `the file ends inside ${kind} (a '${container.close}' missing for line ${lineAndColumn(text, container.at).line})`,
      };
    }
    return {
      at: text.length,
      problem:
        text.trim() === '' ? 'the file is empty (JSON needs a value)' : 'the file ends where a value is due',
    };
  }
  // A comma right before the close: jsonc-parser reports the close, the comma is what to remove.
  if ((c === '}' || c === ']') && (code === 'PropertyNameExpected' || code === 'ValueExpected')) {
    const comma = text.slice(0, at).trimEnd().length - 1;
    if (text[comma] === ',')
      return { at: comma, problem: `a trailing comma before '${c}' (JSON allows none)` };
  }
  if (c !== undefined && NOT_JSON_SPACE.test(c)) return { at, problem: notJsonSpace(c) };
  const keyDue =
    container?.close === '}' && /[{,]$/.test(text.slice(0, at).trimEnd()) && code !== 'ColonExpected';
  switch (code) {
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return { at, problem: 'a comment (JSON allows none)' };
    case 'UnexpectedEndOfString':
      // The reader ends an unclosed string at a line break (the token stops before it) or at the end of the file.
      return /[\r\n]/.test(text[at + length] ?? '')
        ? { at: at + length, problem: 'a line break inside a string (write \\n, or close the string)' }
        : { at, problem: "a string that is never closed (a '\"' missing)" };
    case 'InvalidCharacter': {
      let control = at;
      while (control < at + length && text.charCodeAt(control) >= 0x20) control++;
      return {
        at: control < at + length ? control : at,
        problem: 'a control character inside a string (escape it)',
      };
    }
    case 'InvalidUnicode':
      return {
        at: at + Math.max(text.slice(at, at + length).indexOf('\\u'), 0),
        problem: 'a \\u escape without four hex digits',
      };
    case 'InvalidEscapeCharacter': {
      const escape = /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])|\\(.?)/g;
      for (let m = escape.exec(text.slice(at, at + length)); m; m = escape.exec(text.slice(at, at + length)))
        if (m[1] !== undefined)
          return { at: at + m.index, problem: `an unknown escape \\${m[1]} in a string` };
      return { at, problem: 'an unknown escape in a string' };
    }
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return { at, problem: 'a number JSON cannot read' };
    case 'ColonExpected':
      return { at, problem: `${shown} where ':' is due after the key` };
    case 'CommaExpected':
    case 'CloseBraceExpected':
    case 'CloseBracketExpected': {
      const close = container?.close ?? (code === 'CloseBracketExpected' ? ']' : '}');
      return { at, problem: `${shown} where ',' or '${close}' is due (a comma missing?)` };
    }
    case 'EndOfFileExpected':
      return {
        at,
        problem: `${shown} after the end of the JSON value (a second value, or a '}' or ']' too many)`,
      };
    default:
      // InvalidSymbol, PropertyNameExpected, ValueExpected: something where a key or a value is due.
      if (c === "'")
        return keyDue
          ? { at, problem: 'a key in single quotes (JSON keys take double quotes)' }
          : { at, problem: 'a string in single quotes (JSON strings take double quotes)' };
      if (keyDue) return { at, problem: `${shown} where a key in double quotes is due` };
      if (c === '-' || c === '.') return { at, problem: 'a number JSON cannot read' };
      return { at, problem: `${shown} where a value is due` };
  }
}

/**
 * White space JSON does not allow between tokens (RFC 8259 §2: space, tab, line feed, carriage return only) where
 * jsonc-parser reads it as space (a vertical tab, a form feed): looked for only when `JSON.parse` refuses a text
 * jsonc-parser took, outside strings.
 */
function spaceError(text: string): Found | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    const outsideStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, (string) => ' '.repeat(string.length));
    const at = outsideStrings.search(NOT_JSON_SPACE);
    return at >= 0 ? { at, problem: notJsonSpace(text.charAt(at)) } : undefined;
  }
}

/** Characters that read as space in JavaScript but not in JSON (RFC 8259 §2 allows space, tab, LF and CR only). */
const NOT_JSON_SPACE = /[\v\f\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;

function notJsonSpace(c: string): string {
  const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `a U+${code} where JSON allows only spaces, tabs and line breaks`;
}

/** 1-based line and column of `offset` in `text` (`\r\n`, `\r` and `\n` each end a line). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let at = 0; at < offset; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(at + 1) !== 0x0a)) {
      line++;
      start = at + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
