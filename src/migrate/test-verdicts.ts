import type { Project } from './routes/project.js';
import { documentsOnly } from './test-doc-sites.js';
import type { BuiltHere } from './test-built.js';
import { isMessageArgument, statusOnlyForm } from './test-phrases.js';
import { passesThroughBeside } from './test-pass-through.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * What the server side of the run decided, for the test follower: each non-test site and whether this run
 * rewrote it (rewritten or would-rewrite). Sites that stay 403 (manual, ignored, refused, out of scope) are
 * `false`.
 */
export type ServerOutcomes = ReadonlyMap<Site, boolean>;

/**
 * What an assertion reads of the 403: `false` its status; `true` a body text ('Forbidden'); `'error'` the body's
 * `error` key of a framework-shaped body (`{ statusCode: 403, error: 'Forbidden' }`, `res.body.error`), which
 * Nest, Boom, @fastify/sensible and http-errors write from the exception class or status, never from the message
 * argument beside it.
 */
export type PhraseRead = boolean | 'error';

/** Where a site is, for a reason a person reads: `src/app.ts:12`. */
export type SiteWhere = (site: Site) => string;

/**
 * What the follower decides for one assertion: keep its rewrite (`server`, when known: the rewritten site it
 * reaches and how, `res.status(403) (src/app.ts:3), reached by route GET /a (src/app.ts:3)`, for a reason that names it), make it manual with a
 * reason (`leftAlone`: the 403 it checks is one `--spec` leaves alone on purpose; `unchanged`: every server it
 * reaches still answers what the assertion reads, this run rewrote none of them, so it passes as before), or drop
 * it as not-an-emit of the given kind.
 */
export type Verdict = Kept | { manual: string; leftAlone?: true; unchanged?: true } | { notAnEmit: string };

/** The verdict of an assertion that follows its server ({@link Verdict}). */
export interface Kept {
  keep: true;
  server?: string;
}

/**
 * The verdict an assertion gets from the server sites it is linked to (test-follow.ts): it follows only when
 * every linked site that sends a 403 was rewritten by this run; else it is manual, naming a site that still
 * emits the 403 or saying its server could not be found.
 */
export class TestVerdicts {
  /**
   * @param project the follower's project (to read a site's file)
   * @param outcomes the non-test sites of this run and whether each was rewritten
   * @param textOf the text of an analysed file by relative path (to see which edits changed a phrase)
   * @param where `file:line` of a site, for reasons
   * @param leftAlone whether a non-test site stays 403 on purpose (`--spec`: reached from no mTLS operation)
   */
  constructor(
    private readonly project: Project,
    private readonly outcomes: ServerOutcomes,
    private readonly textOf: (relative: string) => string | undefined,
    private readonly where: SiteWhere,
    private readonly leftAlone: (site: Site) => boolean,
  ) {}

  /**
   * The verdict for an assertion whose request or unit reaches the sites `reached` (`via` names the route or
   * unit, for reasons); `phraseOnly`: the assertion checks a body text ('Forbidden') and no status (`'error'`:
   * the body's `error` key, which a message argument left beside the rewritten status does not write).
   */
  verdict(
    reached: Site[],
    phraseOnly: PhraseRead,
    via: string,
  ): Kept | { manual: string; leftAlone?: true; unchanged?: true } {
    if (!reached.length)
      return { manual: `whose server could not be found (no 403 site is reached from ${via})` };
    // A 403 that is only documented (`@ApiForbiddenResponse`, `responses: { 403 }`) sends nothing: the 403 the
    // test receives comes from code mtls-fix did not link, so a documented site never carries the test alone.
    const linked = reached.filter((s) => !this.documentsOnly(s));
    if (!linked.length)
      return {
        manual: `whose server could not be found (from ${via} only documentation of a 403 is reached, such as ${reached[0]?.form} (${reached[0] ? this.where(reached[0]) : ''}), no code that sends it)`,
      };
    // A text left beside a rewritten status (`{ code: 'forbidden' }` in the call that now sends 401) sends no
    // status: it keeps a status assertion from following only when the assertion reads that text.
    const rewritten = linked.filter((s) => this.outcomes.get(s));
    const still = this.stillAnswering(linked, rewritten);
    if (still.length) {
      // Name a site whose form is known before one in a shape nobody knows (a documentation decorator).
      const first = still.find((s) => s.framework !== 'unknown') ?? still[0];
      const more = still.length > 1 ? ` and ${still.length - 1} more` : '';
      // A 403 in a shape nobody knows has no form worth naming (its form is the bare token): name its place.
      const named = /[A-Za-z]/.test(first.form);
      // An implicit 403 reported at its import (`const CSRF = require('koa-csrf')`): the package answers it.
      const imported = /(?:\brequire\(\s*|\bfrom\s*)['"]([^'"]+)['"]/.exec(first.form)?.[1];
      const name = imported
        ? `the middleware ${imported} (its implicit 403, ${this.where(first)})`
        : first.framework !== 'unknown' && named
          ? `${first.form} (${this.where(first)})`
          : named
            ? `${first.form} (${this.where(first)}, its status could not be proven)`
            : `${this.where(first)} (its status could not be proven)`;
      // Sites this run rewrote reach it too: the test may fail after the run although a 403 is still sent.
      const also = rewritten.length
        ? `, and by ${rewritten[0].form} (${this.where(rewritten[0])})${rewritten.length > 1 ? ` and ${rewritten.length - 1} more` : ''} that this run rewrote`
        : '';
      const manual = `that is still emitted by ${name}${more}${also}`;
      if (rewritten.length) return { manual };
      return still.every(this.leftAlone) ? { manual, leftAlone: true } : { manual, unchanged: true };
    }
    // Every 403 it reaches is already answered with the agreed status by a filter of its route (session 41): the
    // assertion read no 403 before this run either, and nothing here changes what it receives.
    const answered = linked.find((s) => s.nestException?.coveredInTests);
    if (!rewritten.length && answered)
      return {
        manual: `that its route does not answer: ${answered.form} (${this.where(answered)}) is covered by ${answered.coveredBy ?? 'a filter of its route'}, in a test app too, so the assertion fails before and after this run`,
        unchanged: true,
      };
    // A body text ('Forbidden') follows only a server whose own edits changed such a text.
    // The message argument kept beside a renamed exception (`new UnauthorizedException('Forbidden')`) is no
    // `error` key: Nest writes that key from the class, Boom and the others from the status.
    const texts = linked.filter(
      (s) => rewritten.some((r) => textBeside(s, r)) && !(phraseOnly === 'error' && this.messageArgument(s)),
    );
    if (phraseOnly && (texts.length || !linked.some((s) => this.changesPhrase(s) || this.bodyFromStatus(s))))
      return { manual: `body text whose server (${via}) keeps its text`, unchanged: true };
    const first = rewritten[0];
    if (!first) return { keep: true };
    const more = rewritten.length > 1 ? ` and ${rewritten.length - 1} more` : '';
    return { keep: true, server: `${first.form} (${this.where(first)})${more}, reached by ${via}` };
  }

  /**
   * The sites of `reached` that still answer as before (not rewritten by this run, nor a text beside a rewritten
   * status), when this run rewrote none of them and every one is unproven (`unproven`: a status passed on from
   * elsewhere, or one whose status could not be proven); empty otherwise. Such an assertion's 403 rests on what
   * those sites are handed at run time, not on a 403 mtls-fix can see.
   */
  unprovenOnly(reached: readonly Site[]): Site[] {
    const linked = reached.filter((s) => !this.documentsOnly(s));
    const rewritten = linked.filter((s) => this.outcomes.get(s));
    if (rewritten.length) return [];
    const still = this.stillAnswering(linked, rewritten);
    return still.length && still.every(unproven) ? still : [];
  }

  /** What `where` says of a site in a reason: `res.status(parseInt(wanted)) (src/app.js:5)`. */
  describe(site: Site): string {
    return /[A-Za-z]/.test(site.form) ? `${site.form} (${this.where(site)})` : this.where(site);
  }

  /** The linked sites that still answer what they did: not rewritten, nor a text beside a rewritten status. */
  private stillAnswering(linked: readonly Site[], rewritten: readonly Site[]): Site[] {
    return linked.filter(
      // A text left beside a rewritten status (a manual site the census makes) sends no 403: for an assertion on
      // the body it means the server keeps its text (below), not that it still answers 403.
      // A run-time branch of the rewritten slot (`r === null ? 403 : r.status`) is no text: it may still send 403.
      // A Nest 403 a filter of its route already answers with the agreed status, in a test app too, sends none.
      (s) =>
        !this.outcomes.get(s) &&
        !s.nestException?.coveredInTests &&
        !rewritten.some((r) => textBeside(s, r) && !this.passesThrough(s, r)),
    );
  }

  /** The assertion may check the test's own 403 or the rewritten server's: manual, naming both. */
  ownAndRewritten(own: BuiltHere, linked: readonly Site[]): { manual: string } {
    const where = `${own.file.relative}:${lineAndCharacterAt(own.file.sourceFile, own.range.start).line + 1}`;
    const text = own.file.sourceFile.text
      .slice(own.range.start, own.range.end)
      .replace(/\s+/g, ' ')
      .slice(0, 60);
    const first = linked[0];
    return {
      manual: `that the test may build itself (${text}, ${where}) while it also reaches ${first.form} (${this.where(first)}), which this run rewrote; check which of the two it asserts`,
    };
  }

  /** Whether `site` is the pass-through branch of the slot `rewritten` changed (test-pass-through.ts). */
  private passesThrough(site: Site, rewritten: Site): boolean {
    const file = this.project.byRelative(site.file);
    return file ? passesThroughBeside(file.sourceFile, site, rewritten) : false;
  }

  /** Whether a site is the message argument of an error it builds (test-phrases.ts `isMessageArgument`). */
  private messageArgument(site: Site): boolean {
    const file = this.project.byRelative(site.file);
    return file ? isMessageArgument(file.sourceFile, site.start) : false;
  }

  /** Whether this run rewrote the site. */
  rewrote(site: Site): boolean {
    return this.outcomes.get(site) === true;
  }

  /** A status-only form (`ctx.status = 403`, `res.sendStatus(403)`): the framework writes the body from the status. */
  private bodyFromStatus(site: Site): boolean {
    const text = this.textOf(site.file);
    return text !== undefined && statusOnlyForm(text.slice(site.span.start, site.span.end));
  }

  private changesPhrase(site: Site): boolean {
    const text = this.textOf(site.file);
    return text !== undefined && site.edits.some((e) => /forbidden/i.test(text.slice(e.start, e.end)));
  }

  /** Whether a server site only documents its 403 (test-doc-sites.ts). */
  documentsOnly(site: Site): boolean {
    const file = this.project.byRelative(site.file);
    return file ? documentsOnly(file.sourceFile, site.start) : false;
  }
}

/**
 * Whether a manual site's 403 is unproven: a status it is handed ("Dynamic status: it may pass a 403 through",
 * a shared helper whose status comes from its caller) or a 403 in a shape mtls-fix does not know. What it sends
 * depends on run time, so it is no proof that a test reaching it still receives 403.
 */
function unproven(site: Site): boolean {
  return (
    site.kind === 'manual' &&
    (site.framework === 'unknown' || /^(?:Dynamic status|Shared helper)\b/.test(site.reason ?? ''))
  );
}

/** A manual site inside the form of a rewritten one (a companion text the rewrite left for a person). */
function textBeside(site: Site, rewritten: Site): boolean {
  return (
    site !== rewritten &&
    site.kind === 'manual' &&
    site.file === rewritten.file &&
    rewritten.span.start <= site.start &&
    site.end <= rewritten.span.end
  );
}
