import type ts from '../typescript.cjs';
import type { Site } from './types.js';
import type { ReplacedName } from './census-site-names.js';
import type { ImportedDeclarations } from './references.js';
import type { InstalledMethods } from './installed-methods.js';

/**
 * The census's verdict shapes (census-classify.ts and the classifiers it calls): a manual site, a reference to
 * a declaration accounted elsewhere, and the reason phrase a rewritten status goes with.
 */

/** A reason phrase as a whole string: `'Forbidden'`, `'FORBIDDEN'`, `'403 Forbidden'`, `'Forbidden.'`. */
export const PHRASE = /^\s*(?:403\s+)?forbidden[.!]?\s*$/i;

/** The reason phrase written for the target status: `Unauthorized` for 401, `Not Found` for 404. */
export function reasonWord(status: number): string {
  return status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : `${status}`;
}

/** A 403 the census cannot place: the manual site it becomes (`node` its form, `at` where it is reported). */
export interface ManualVerdict {
  node: ts.Node;
  at: ts.Node;
  reason: string;
  /** The site's `framework` label when the census knows what the shape is (default `unknown`). */
  framework?: string;
  range?: { start: number; end: number };
  /** A constant's reads this run writes as the status itself (`Site.replacedUses`). */
  replacedUses?: readonly string[];
  /**
   * The form the reason names, which the site owns for the census (`M.jsonErr(403, ForbiddenSchema)`): the other
   * 403 names inside it are that one item, not sites of their own.
   */
  cover?: { start: number; end: number };
}

/** A use of a project declaration whose 403 is accounted where it is declared (kind `reference`). */
export interface ReferenceVerdict {
  via: string;
}

/** What a classification reads besides the file: names sites use, the modules' own sites, imports, installed methods. */
export interface ClassifyContext {
  usedBySite: (name: string) => boolean;
  /** Whether a name is read inside a form this run rewrites (in any file). */
  usedByRewrite?: (name: string) => boolean;
  /**
   * Where the run's rewrites replace every site read of a name (`file:line form`), its definition left holding
   * 403 that no site reads; undefined when a site still reads it (census-site-names.ts).
   */
  replacedAt?: (name: string) => ReplacedName | undefined;
  /** The same for an enum member, a constant table's entry or a static field (census-site-names.ts). */
  memberGoneAt?: (member: string, container: string) => ReplacedName | undefined;
  /** The same for a field of an object entry (`Errors.FORBIDDEN_ROUTE.status`; census-site-names.ts). */
  fieldGoneAt?: (entry: string, field: string, container: string) => ReplacedName | undefined;
  /** Whether any file of the run reads a field of an object entry at all (census-site-names.ts). */
  fieldReadInRun?: (entry: string, field: string) => boolean;
  /** Whether any file of the run reads a name (a member when `member`), site or not. */
  readInRun?: (name: string, member: boolean) => boolean;
  /** Where a file of the run first reads a table by a run-time key (`file:line form`; census-site-names.ts). */
  keyedReadAt?: (name: string) => string | undefined;
  /** Whether any file of the run reads a name or imports it under that name. */
  importedInRun?: (name: string) => boolean;
  moduleSites: readonly Site[];
  imported?: ImportedDeclarations;
  installed?: InstalledMethods;
}

/** A manual verdict at `at`, whose form is `form` (default `at` itself). */
export function manual(at: ts.Node, reason: string, form?: ts.Node): ManualVerdict {
  return { node: form ?? at, at, reason };
}
