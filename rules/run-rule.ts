import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IFunctionResult, RulesetFunctionContext } from '@stoplight/spectral-core';
import { hasLoneCr } from '../src/util/line-breaks.js';
import { findMtlsFixError } from '../src/errors.js';
import { decodePointer } from '../src/openapi/pointer.js';
import {
  findingsFor,
  uncheckedFor,
  UNREAD_PREFIX,
  unreadFor,
  type MtlsFinding,
  type MtlsRuleId,
} from '../src/findings/findings.js';
import { effectiveRuleOptions, type MtlsRuleOptions } from './options.js';

/** True when a rule was given options of its own (`functionOptions`, `mtlsRuleset({...})`). */
export function hasOptions(options: MtlsRuleOptions | null): options is MtlsRuleOptions {
  return options !== null && Object.keys(options).length > 0;
}

/**
 * The options another rule of the ruleset ran with on a document (Spectral's): see {@link runRule}. Shared through
 * the global object: Spectral bundles a `functionsDir` function apart from the ruleset it extends, so the two
 * have their own copies of this module.
 */
const optionsGiven = sharedMap();

function sharedMap(): WeakMap<object, MtlsRuleOptions> {
  const key = Symbol.for('mtls-fix.rule-options-given');
  const host = globalThis as Record<symbol, WeakMap<object, MtlsRuleOptions> | undefined>;
  host[key] ??= new WeakMap();
  return host[key];
}

/**
 * The body of the rule functions: the findings of one rule, computed once per document. A document mtls-fix
 * cannot read (a broken `$ref`, a bad config) becomes one result instead of an exception, so a stock Spectral
 * run with other rulesets still reports everything else.
 */
export function runRule(
  rule: MtlsRuleId,
  input: unknown,
  options: MtlsRuleOptions | null,
  context: RulesetFunctionContext,
): IFunctionResult[] {
  if (input === null || typeof input !== 'object') return [];
  // A YAML/JSON ruleset can give options to one rule only (`mtls-no-403`): mtls-unchecked, given none, reads the
  // document as that rule did, so it never says "nothing is mTLS-secured" of what mtls-no-403 found secured.
  // Keyed by Spectral's document: a redefined rule may read the resolved data, a different object.
  const document = context.document as object;
  if (rule !== 'mtls-unchecked' && hasOptions(options)) optionsGiven.set(document, options);
  if (rule === 'mtls-unchecked' && !hasOptions(options)) options = optionsGiven.get(document) ?? options;
  try {
    // Under stock Spectral, Spectral decides about remote refs; ours only skip them unless told otherwise.
    const effective = effectiveRuleOptions({ allowRemoteRefs: true, ...options }, context.document.source);
    const source = context.document.source;
    // About the document, at its root: no operation is mTLS-secured, so no 403 was checked.
    if (rule === 'mtls-unchecked') {
      const report = uncheckedFor(input, source, effective);
      return report ? [{ message: report.message, path: [] }] : [];
    }
    const results: IFunctionResult[] = findingsFor(input, source, effective)
      .filter((finding) => finding.rule === rule && !finding.ignored)
      .map((finding) => ({
        message: finding.message + placeNote(finding, context.document),
        path: finding.spectralPath,
      }));
    // What could not be read is named (once, under mtls-no-403, an error), never passed as clean.
    if (rule !== 'mtls-no-403') return results;
    for (const error of unreadFor(input, effective)) {
      const inRoot = error.location && source && path.resolve(error.location.file) === path.resolve(source);
      results.push({
        message: `${UNREAD_PREFIX}${error.toLine()}`,
        path: inRoot ? pointerPath(error.location?.key) : [],
      });
    }
    return results;
  } catch (error) {
    const userError = findMtlsFixError(error);
    if (!userError) throw error;
    return [{ message: `mtls-fix could not check this document: ${userError.toLine()}`, path: [] }];
  }
}

/**
 * Where the finding's key really is, when Spectral would print another line for it: '' when Spectral's own place
 * for the result (its parser's line count, its data's keys) is on the key's line, else a sentence naming the
 * key's line and column (1-based, as an editor shows them) and Spectral's.
 *
 * Why: Spectral places a result by its own YAML parser. It counts LF line ends only, so in a file whose lines end
 * with a lone CR (classic Mac) every result is on line 1 (`1:146`); and a key its parser reads otherwise than the
 * model (`0623:`, `0x193:`, `? !!str 403`) is not found in its tree, so the result falls back to an ancestor
 * (`1:1`) or the next line. The rule cannot give Spectral a range (a function returns a path), so the message
 * says where to look. Under `mtls-fix lint` (its parser is the model's) the two agree and nothing is added.
 */
function placeNote(finding: MtlsFinding, document: RulesetFunctionContext['document']): string {
  const { file, path: keyPath } = finding.location;
  if (finding.spectralPath !== keyPath) return '';
  const ours = file.rangeOf(keyPath);
  // A path Spectral's tree does not hold (nor any ancestor of it) is placed at its default range, 1:1.
  const theirs = document.getRangeForJsonPath(finding.spectralPath, true) ?? {
    start: { line: 0, character: 0 },
  };
  if (!ours || theirs.start.line === ours.start.line) return '';
  const why = hasLoneCr(file.original ?? readRaw(file.path))
    ? 'Spectral counts lines by LF only, and this file ends lines with a CR alone'
    : "Spectral's YAML parser reads this key otherwise";
  return (
    ` [The key is at line ${ours.start.line + 1}, column ${ours.start.character + 1}; ` +
    `${why}, so it places this result at ${theirs.start.line + 1}:${theirs.start.character + 1}.]`
  );
}

/** A file's text as written ('' when it cannot be read): the model's text reads each lone CR as a LF. */
function readRaw(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The JSON path of a pointer written in the root file (`/paths/~1a/get`), else the document itself. */
function pointerPath(key: string | undefined): (string | number)[] {
  if (!key?.startsWith('/')) return [];
  try {
    return decodePointer(key);
  } catch {
    return [];
  }
}
