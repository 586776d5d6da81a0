import { regExpAlternatives } from './regexp-anchors.js';
import { surprisal } from './source-chars.js';

/**
 * A pattern as a prefilter uses it: whether a text holds a match anywhere (`test`), and the RegExp it answers for
 * (`source`, `flags`), for a thread that builds its own. A RegExp without the `g` / `y` flag is one.
 */
export interface TextTest {
  readonly source: string;
  readonly flags: string;
  /**
   * A second pattern whose match answers yes too, for a thread that builds its own: a case-sensitive one beside
   * a case-insensitive `source` (migrate's prefilter: names carrying 403, occurrence-source.ts).
   */
  readonly also?: { readonly source: string; readonly flags: string };
  test(text: string): boolean;
}

/**
 * A {@link TextTest} that answers exactly as `pattern.test(text)` for every text, faster for a large alternation
 * (migrate's prefilter, prefilter.ts: ~90 alternatives, case-insensitive, which V8 ran at ~20 ns a character,
 * trying each alternative at each position). Each alternative is taken apart from the others with the literals
 * one of which its every match holds (regexp-anchors.ts); one pass over the text looks for those literals (by a
 * three-character window of each, in a bit table), and an alternative runs only where one of its literals
 * occurs: at that place when its matches begin there (a sticky RegExp), else once over the whole text. An
 * alternative with no literal of three characters or more runs on every text.
 *
 * The pattern itself is used as it is when it has the `g`, `y`, `u` or `v` flag (state, or a syntax the reader of
 * regexp-anchors.ts does not follow) or when its alternatives cannot be taken apart.
 */
export function anchoredTest(pattern: RegExp): TextTest {
  if (/[guyv]/.test(pattern.flags)) return pattern;
  const ignoreCase = pattern.flags.includes('i');
  const alternatives = regExpAlternatives(pattern.source, ignoreCase);
  if (!alternatives || alternatives.length < 2) return pattern;
  const always: RegExp[] = [];
  const anchored: Alternative[] = [];
  const table = new WindowTable(ignoreCase);
  for (const alternative of alternatives) {
    const anchors = alternative.anchors;
    if (!anchors || anchors.some((anchor) => anchor.length < WINDOW)) {
      always.push(new RegExp(alternative.source, pattern.flags));
      continue;
    }
    const index =
      anchored.push({
        pattern: new RegExp(alternative.source, pattern.flags + (alternative.atStart ? 'y' : '')),
        sticky: alternative.atStart,
      }) - 1;
    for (const anchor of anchors) table.add(anchor, index);
  }
  if (!anchored.length) return pattern;
  return new AnchoredTest(pattern, always, anchored, table);
}

/**
 * {@link anchoredTest} made on the first `test` call: a module can export it without paying for taking the
 * pattern apart (~5 ms) on a thread that never tests a text.
 */
export function lazyAnchoredTest(pattern: RegExp): TextTest {
  let made: TextTest | undefined;
  return {
    source: pattern.source,
    flags: pattern.flags,
    test: (text) => (made ??= anchoredTest(pattern)).test(text),
  };
}

/** Characters in a window: the bit table has 2^(7·WINDOW) bits. */
const WINDOW = 3;
const WINDOW_MASK = (1 << (7 * WINDOW)) - 1;

/**
 * The 7-bit code a character takes in a window: ASCII with bit 5 set, so `A` and `a` fall together (as do a few
 * other pairs, such as `@` and `` ` ``, and every non-ASCII character with some ASCII one: a false hit only
 * costs a comparison).
 */
function code7(charCode: number): number {
  return (charCode | 0x20) & 0x7f;
}

/**
 * An alternative of the pattern, compiled alone. Sticky when each of its matches begins at one of its anchors:
 * it is then tried where each anchor occurs; otherwise it runs once over the text.
 */
interface Alternative {
  pattern: RegExp;
  sticky: boolean;
}

/** A literal to find and the alternative it admits. */
interface Entry {
  anchor: string;
  /** Where the literal's window ends in it (the index of the window's last character). */
  windowEnd: number;
  alternative: number;
}

/** The anchors, by the 7-bit code of one window of each: a bit per window code, and the entries behind it. */
class WindowTable {
  readonly bits = new Uint32Array((WINDOW_MASK + 1) >>> 5);
  readonly entries = new Map<number, Entry[]>();

  constructor(readonly ignoreCase: boolean) {}

  add(anchor: string, alternative: number): void {
    // The window of rarest characters: the text holds it least often, so it stops the scan least often.
    let chosen = 0;
    let chosenScore = -1;
    for (let start = 0; start + WINDOW <= anchor.length; start++) {
      const score = surprisal(anchor.slice(start, start + WINDOW));
      if (score > chosenScore) {
        chosen = start;
        chosenScore = score;
      }
    }
    let key = 0;
    for (let k = 0; k < WINDOW; k++) key = (key << 7) | code7(anchor.charCodeAt(chosen + k));
    this.bits[key >>> 5] |= 1 << (key & 31);
    const list = this.entries.get(key) ?? [];
    list.push({ anchor, windowEnd: chosen + WINDOW - 1, alternative });
    this.entries.set(key, list);
  }
}

class AnchoredTest implements TextTest {
  readonly source: string;
  readonly flags: string;
  /** Per alternative, the call in which it last ran (so each runs once a call). */
  private readonly ran: Uint32Array;
  private call = 0;

  constructor(
    pattern: RegExp,
    private readonly always: readonly RegExp[],
    private readonly anchored: readonly Alternative[],
    private readonly table: WindowTable,
  ) {
    this.source = pattern.source;
    this.flags = pattern.flags;
    this.ran = new Uint32Array(anchored.length);
  }

  test(text: string): boolean {
    for (const pattern of this.always) if (pattern.test(text)) return true;
    if (++this.call === 0xffffffff) {
      this.ran.fill(0);
      this.call = 1;
    }
    const bits = this.table.bits;
    let window = 0;
    for (let at = 0; at < text.length; at++) {
      window = ((window << 7) | code7(text.charCodeAt(at))) & WINDOW_MASK;
      if ((bits[window >>> 5] & (1 << (window & 31))) === 0 || at < WINDOW - 1) continue;
      for (const entry of this.table.entries.get(window) ?? []) {
        if (this.ran[entry.alternative] === this.call) continue;
        const start = at - entry.windowEnd;
        if (!this.holds(text, start, entry.anchor)) continue;
        const alternative = this.anchored[entry.alternative];
        if (alternative.sticky) alternative.pattern.lastIndex = start;
        // A sticky alternative is tried again at the next place an anchor occurs; the others ran on the whole text.
        else this.ran[entry.alternative] = this.call;
        if (alternative.pattern.test(text)) return true;
      }
    }
    return false;
  }

  /** Whether `text` holds `anchor` at `start` (ASCII letters in either case when the pattern ignores case). */
  private holds(text: string, start: number, anchor: string): boolean {
    if (start < 0 || start + anchor.length > text.length) return false;
    for (let k = 0; k < anchor.length; k++) {
      const expected = anchor.charCodeAt(k);
      const found = text.charCodeAt(start + k);
      if (found === expected) continue;
      // Folded anchors hold lower-case letters only; the text may hold the upper-case one.
      if (this.table.ignoreCase && expected >= 0x61 && expected <= 0x7a && found === expected - 0x20)
        continue;
      return false;
    }
    return true;
  }
}
