import type { DetectReport } from './types.js';

/** What `detect --check` decides from a report: the exit code, and one stderr line per reason it does not pass. */
export interface DetectCheck {
  /** 0: passes; 1: work left (a 403 to change, one not placed, an mTLS setting not read); 2: a file not read. */
  exitCode: 0 | 1 | 2;
  /** `mtls-fix: --check ...: FILE[:LINE]: why` lines, in report order, for stderr. */
  messages: string[];
}

/**
 * The `detect --check` gate. It passes only when what it read answers no 403 on an mTLS server, and it read every
 * mTLS setting it met:
 * - exit 2 when a file detect should read could not be read or parsed, or was too large (`unreadable`): an input
 *   error, whatever the file configures is unknown (since session 21);
 * - exit 1 when the proxy answers a 403 on a detected mTLS server, or a 403 beside one could not be placed, or a
 *   file holds an mTLS server setting detect does not read or cannot evaluate (a Go / Python / .NET server, a
 *   template parameter, base64 cloud-init content: the "Not read" entries with a line). Before session 24 the
 *   last passed (exit 0): the gate said nothing of servers whose 403s nobody checked. A person reviews that
 *   server's 403s, then leaves the file out with config `detect.exclude` / `--exclude` (listed as excluded).
 * "403s not checked" (a 403 decided by a service or code out of sight, such as `auth_request`) are listed and do
 * not fail the gate: the server was read, and what it asks is named for review.
 */
export function detectCheck(report: DetectReport): DetectCheck {
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
  const failed = report.forbidden.length > 0 || report.forbiddenUnplaced.length > 0 || unread.length > 0;
  return { exitCode: failed ? 1 : 0, messages };
}
