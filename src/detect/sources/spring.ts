import { parseLines, type Pair } from 'dot-properties';
import type { ScanFile } from '../scan-file.js';
import type { DetectFinding, DetectMode, DetectSkip } from '../types.js';
import { unresolvedSetting } from '../unresolved.js';
import { asText, dig, type YamlDocument } from '../yaml-documents.js';

/** Spring Boot `server.ssl.client-auth`: `need` (required), `want` (optional), `none`. */
function springMode(value: string | undefined): DetectMode | undefined {
  const mode = value?.trim().toLowerCase();
  return mode === 'need' ? 'required' : mode === 'want' ? 'optional' : undefined;
}

/**
 * A value with Spring property placeholders: `${CLIENT_AUTH:need}` is its default (`need`) unless the property or
 * environment variable is set; `${CLIENT_AUTH}` has none. Undefined for a plain value.
 */
function placeholder(
  value: string | undefined,
): { written: string; fallback: string | undefined } | undefined {
  const match = /^\s*\$\{([^}:]+)(?::([^}]*))?\}\s*$/.exec(value ?? '');
  return match ? { written: value!.trim(), fallback: match[2] } : undefined;
}

/**
 * The finding (or, for a placeholder without a default that can be read, the named setting) of one
 * `server.ssl.client-auth` value at `line`.
 */
function springSetting(
  file: ScanFile,
  line: number,
  value: string | undefined,
  reader: 'dot-properties' | 'yaml',
  skipped: DetectSkip[],
): DetectFinding | undefined {
  const slot = placeholder(value);
  if (!slot) {
    const mode = springMode(value);
    return mode ? file.finding(line, 'spring', mode, reader) : undefined;
  }
  const mode = springMode(slot.fallback);
  if (mode)
    return file.finding(line, 'spring', mode, reader, {
      note: `placeholder \`${slot.written}\`: its default, unless the property or environment variable is set`,
    });
  if (slot.fallback === undefined)
    skipped.push(unresolvedSetting(file, line, 'server.ssl.client-auth', slot.written, 'none'));
  return undefined;
}

export function isSpringFile(file: ScanFile): boolean {
  return /^(application|bootstrap)(-[\w.-]+)?\.(properties|ya?ml)$/.test(file.baseName);
}

/** The keys Spring Boot's relaxed binding takes for `server.ssl.client-auth`. */
const CLIENT_AUTH_KEYS = ['client-auth', 'clientAuth', 'client_auth'];

/**
 * The note of a finding read from a Spring configuration not named `application*` / `bootstrap*`: a Spring Cloud
 * Config repository's `<application>.yml` / `<application>-<profile>.yml` (ForgeRock's Open Banking reference
 * implementation serves `rs-api.yml` with `server.ssl.client-auth: WANT` so), or a file loaded with
 * `spring.config.import` / `--spring.config.location`. `server.ssl.client-auth` is Spring Boot's property.
 */
export const SPRING_OTHER_FILE_NOTE =
  'Spring configuration outside application*.yml (a Spring Cloud Config repository file, named for the application it configures, or a file loaded with spring.config.import / location)';

/**
 * Whether YAML documents set Spring Boot's `server.ssl.client-auth` (any relaxed spelling, nested keys): read in a
 * file of any name (since session 32; before, only `application*` / `bootstrap*` files were read, and a Spring Cloud
 * Config repository's `rs-api.yml` read "No mTLS termination").
 */
export function setsSpringClientAuth(documents: readonly YamlDocument[]): boolean {
  return documents.some((document) =>
    CLIENT_AUTH_KEYS.some((key) => dig(document.data, 'server', 'ssl', key) !== undefined),
  );
}

/** Whether a `.properties` file of any name sets `server.ssl.client-auth` (as {@link setsSpringClientAuth}). */
export function setsSpringClientAuthProperty(file: ScanFile): boolean {
  return /^[ \t]*server\.ssl\.client[-_]?auth[ \t]*[=:]/im.test(file.text);
}

/** The findings of a Spring file not named `application*`, each with {@link SPRING_OTHER_FILE_NOTE}. */
export function otherSpringFile(findings: readonly DetectFinding[]): DetectFinding[] {
  return findings.map((finding) => ({
    ...finding,
    note: finding.note ? `${finding.note}; ${SPRING_OTHER_FILE_NOTE}` : SPRING_OTHER_FILE_NOTE,
  }));
}

/**
 * `application*.properties`, parsed with dot-properties (relaxed binding: `client-auth`, `clientAuth`, `client_auth`).
 * A placeholder without a default (`${CLIENT_AUTH}`) is pushed to `skipped` with its line.
 */
export function readSpringProperties(file: ScanFile, skipped: DetectSkip[] = []): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const node of parseLines(file.text, true)) {
    if (node.type !== 'PAIR') continue;
    const pair = node as Pair & { range: [number, number, number, number] };
    if (!/^server\.ssl\.client[-_]?auth$/i.test(pair.key)) continue;
    const finding = springSetting(
      file,
      file.lines.lineOf(pair.range[0]),
      pair.value,
      'dot-properties',
      skipped,
    );
    if (finding) findings.push(finding);
  }
  return findings;
}

/** `application*.yml`: `server.ssl.client-auth` (nested or dotted keys); placeholders as in readSpringProperties. */
export function readSpringYaml(
  file: ScanFile,
  documents: YamlDocument[],
  skipped: DetectSkip[] = [],
): DetectFinding[] {
  const findings: DetectFinding[] = [];
  for (const document of documents) {
    for (const key of CLIENT_AUTH_KEYS) {
      const value = asText(dig(document.data, 'server', 'ssl', key));
      const finding = springSetting(file, document.lineOf(['server', 'ssl', key]), value, 'yaml', skipped);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}
