import type { DetectReport } from './types.js';

/** What `detect --check` decides from a report: the exit code, and one stderr line per reason it does not pass. */
export interface DetectCheck {
  /**
   * 0: passes; 1: work left (a 403 to change, one not placed, a 403 not checked and not reviewed, an mTLS setting
   * not read); 2: a file not read.
   */
  exitCode: 0 | 1 | 2;
  /** `mtls-fix: --check ...: FILE[:LINE]: why` lines, in report order, for stderr. */
  messages: string[];
}

/**
 * The `detect --check` gate. It passes only when what it read answers no 403 on an mTLS server, it read every
 * mTLS setting it met, and every 403 it could not check was reviewed by a person:
 * - exit 2 when a file detect should read could not be read or parsed, or was too large (`unreadable`): an input
 *   error, whatever the file configures is unknown (since session 21);
 * - exit 1 when the proxy answers a 403 on a detected mTLS server, or a 403 beside one could not be placed, or a
 *   file holds an mTLS server setting detect does not read or cannot evaluate (a Go / Python / .NET server, a
 *   template parameter, base64 cloud-init content: the "Not read" entries with a line; since session 24), or an
 *   entry of "403s not checked" (`auth_request`, an `ext_authz` service, Helm values no template writes, a source
 *   whose 403s are not read) is not listed in `reviewed` (config `detect.reviewed`, `FILE:LINE`; since session 27:
 *   before, those passed with exit 0 while the report listed them, so a CI gate read "clean" on servers whose 403s
 *   nobody checked).
 * `reviewed` entries that match no entry are named too (the file changed: review again), without failing.
 */
export function detectCheck(report: DetectReport, reviewed: readonly string[] = []): DetectCheck {
  const unreadable = report.skipped.filter((skip) => skip.unreadable);
  if (unreadable.length)
    return {
      exitCode: 2,
      messages: unreadable.map((skip) => `mtls-fix: --check cannot pass: ${skip.file}: ${skip.reason}`),
    };
  const unread = report.skipped.filter((skip) => skip.line !== undefined && !skip.leftOut);
  const messages = unread.map(
    (skip) =>
      `mtls-fix: --check fails: ${skip.file}:${skip.line}: an mTLS server setting detect does not read, so its ` +
      `403s are not checked; review them, then leave the file out with detect.exclude or --exclude`,
  );
  const wanted = new Set(reviewed.map((entry) => entry.trim()));
  const used = new Set<string>();
  const unchecked = report.forbiddenNotChecked.filter((entry) => {
    const place = notCheckedPlace(entry);
    if (!wanted.has(place)) return true;
    used.add(place);
    return false;
  });
  for (const entry of unchecked)
    messages.push(
      `mtls-fix: --check fails: ${notCheckedPlace(entry)}: a 403 detect cannot check (under "403s not checked"); ` +
        `review it, then add "${notCheckedPlace(entry)}" to detect.reviewed in the config`,
    );
  for (const place of wanted)
    if (!used.has(place))
      messages.push(
        `mtls-fix: --check: detect.reviewed "${place}" matches no entry of "403s not checked" (the file changed?): ` +
          `remove it`,
      );
  const failed =
    report.forbidden.length > 0 ||
    report.forbiddenUnplaced.length > 0 ||
    unread.length > 0 ||
    unchecked.length > 0;
  return { exitCode: failed ? 1 : 0, messages };
}

/** `FILE:LINE` of a "403s not checked" entry (`nginx.conf:7 nginx (...)`): what `detect.reviewed` lists. */
export function notCheckedPlace(entry: string): string {
  return /^(\S(?:.*?\S)?:\d+)(?:\s|$)/.exec(entry)?.[1] ?? entry;
}
