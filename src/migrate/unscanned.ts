import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { firstOccurrenceIndex, occurrenceMatches } from './occurrence-source.js';
import { firstFormInReadings, textReadings } from './wide-sources.js';
import { linesOfText } from '../util/lines.js';

/**
 * Files discovery looks at beyond the parsed extensions, so that a clean run means clean:
 * - **Node scripts without an extension** (`bin/www` as express-generator writes it, a root `server` script):
 *   JavaScript by their `#!` line, so they are scanned like any `.js` file.
 * - **Source in languages mtls-fix does not parse** (CoffeeScript, LiveScript, Vue and Svelte single-file
 *   components, ...; and the server languages of a polyglot repository: Java, Go, Python, ...): never parsed,
 *   but when the text holds a 403 form the file is named (skipped reason `unsupported-language` and a warning
 *   with the line), instead of a summary that reads as if nothing were there.
 */

/** Languages (as `in ...` reads) that hold server code (or a `<script>` block of it) which the TypeScript parser cannot read, by extension. */
export const UNPARSED_LANGUAGES: Readonly<Record<string, string>> = {
  '.coffee': 'CoffeeScript',
  '.litcoffee': 'CoffeeScript',
  '.iced': 'IcedCoffeeScript',
  '.ls': 'LiveScript',
  '.es6': 'JavaScript with the .es6 extension',
  '.vue': 'a Vue single-file component',
  '.svelte': 'a Svelte component',
  '.marko': 'a Marko template',
  '.civet': 'Civet',
};

/**
 * Server languages that `migrate` does not rewrite at all (it rewrites JavaScript and TypeScript): in a
 * polyglot repository a 403 in a Java, Go or Python service must be named, not passed over. iOS client code
 * (Swift, Objective-C) is not listed: it reads 403s, it does not answer them.
 */
export const OTHER_SERVER_LANGUAGES: Readonly<Record<string, string>> = {
  '.java': 'Java',
  '.kt': 'Kotlin',
  '.scala': 'Scala',
  '.groovy': 'Groovy',
  '.go': 'Go',
  '.py': 'Python',
  '.rb': 'Ruby',
  '.php': 'PHP',
  '.cs': 'C#',
  '.rs': 'Rust',
  '.ex': 'Elixir',
};

/**
 * Checks in other server languages that answer 403 with no 403 form in their text, each with what the user is
 * told. Their 403s come from the framework: `AccessDeniedException` and the access annotations of Spring Security
 * (and Jakarta `@RolesAllowed`), ASP.NET Core `Forbid()` and role or policy `[Authorize]` (403 for a signed-in
 * caller), Django REST framework permissions, Laravel authorization, Pundit / CanCanCan; and API Gateway Lambda
 * authorizers in any language (a `Deny` policy is ACCESS_DENIED, an HTTP API `isAuthorized` false is 403).
 */
const OTHER_LANGUAGE_IMPLICIT: readonly { pattern: RegExp; when?: RegExp; source: string }[] = [
  {
    pattern: /['"]Deny['"]/,
    when: /\b(?:methodArn|routeArn|policyDocument|principalId)\b/,
    source: 'an API Gateway authorizer Deny policy (API Gateway answers it with 403, ACCESS_DENIED)',
  },
  {
    pattern: /['"]?isAuthorized['"]?\s*[:=]\s*(?:False|false)\b/,
    source: "an HTTP API authorizer's isAuthorized false (API Gateway answers it with 403)",
  },
  {
    pattern:
      /\bAccessDeniedException\b|@(?:PreAuthorize|PostAuthorize|Secured|RolesAllowed)\b|\.(?:denyAll|hasRole|hasAnyRole|hasAuthority|hasAnyAuthority)\(/,
    source: 'a Spring Security access rule (a denial answers 403)',
  },
  {
    pattern: /\bForbid(?:Async)?\(|\bForbidResult\b|\[Authorize\s*\(\s*(?:Roles|Policy)\s*=/,
    source: 'an ASP.NET Core authorization rule (Forbid, or a role or policy a signed-in caller fails: 403)',
  },
  {
    pattern: /\bpermission_classes\b|\bdef\s+has_(?:object_)?permission\s*\(/,
    source: 'a Django REST framework permission (a denial answers 403)',
  },
  {
    pattern: /\bAuthorizationException\b|\bGate::(?:authorize|denies)\b|\$this->authorize\(/,
    source: 'a Laravel authorization check (a denial answers 403)',
  },
  {
    pattern: /\bNotAuthorizedError\b|\bCanCan::AccessDenied\b|\bauthorize!\s*[:(]/,
    source: 'a Pundit or CanCanCan authorization check (usually rescued as 403)',
  },
];

/** The first check of {@link OTHER_LANGUAGE_IMPLICIT} in `text`: its offset and what it is. */
function implicitCheck(text: string): { index: number; source: string } | undefined {
  let first: { index: number; source: string } | undefined;
  for (const { pattern, when, source } of OTHER_LANGUAGE_IMPLICIT) {
    if (when && !when.test(text)) continue;
    const match = pattern.exec(text);
    if (match && (!first || match.index < first.index)) first = { index: match.index, source };
  }
  return first;
}

/** The glob for {@link OTHER_SERVER_LANGUAGES} files (relative to a scanned folder). */
export const OTHER_LANGUAGE_PATTERN = `**/*.{${Object.keys(OTHER_SERVER_LANGUAGES)
  .map((e) => e.slice(1))
  .join(',')}}`;

/** Dependency and build folders of those languages (a virtualenv holds thousands of files): not looked at. */
const OTHER_LANGUAGE_FOLDERS =
  /(^|\/)(vendor|venv|site-packages|__pycache__|target|build|bin|obj|deps|_build)\//;

/**
 * Whether a file of {@link OTHER_SERVER_LANGUAGES} (path relative to the scanned folder, `/`-separated) is a
 * server file worth reading: not in a dependency or build folder, not a test ({@link isOtherLanguageTest}).
 */
export function isOtherLanguageServerFile(relative: string): boolean {
  return !OTHER_LANGUAGE_FOLDERS.test(relative) && !isOtherLanguageTest(relative);
}

/**
 * A test file by the conventions of {@link OTHER_SERVER_LANGUAGES} (JUnit `*Test.java` / `*IT.java`, Go
 * `*_test.go`, pytest `test_*.py` / `*_test.py` / `conftest.py`, RSpec `*_spec.rb`, xUnit `*Tests.cs`,
 * ExUnit `*_test.exs`, Spock `*Spec.groovy`) or in a test source folder (`src/test/`, `androidTest/`,
 * `testFixtures/`): tests follow the server, so only server files are named.
 */
export function isOtherLanguageTest(relative: string): boolean {
  return (
    /(^|\/)(test|tests|spec|specs|__tests__|e2e|androidTest|testFixtures|integrationTest)\//.test(relative) ||
    /(Tests?|IT|Spec)\.(java|kt|scala|groovy|cs)$/.test(relative) ||
    /_test\.(go|py|rb)$/.test(relative) ||
    /(^|\/)(test_[^/]*|conftest)\.py$/.test(relative) ||
    /_spec\.rb$/.test(relative) ||
    /Test\.php$/.test(relative)
  );
}

/** Glob patterns (relative to a scanned folder) for the files this module decides about. */
export const EXTRA_PATTERNS: readonly string[] = [
  `**/*.{${Object.keys(UNPARSED_LANGUAGES)
    .map((e) => e.slice(1))
    .join(',')}}`,
  // Extensionless scripts: where Node projects keep them (a `bin` folder) and at the root of a scanned folder.
  '**/bin/*',
  '*',
];

/** `#!/usr/bin/env node`, `#!/usr/local/bin/node --flag`, `#!/usr/bin/env -S bun`, ts-node, tsx, deno. */
const NODE_SHEBANG = /^#![^\n]*\b(?:node|nodejs|bun|deno|ts-node|tsx)\b/;

/** What discovery does with a file the source glob did not pick. */
export type ExtraFile =
  | { kind: 'script' }
  /** `line`: 1-based, of the first 403 form; undefined when the file could not be read (it is named all the same). */
  | {
      kind: 'unparsed';
      language: string;
      line: number | undefined;
      /** What answers 403 at `line` when it is no 403 form (a framework check); undefined for a 403 form. */
      source?: string;
    }
  | { kind: 'none' };

/** The language of a file `migrate` does not parse, by its extension (`Go`, `Vue single-file component`), or undefined. */
export function languageOf(file: string): string | undefined {
  const extension = path.extname(file).toLowerCase();
  return UNPARSED_LANGUAGES[extension] ?? OTHER_SERVER_LANGUAGES[extension];
}

/**
 * Classifies one file found by `EXTRA_PATTERNS`: a Node script to scan, a file in an unparsed language whose
 * text holds a 403 form (with the 1-based line of the first one), a server file in another language with a
 * framework check that answers 403 ({@link OTHER_LANGUAGE_IMPLICIT}, with `source`), or that cannot be read;
 * or nothing to say (no extension and no Node `#!` line, a foreign file with neither).
 */
export function classifyExtraFile(absolute: string): ExtraFile {
  const base = path.basename(absolute);
  const extension = path.extname(base).toLowerCase();
  const language = UNPARSED_LANGUAGES[extension] ?? OTHER_SERVER_LANGUAGES[extension];
  if (language) {
    const text = readText(absolute);
    if (text === undefined) return { kind: 'unparsed', language, line: undefined };
    const lineAt = (index: number): number => linesOfText(text).line(index);
    const at = OTHER_SERVER_LANGUAGES[extension] ? answeredForm(text, extension) : firstForm(text);
    if (at !== undefined) return { kind: 'unparsed', language, line: lineAt(at) };
    const check = OTHER_SERVER_LANGUAGES[extension] ? implicitCheck(text) : undefined;
    if (!check) return { kind: 'none' };
    return { kind: 'unparsed', language, line: lineAt(check.index), source: check.source };
  }
  if (base.includes('.')) return { kind: 'none' };
  return NODE_SHEBANG.test(firstBytes(absolute, 160)) ? { kind: 'script' } : { kind: 'none' };
}

/** The offset of the first 403 form in `text`, anywhere but the SVG geometry of its markup ({@link blankSvgGeometry}). */
function firstForm(text: string): number | undefined {
  return firstOccurrenceIndex(blankSvgGeometry(text));
}

/** SVG attributes that hold numbers for drawing, never a status: path data, polygon points, the view box, transforms. */
const SVG_GEOMETRY =
  /\b(?:d|points|viewBox|transform|x[12]?|y[12]?|cx|cy|r|rx|ry|width|height|stroke-dasharray|stroke-width)\s*=\s*(?:"[^"]*"|'[^']*')/g;

/**
 * `text` with the value of every SVG geometry attribute inside an `<svg>` element of its markup (`d="M403 …"`,
 * `viewBox="0 0 403 512"`) replaced by spaces, offsets and line breaks kept. Breaker50 (sinnwerkstatt/landmatrix): two Font Awesome icon
 * components (`<path d="… 403.2 …" />` in a `.svelte` file) were each "a 403 form in a Svelte component, which
 * mtls-fix does not parse: review it by hand", and failed `--check`, in a front end with no such 403.
 */
export function blankSvgGeometry(text: string): string {
  return text.replace(SVG_ELEMENT, (svg) =>
    svg.replace(SVG_GEOMETRY, (attribute) => attribute.replace(/[^\n]/g, ' ')),
  );
}

/** An `<svg …>…</svg>` element (or one that closes itself): only there are these attributes drawing. */
const SVG_ELEMENT = /<svg\b[^>]*?(?:\/>|>[\s\S]*?<\/svg\s*>)/gi;

/** Languages whose comments start with `#` (besides or instead of `//` and block comments). */
const HASH_COMMENTS = new Set(['.py', '.rb', '.ex', '.php']);

/**
 * The offset of the first 403 form in a server file of another language that can answer a 403: not in a comment
 * (`// retry on 401/403`, a Javadoc line, `# 403 means…`) and not a comparison that reads one
 * (`response.code() == HTTP_FORBIDDEN`, `if status != 403`): a generated API client holds only those.
 */
function answeredForm(text: string, extension: string): number | undefined {
  const code = blankComments(text, HASH_COMMENTS.has(extension));
  for (const match of occurrenceMatches(code)) {
    const before = code.slice(Math.max(0, match.index - 60), match.index);
    const after = code.slice(match.index + match.length, match.index + match.length + 60);
    if (/(?:[!=]==?|\.equals\(|\bis\s+(?:not\s+)?)\s*[\w.]*$/.test(before)) continue;
    if (/^[\w.]*(?:\(\))?\s*[!=]==?/.test(after)) continue;
    return match.index;
  }
  return undefined;
}

/**
 * `text` with the body of every comment replaced by spaces (line breaks kept, so offsets and lines stay):
 * `//` and `/* … *\/` comments, and `#` comments when `hash` is set; quoted strings are skipped over whole.
 */
function blankComments(text: string, hash: boolean): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      blank(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      blank(i, end === -1 ? text.length : end + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (hash && c === '#') {
      const end = text.indexOf('\n', i);
      blank(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    } else i++;
  }
  return out.join('');
}

/**
 * The text of a file to look for 403 forms in, or undefined when it cannot be read: as read (UTF-8), or for a
 * text with zero bytes the reading of its bytes that shows a 403 form (wide-sources.ts `textReadings`: UTF-16 or
 * UTF-32, ASCII among zero bytes), else the most faithful one.
 */
function readText(absolute: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
  const readings = textReadings(absolute, text);
  return firstFormInReadings(readings)?.text ?? readings[0];
}

function firstBytes(absolute: string, count: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    const buffer = Buffer.alloc(count);
    const read = readSync(fd, buffer, 0, count, 0);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
