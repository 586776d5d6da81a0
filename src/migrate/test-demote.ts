import type { FileAnalysis } from './analysis.js';
import { findOccurrences, type Occurrence } from './census.js';
import { isExpectedValue } from './frameworks/tests/inputs.js';
import { isRequestInput, REQUEST_INPUT } from './frameworks/tests/request-inputs.js';
import { nodeAt } from './routes/reach.js';
import { relaysAnError } from './status-relays.js';
import type { Site } from './types.js';

/**
 * A test file's own servers and errors (`app.get('/x', (req, res) => res.status(403))` in a test,
 * `new BadInput('nope', 403)`, a fake upstream in a test helper) are the test's scaffolding, never the product:
 * their sites become not-an-emit (`test-fixture`) before the census, and assertions on them stay as they are.
 * Only the `tests` module's assertion sites remain; they are decided by `TestFollower`.
 */
export function demoteTestFixtures(analysis: FileAnalysis): void {
  if (!analysis.options.testFile) return;
  const sites = analysis.sites;
  const occurrences = findOccurrences(analysis);
  for (let i = sites.length - 1; i >= 0; i--) {
    const site = sites[i];
    if (!site || site.framework === 'tests') continue;
    // The error an assertion expects, built as the server builds it (`rejects.toThrowError(Boom.forbidden(m))`,
    // `toHaveBeenCalledWith(createError(403, m))`, `rejects.toEqual(new AppError(403))`): a mirror of the
    // server's 403, decided as the test's other assertions are (it follows the unit or request it checks); one
    // in a shape that cannot be rewritten stays manual with its reason, never a silent test fixture.
    const token = nodeAt(analysis.sourceFile, site.start);
    if (token && isExpectedValue(token)) {
      site.framework = 'tests';
      continue;
    }
    sites.splice(i, 1);
    // A status the test's server relays from the error the product hands it (pillarjs/serve-index's
    // `res.statusCode = err ? (err.status || 500) : 404` in its `createServer`, an error handler's
    // `res.status(err.status || 500)`, Koa's `ctx.status = err.status`) holds no 403 of its own: it sends what
    // the product throws, so it builds nothing the test's assertions could be checking instead.
    if (
      site.kind === 'manual' &&
      !holds403(occurrences, site) &&
      relaysAnError(analysis.sourceFile, site.span.start, site.span.end)
    )
      continue;
    // What a request sends to the server (`fetch(url, { body: JSON.stringify({ statusCode: 403 }) })`, a
    // Lambda event): the server answers it, so it is no 403 the test builds itself (request-inputs.ts).
    const kind = token && isRequestInput(token) ? REQUEST_INPUT : 'test-fixture';
    const range = { start: site.span.start, end: site.span.end, kind };
    if (kind === 'test-fixture') DEMOTED.set(range, site);
    analysis.notAnEmitRanges.push(range);
  }
}

/** The not-an-emit ranges `demoteTestFixtures` made of a server site's form in a test file, with that site. */
const DEMOTED = new WeakMap<object, Site>();

/**
 * The server site (`res.status(403)` in a stub app's handler) a not-an-emit range of a test file was made from
 * by `demoteTestFixtures`; undefined for any other range (a fake's value: `mockResolvedValue({ status: 403 })`).
 */
export function demotedServerSite(range: object): Site | undefined {
  return DEMOTED.get(range);
}

/** Whether a 403 occurrence (a literal, a `Forbidden` name or phrase) lies inside the site's whole form. */
function holds403(occurrences: readonly Occurrence[], site: Site): boolean {
  return occurrences.some((o) => o.start >= site.span.start && o.end <= site.span.end);
}
