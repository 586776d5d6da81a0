// The text of a test snapshot (Jest and Vitest `.snap` entries, inline snapshots, node:test `.snapshot` entries):
// where it holds the reply's status 403 and the reason phrase beside it. A snapshot is the printed value, so a
// status is a key of a printed object (`"status": 403`, pretty-format and JSON.stringify quote keys) or the whole
// text when the subject is the status itself (`expect(res.status).toMatchInlineSnapshot('403')`), or the status
// line of a printed HTTP reply (`HTTP/1.1 403 Forbidden`).

/** A `[start, end)` range of a snapshot text. */
export interface TextRange {
  start: number;
  end: number;
}

/** What a snapshot text holds: its status 403s, the reason phrases beside them, and any other 403 in it. */
export interface SnapshotStatuses {
  /**
   * Each `403` that a status key holds (or the whole text, for a status subject); for a status line, `403
   * Forbidden` with its reason phrase when it has one.
   */
  statuses: TextRange[];
  /** Each `Forbidden` that a phrase key holds (`"error": "Forbidden"`), or the whole text of a thrown message. */
  phrases: TextRange[];
  /** Offsets of 403s in no status slot (`"message": "got 403"`): the text is not the reply's status alone. */
  others: number[];
}

/** Keys of a printed reply or error body whose value is the status (tests/vocabulary.ts `BODY_STATUS_KEYS`). */
const STATUS_KEY = /(["']?)\b(?:status|statusCode|httpCode|code)\1:\s*(403)\b/g;
/** Keys whose value is the reason phrase (tests/vocabulary.ts `PHRASE_KEYS`). */
const PHRASE_KEY = /(["']?)\b(?:error|message|title|statusMessage|statusText)\1:\s*(["'])(Forbidden)\2/g;

/**
 * A printed reply's status line (`HTTP/1.1 403 Forbidden`, jest-axios-snapshot's serializer of an axios response),
 * alone on its line: its 403 is the status, and `Forbidden` after it the status's own reason phrase (trial39 #07).
 */
const STATUS_LINE = /^([ \t]*HTTP\/\d(?:\.\d)? )(403)(?: (Forbidden))?[ \t]*$/gm;

/**
 * The status 403s and phrases of a snapshot text.
 *
 * @param text the snapshot's text (an inline snapshot's literal without its quotes, a `.snap` entry's value)
 * @param statusSubject the snapshot is of the status itself (`expect(res.status)`): a text that is `403`
 *   alone is the status
 */
export function snapshotStatuses(text: string, statusSubject = false): SnapshotStatuses {
  const statuses: TextRange[] = [];
  const phrases: TextRange[] = [];
  const whole = /^\s*(["']?)(403|Forbidden)\1\s*$/.exec(text);
  if (whole) {
    const start = whole.index + whole[0].indexOf(whole[2]);
    const range = { start, end: start + whole[2].length };
    // `toThrowErrorMatchingInlineSnapshot(`"Forbidden"`)`: the message of a throw that gives only the status.
    if (whole[2] === 'Forbidden') return { statuses, phrases: [range], others: [] };
    if (statusSubject) return { statuses: [range], phrases, others: [] };
  }
  // The status line's reason phrase is the status's own (the server never sends it apart): one range with it.
  for (const match of text.matchAll(STATUS_LINE)) {
    const start = (match.index ?? 0) + (match[1] ?? '').length;
    statuses.push({ start, end: start + 3 + (match[3] ? 1 + match[3].length : 0) });
  }
  for (const match of text.matchAll(STATUS_KEY)) {
    const start = (match.index ?? 0) + match[0].length - 3;
    statuses.push({ start, end: start + 3 });
  }
  for (const match of text.matchAll(PHRASE_KEY)) {
    const start = (match.index ?? 0) + match[0].length - 'Forbidden'.length - 1;
    phrases.push({ start, end: start + 'Forbidden'.length });
  }
  const others = [...text.matchAll(/\b403\b/g)]
    .map((m) => m.index ?? 0)
    .filter((at) => !statuses.some((s) => s.start === at));
  return { statuses, phrases, others };
}
