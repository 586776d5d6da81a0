import { RegExpParser, RegExpSyntaxError, type AST } from '@eslint-community/regexpp';
import { surprisal } from './source-chars.js';

/**
 * The literals a regular expression's matches must hold, read from its source: for each top-level alternative
 * (`a|b|c`), a set of strings one of which occurs in every text that alternative matches. anchored-test.ts uses
 * them to look for a few literals first and run an alternative only where one of its literals occurs.
 *
 * The source is parsed by `@eslint-community/regexpp` (the ECMAScript RegExp parser ESLint uses), without the
 * `u` / `v` flags (Annex B syntax). Only what is certain counts: a class of more than one character, a class
 * escape, `.` or a character outside printable ASCII ends the literal being read, which only makes the anchors
 * shorter. What could change the meaning of an alternative taken apart from the others (a backreference, a named
 * group, modifiers) makes {@link regExpAlternatives} give up on the whole source.
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
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, {
      unicode: false,
      unicodeSets: false,
    });
  } catch (error) {
    if (error instanceof RegExpSyntaxError) return undefined;
    throw error;
  }
  try {
    const reader = new AlternativeReader(ignoreCase);
    return pattern.alternatives.map((alternative) => {
      const { anchors } = reader.alternative(alternative.elements);
      return {
        source: source.slice(alternative.start, alternative.end),
        anchors: anchors?.strings,
        atStart: anchors?.atStart ?? false,
      };
    });
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

/** What one alternative tells: its best anchors, and the strings it consumes when it is only literals. */
interface Branch {
  anchors: Anchors | undefined;
  /** Set when the alternative consumes exactly one of these strings and nothing else (assertions aside). */
  whole: string[] | undefined;
}

/** What one element is: a literal character, a group of literal strings, a group with anchors, an assertion. */
interface Term {
  /** A character (folded), or the strings of a group whose every alternative is one literal string. */
  literals?: string[];
  anchors?: Anchors;
  /** Consumes nothing (`\b`, `^`, a lookaround). */
  assertion?: boolean;
}

/** A run of literals longer than this many strings (groups multiply them) is cut there. */
const MAX_STRINGS = 64;

/** Reads the anchors of parsed alternatives (regexpp's AST). */
class AlternativeReader {
  constructor(private readonly ignoreCase: boolean) {}

  /**
   * One alternative: its elements in order. Adjacent literals (characters, and groups of literal strings) make
   * runs; a quantifier, a class or any other element ends a run. The best of the runs and of the groups' anchors
   * is the alternative's.
   */
  alternative(elements: readonly AST.Element[]): Branch {
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
    for (const element of elements) {
      const quantified = element.type === 'Quantifier';
      const term = this.term(quantified ? element.element : element);
      if (term.assertion) continue;
      const required = !quantified || element.min > 0;
      if (term.literals) {
        if (required) extend(term.literals);
        // `a?`, `a*`: not required; `a+`, `a{2}`: required, but what follows need not be next to it.
        if (quantified) endRun();
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

  private term(element: AST.QuantifiableElement | AST.Element): Term {
    switch (element.type) {
      case 'Assertion':
        return { assertion: true };
      case 'Character':
        return isPlainAscii(element.value)
          ? { literals: [this.fold(String.fromCharCode(element.value))] }
          : {};
      case 'CharacterClass':
        return this.characterClass(element);
      case 'Group':
        if (element.modifiers) throw new Unreadable();
        return this.group(element.alternatives);
      case 'CapturingGroup':
        // A named group can be referred to from another alternative.
        if (element.name !== null) throw new Unreadable();
        return this.group(element.alternatives);
      case 'Backreference':
        throw new Unreadable();
      default:
        // `.`, `\d`, `\p{...}`, and anything else: no literal.
        return {};
    }
  }

  private group(alternatives: readonly AST.Alternative[]): Term {
    const branches = alternatives.map((alternative) => this.alternative(alternative.elements));
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

  /** `[...]`: a literal only when it holds one character (or, ignoring case, one letter in both cases). */
  private characterClass(element: AST.CharacterClass): Term {
    if (element.negate) return {};
    const members: string[] = [];
    for (const member of element.elements) {
      if (member.type !== 'Character' || !isPlainAscii(member.value)) return {};
      members.push(String.fromCharCode(member.value));
    }
    const folded = new Set(members.map((m) => this.fold(m)));
    if (folded.size !== 1) return {};
    // `[xX]` without `i` is no single literal: the text may hold either.
    if (!this.ignoreCase && new Set(members).size !== 1) return {};
    return { literals: [...folded] };
  }

  private fold(c: string): string {
    return this.ignoreCase ? c.toLowerCase() : c;
  }
}

/** Printable ASCII (a space through `~`). */
function isPlainAscii(code: number): boolean {
  // NUL too: the prefilter looks for it to find UTF-16 sources (src/migrate/prefilter.ts).
  return code === 0 || (code >= 0x20 && code <= 0x7e);
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
