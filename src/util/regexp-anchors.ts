import { surprisal } from './source-chars.js';

/**
 * The literals a regular expression's matches must hold, read from its source: for each top-level alternative
 * (`a|b|c`), a set of strings one of which occurs in every text that alternative matches. anchored-test.ts uses
 * them to look for a few literals first and run an alternative only where one of its literals occurs.
 *
 * Only what is certain counts: the reader knows the syntax of a RegExp without the `u` / `v` flags (ECMAScript
 * 2024 §22.2.1 with Annex B), and anything it does not know for sure (a quantifier it cannot read, a character
 * class, an escape other than a few plain ones) ends the literal it was reading, which only makes the anchors
 * shorter. What could change the meaning of an alternative taken apart from the others (a backreference, a named
 * group) makes {@link regExpAlternatives} give up on the whole source.
 */

/** One top-level alternative: its own source, and the literals one of which each of its matches holds. */
export interface AnchoredAlternative {
  /** The alternative's source, as it stands between the `|`s of the whole (a RegExp source of its own). */
  source: string;
  /**
   * Strings one of which every match of `source` contains; lower-cased (ASCII) when the pattern ignores case,
   * where they are matched case-insensitively. undefined when no such literal is known (the alternative must be
   * run on every text).
   */
  anchors: string[] | undefined;
  /**
   * Whether every match of `source` begins where one of the anchors does (only assertions, such as `\b`, come
   * before it): the alternative can then be tried at each place an anchor occurs (a sticky RegExp) instead of
   * over the whole text.
   */
  atStart: boolean;
}

/**
 * The top-level alternatives of a RegExp source (no `u` / `v` flag), each with its anchors. A text matches the
 * whole pattern exactly when it matches one of the alternatives compiled alone with the same flags.
 *
 * @param ignoreCase the pattern's `i` flag: anchors are lower-cased, and a class such as `[xX]` reads as `x`.
 * @returns undefined when the source holds a backreference (`\1`, `\k<name>`) or a named group, which tie
 * alternatives together, or a syntax the reader does not follow (an unclosed group or class).
 */
export function regExpAlternatives(source: string, ignoreCase: boolean): AnchoredAlternative[] | undefined {
  const reader = new SourceReader(source, ignoreCase);
  try {
    const top = reader.disjunction();
    if (reader.at !== source.length) return undefined;
    return top.map((branch) => ({
      source: source.slice(branch.start, branch.end),
      anchors: branch.anchors?.strings,
      atStart: branch.anchors?.atStart ?? false,
    }));
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}

/** The source holds something that makes taking it apart unsafe. */
class Unreadable extends Error {}

/** Strings one of which a match holds, and whether the match begins where it does. */
interface Anchors {
  strings: string[];
  atStart: boolean;
}

/** One alternative of a disjunction, where it stands in the source, and what it tells. */
interface Branch {
  start: number;
  end: number;
  /** The best anchors of the alternative, if any. */
  anchors: Anchors | undefined;
  /** Set when the alternative consumes exactly one of these strings and nothing else (assertions aside). */
  whole: string[] | undefined;
}

/** What one term is: a literal character, a group of literal strings, a group with anchors, an assertion. */
interface Term {
  /** A character (folded), or the strings of a group whose every alternative is one literal string. */
  literals?: string[];
  anchors?: Anchors;
  /** Consumes nothing (`\b`, `^`, a lookaround). */
  assertion?: boolean;
}

/** A run of literals longer than this many strings (groups multiply them) is cut there. */
const MAX_STRINGS = 64;

/** Characters with a meaning of their own outside a class (§22.2.1 SyntaxCharacter, and `/`). */
const SYNTAX = new Set('^$\\.*+?()[]{}|/');

/** Escapes that stand for one class of characters: never a literal. */
const CLASS_ESCAPES = new Set('dDwWsS');

/** Escapes of control characters: one character each, never part of an anchor (kept to printable ASCII). */
const CONTROL_ESCAPES = new Set('fnrtv');

class SourceReader {
  at = 0;

  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  /** Alternatives up to the end of the source or to the `)` that closes the group being read. */
  disjunction(): Branch[] {
    const branches: Branch[] = [];
    for (;;) {
      const start = this.at;
      const { anchors, whole } = this.alternative();
      branches.push({ start, end: this.at, anchors, whole });
      if (this.source[this.at] !== '|') return branches;
      this.at++;
    }
  }

  /**
   * One alternative: its terms, up to `|`, `)` or the end. Adjacent literals (characters, and groups of literal
   * strings) make runs; a quantifier, a class or any other term ends a run. The best of the runs and of the
   * groups' anchors is the alternative's.
   */
  private alternative(): { anchors: Anchors | undefined; whole: string[] | undefined } {
    const found: Anchors[] = [];
    let run = [''];
    let runAtStart = true;
    let consumed = false;
    let pure = true;
    const endRun = (): void => {
      if (run.some((s) => s.length)) found.push({ strings: run, atStart: runAtStart });
      run = [''];
      pure = false;
    };
    const extend = (literals: readonly string[]): void => {
      if (run.length * literals.length > MAX_STRINGS) endRun();
      if (run.length === 1 && run[0] === '') runAtStart = !consumed;
      run = [...new Set(run.flatMap((s) => literals.map((l) => s + l)))];
    };
    while (this.at < this.source.length) {
      const c = this.source[this.at];
      if (c === '|' || c === ')') break;
      const term = this.term();
      const quantifier = this.quantifier();
      if (term.assertion) continue;
      const required = quantifier === undefined || quantifier.min > 0;
      if (term.literals) {
        if (required) extend(term.literals);
        // `a?`, `a*`: not required; `a+`, `a{2}`: required, but what follows need not be next to it.
        if (quantifier !== undefined) endRun();
      } else {
        endRun();
        if (term.anchors && required)
          found.push({ strings: term.anchors.strings, atStart: term.anchors.atStart && !consumed });
      }
      consumed = true;
    }
    const whole = pure ? run : undefined;
    endRun();
    return { anchors: best(found), whole };
  }

  private term(): Term {
    const c = this.source[this.at];
    if (c === '(') return this.group();
    if (c === '[') return this.characterClass();
    if (c === '\\') return this.escape();
    this.at++;
    if (c === '^' || c === '$') return { assertion: true };
    // `.`, and the characters Annex B lets stand for themselves (`]`, `{`, `}`): no anchor.
    if (SYNTAX.has(c) || !isPlainAscii(c)) return {};
    return { literals: [this.fold(c)] };
  }

  private group(): Term {
    const rest = this.source.slice(this.at, this.at + 4);
    let lookaround = false;
    if (rest.startsWith('(?:')) this.at += 3;
    else if (rest.startsWith('(?=') || rest.startsWith('(?!')) {
      this.at += 3;
      lookaround = true;
    } else if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      this.at += 4;
      lookaround = true;
    } else if (rest.startsWith('(?')) {
      // A named group (`(?<name>`) and modifiers (`(?i:`): their meaning may reach other alternatives.
      throw new Unreadable();
    } else this.at += 1;
    const branches = this.disjunction();
    if (this.source[this.at] !== ')') throw new Unreadable();
    this.at++;
    if (lookaround) return { assertion: true };
    if (branches.every((branch) => branch.whole !== undefined))
      return { literals: [...new Set(branches.flatMap((branch) => branch.whole ?? []))] };
    if (branches.some((branch) => branch.anchors === undefined)) return {};
    return {
      anchors: {
        strings: [...new Set(branches.flatMap((branch) => branch.anchors?.strings ?? []))],
        atStart: branches.every((branch) => branch.anchors?.atStart),
      },
    };
  }

  /** `[…]`: a literal only when it holds one character (or, ignoring case, one letter in both cases). */
  private characterClass(): Term {
    const open = this.at;
    this.at++;
    const members: string[] = [];
    let plain = this.source[this.at] !== '^';
    if (!plain) this.at++;
    while (this.at < this.source.length && this.source[this.at] !== ']') {
      const c = this.source[this.at];
      if (c === '\\') {
        const next = this.source[this.at + 1] ?? '';
        if (isPlainAscii(next) && !/[A-Za-z0-9]/.test(next)) members.push(next);
        else plain = false;
        this.at += 2;
        continue;
      }
      if (c === '-' && members.length && this.source[this.at + 1] !== ']') plain = false;
      if (!isPlainAscii(c)) plain = false;
      members.push(c);
      this.at++;
    }
    if (this.at >= this.source.length) throw new Unreadable();
    this.at++;
    if (!plain || this.at - open < 3) return {};
    const folded = new Set(members.map((m) => this.fold(m)));
    if (folded.size !== 1) return {};
    // `[xX]` without `i` is no single literal: the text may hold either.
    if (!this.ignoreCase && new Set(members).size !== 1) return {};
    return { literals: [...folded] };
  }

  private escape(): Term {
    const next = this.source[this.at + 1];
    if (next === undefined) throw new Unreadable();
    this.at += 2;
    if (next === 'b' || next === 'B') return { assertion: true };
    if (CLASS_ESCAPES.has(next) || CONTROL_ESCAPES.has(next)) return {};
    // `\1`, `\k<…>`: backreferences; `\0`, `\x41`, `\u0041`, `\cJ`, `\p{…}` and other letters: characters the
    // reader does not decode (and whose digits it would take for literals): give up.
    if (/[0-9A-Za-z]/.test(next)) throw new Unreadable();
    if (!isPlainAscii(next)) return {};
    return { literals: [this.fold(next)] };
  }

  /** A quantifier after a term, with its least count; undefined when none follows. */
  private quantifier(): { min: number } | undefined {
    const c = this.source[this.at];
    let min: number;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const counted = /^\{(\d+)(,\d*)?\}/.exec(this.source.slice(this.at));
      // Not a quantifier (Annex B reads `{` as itself): the next term.
      if (!counted) return undefined;
      this.at += counted[0].length - 1;
      min = Number(counted[1]);
    } else return undefined;
    this.at++;
    if (this.source[this.at] === '?') this.at++;
    return { min };
  }

  private fold(c: string): string {
    return this.ignoreCase ? c.toLowerCase() : c;
  }
}

/** Printable ASCII (a space through `~`). */
function isPlainAscii(c: string): boolean {
  const code = c.charCodeAt(0);
  return c.length === 1 && code >= 0x20 && code <= 0x7e;
}

/**
 * The anchors that narrow the search most: those a source text holds least often (the sum over the strings of
 * 2^-surprisal, source-chars.ts); of two as rare, those a match begins at.
 */
function best(found: readonly Anchors[]): Anchors | undefined {
  let chosen: Anchors | undefined;
  let chosenOdds = Infinity;
  for (const anchors of found) {
    const odds = anchors.strings.reduce((sum, s) => sum + 2 ** -surprisal(s), 0);
    if (!chosen || odds < chosenOdds || (odds === chosenOdds && anchors.atStart && !chosen.atStart)) {
      chosen = anchors;
      chosenOdds = odds;
    }
  }
  return chosen;
}
