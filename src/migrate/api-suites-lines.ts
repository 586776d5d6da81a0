import type { SuiteAssertion, SuiteTool } from './types.js';

/**
 * The line readers of api-suites.ts: suite formats written a line per step (Hurl, Bruno, Gherkin / Karate, Tavern).
 * Each returns the assertions on a 403, 1-based line and column of the `403` token, the request the file makes
 * before it where the format names one (`GET {{host}}/orders`), and the line as written (trimmed).
 */

/** `403` as a token (not part of `4031` or `a403`). */
const STATUS_TOKEN = /(?<![\w.])403(?![\w.])/;

/** The lines of a text with their 0-based numbers, line breaks `\n` or `\r\n`. */
function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

function assertion(
  tool: SuiteTool,
  file: string,
  index: number,
  line: string,
  column: number,
  request: string | undefined,
): SuiteAssertion {
  return {
    file,
    line: index + 1,
    column: column + 1,
    tool,
    ...(request ? { request } : {}),
    assertion: line.trim(),
  };
}

/**
 * A line of JavaScript (a Postman or Bruno test script) that asserts a 403: the token outside string literals and
 * comments, or chai-http's `forbidden` / `status('Forbidden')` (Postman's `pm.response.to.be.forbidden`).
 * Returns the 0-based column of what was found, or -1.
 */
export function scriptAssertsForbidden(line: string): number {
  const code = line
    .replace(/\/\/.*$/, (m) => ' '.repeat(m.length))
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, (m) => ' '.repeat(m.length));
  const token = STATUS_TOKEN.exec(code);
  if (token) return token.index;
  const named = /\.forbidden\b|\bstatus\(\s*(["'])Forbidden\1\s*\)/.exec(line);
  return named ? named.index : -1;
}

/** Hurl request line: an upper-case method and a URL (https://hurl.dev/docs/request.html). */
const HURL_REQUEST = /^\s*([A-Z]+)\s+(\S+)/;

/**
 * Hurl: the implicit status assert of a response line (`HTTP 403`, `HTTP/1.1 403`) and `status == 403` (or any
 * predicate naming 403) in `[Asserts]`.
 */
export function hurlAssertions(file: string, text: string): SuiteAssertion[] {
  const found: SuiteAssertion[] = [];
  let request: string | undefined;
  linesOf(text).forEach((line, i) => {
    if (/^\s*#/.test(line)) return;
    const response = /^\s*HTTP(?:\/[\d.]+)?\s+(403)\b/.exec(line);
    if (response) {
      found.push(assertion('Hurl', file, i, line, line.indexOf('403'), request));
      return;
    }
    const status = /^\s*status\b.*?(?<![\w.])(403)(?![\w.])/.exec(line);
    if (status) {
      found.push(assertion('Hurl', file, i, line, status.index + status[0].length - 3, request));
      return;
    }
    const req = HURL_REQUEST.exec(line);
    if (req && !/^HTTP/.test(req[1]) && /^(https?:|\{\{|\/)/.test(req[2])) request = `${req[1]} ${req[2]}`;
  });
  return found;
}

/**
 * Bruno (`.bru`): in the `assert`, `tests` and `script:post-response` blocks, an assertion naming 403
 * (`res.status: eq 403`, `expect(res.getStatus()).to.equal(403)`); the request is the method block's `url`.
 */
export function brunoAssertions(file: string, text: string): SuiteAssertion[] {
  const found: SuiteAssertion[] = [];
  let block: string | undefined;
  let method: string | undefined;
  let url: string | undefined;
  linesOf(text).forEach((line, i) => {
    const open = /^([a-z][\w:-]*)\s*\{\s*$/.exec(line);
    if (open) {
      block = open[1];
      if (/^(get|post|put|patch|delete|head|options|trace|connect)$/.test(block))
        method = block.toUpperCase();
      return;
    }
    if (/^\}\s*$/.test(line)) {
      block = undefined;
      return;
    }
    if (block && method && block.toUpperCase() === method) {
      const u = /^\s*url:\s*(.+?)\s*$/.exec(line);
      if (u) url = u[1];
      return;
    }
    if (block === 'assert') {
      const at = /^\s*res\.(?:status|getStatus\(\))\s*:.*?(?<![\w.])403(?![\w.])/.exec(line);
      if (at) found.push(assertion('Bruno', file, i, line, line.lastIndexOf('403'), requestOf(method, url)));
      return;
    }
    if (block === 'tests' || block === 'script:post-response') {
      const column = scriptAssertsForbidden(line);
      if (column >= 0) found.push(assertion('Bruno', file, i, line, column, requestOf(method, url)));
    }
  });
  return found;
}

function requestOf(method: string | undefined, url: string | undefined): string | undefined {
  return method && url ? `${method} ${url}` : (url ?? method);
}

/** A Gherkin step (https://cucumber.io/docs/gherkin/reference/), or Karate's `*` step. */
const STEP = /^\s*(?:Given|When|Then|And|But|\*)\s+(.*)$/;

/**
 * Gherkin features: Karate's `status 403` and `match responseStatus == 403` (tool `Karate`, with the request from
 * the scenario's `url` / `path` / `method` steps), and any other step or example-table row naming 403 (tool
 * `Gherkin`: Cucumber step definitions are code mtls-fix does not link, so the step is named as written).
 */
export function gherkinAssertions(file: string, text: string): SuiteAssertion[] {
  const found: SuiteAssertion[] = [];
  let url: string | undefined;
  let route: string | undefined;
  let method: string | undefined;
  let inDocString = false;
  linesOf(text).forEach((line, i) => {
    if (/^\s*("""|```)/.test(line)) inDocString = !inDocString;
    if (inDocString || /^\s*#/.test(line)) return;
    if (/^\s*(Scenario|Scenario Outline|Example|Background)\s*:/.test(line)) {
      method = undefined;
      route = undefined;
    }
    const step = STEP.exec(line);
    const body = step?.[1];
    if (body !== undefined) {
      const karateUrl = /^url\s+(.+)$/.exec(body);
      if (karateUrl) url = karateUrl[1].trim();
      const karatePath = /^path\s+(.+)$/.exec(body);
      if (karatePath) route = karatePath[1].trim();
      const karateMethod = /^method\s+(\w+)\s*$/.exec(body);
      if (karateMethod) method = karateMethod[1].toUpperCase();
    }
    const token = STATUS_TOKEN.exec(line);
    if (!token) return;
    const karate =
      body !== undefined &&
      (/^status\s+403\b/.test(body) || /^match\s+responseStatus\s*==\s*403\b/.test(body));
    const row = /^\s*\|.*\|\s*$/.test(line);
    if (!karate && body === undefined && !row) return;
    const request = karate
      ? [method, [url, route].filter(Boolean).join(' path ')].filter(Boolean).join(' ') || undefined
      : undefined;
    found.push(assertion(karate ? 'Karate' : 'Gherkin', file, i, line, token.index, request));
  });
  return found;
}

/**
 * Tavern (`*.tavern.yaml`): `status_code: 403` (or a list holding 403) in a stage's `response`; the request is the
 * stage's `method` and `url` read before it.
 */
export function tavernAssertions(file: string, text: string): SuiteAssertion[] {
  const found: SuiteAssertion[] = [];
  let url: string | undefined;
  let method: string | undefined;
  linesOf(text).forEach((line, i) => {
    if (/^\s*#/.test(line)) return;
    if (/^\s*-\s*name\s*:/.test(line)) {
      url = undefined;
      method = undefined;
    }
    const u = /^\s*url\s*:\s*(.+?)\s*$/.exec(line);
    if (u) url = u[1].replace(/^["']|["']$/g, '');
    const m = /^\s*method\s*:\s*["']?(\w+)/.exec(line);
    if (m) method = m[1].toUpperCase();
    const status = /^\s*(?:-\s*)?status_code\s*:.*?(?<![\w.])403(?![\w.])/.exec(line);
    if (status)
      found.push(
        assertion('Tavern', file, i, line, line.lastIndexOf('403'), requestOf(method ?? 'GET', url)),
      );
  });
  return found;
}
