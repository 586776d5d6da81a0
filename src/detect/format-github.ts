import { escapeData, escapeProperty } from '../lint/format/github-actions.js';
import { notCheckedPlace } from './check.js';
import type { DetectReport } from './types.js';

/**
 * `detect --format github-actions`: one workflow annotation per thing `detect --check` fails on (a 403 the proxy
 * answers on an mTLS server, one not placed, an mTLS setting not read, a file not read, a "403s not checked" entry
 * not in `reviewed`), each on its file and line (1-based); then one `::notice` saying what was read and what was
 * not checked, so a green job never reads "clean" without it (session 29). `reviewed` is config `detect.reviewed`
 * (`FILE:LINE` entries).
 */
export function formatDetectGithubActions(report: DetectReport, reviewed: readonly string[] = []): string {
  const out: string[] = [];
  const annotate = (
    level: 'error' | 'warning',
    file: string,
    line: number | undefined,
    title: string,
    message: string,
  ): void => {
    const where = [`file=${escapeProperty(file)}`, ...(line === undefined ? [] : [`line=${line}`])];
    out.push(
      `::${level} ${[...where, `title=${escapeProperty(`mtls-fix detect: ${title}`)}`].join(',')}::${escapeData(message)}`,
    );
  };
  for (const entry of report.forbidden)
    annotate(
      'error',
      entry.file,
      entry.line,
      '403 on an mTLS server',
      `${entry.source} answers 403 here on the mTLS server of ${entry.finding.file}:${entry.finding.line} ` +
        `(${entry.evidence}); iOS reports it as NSURLErrorDomain -1206. Fix: ${entry.fix}`,
    );
  for (const entry of report.forbiddenUnplaced)
    annotate('error', entry.file, entry.line, '403 not placed', `${entry.evidence}: ${entry.reason}`);
  for (const skip of report.skipped) {
    if (skip.leftOut) continue;
    if (skip.unreadable) annotate('error', skip.file, undefined, 'file not read', skip.reason);
    else if (skip.line !== undefined)
      annotate(
        'error',
        skip.file,
        skip.line,
        'mTLS setting not read',
        `${skip.reason}: its 403s are not checked`,
      );
  }
  const wanted = new Set(reviewed.map((entry) => entry.trim()));
  for (const entry of report.forbiddenNotChecked) {
    const place = notCheckedPlace(entry);
    if (wanted.has(place)) continue;
    const at = /^(.*):(\d+)$/.exec(place);
    annotate(
      'error',
      at?.[1] ?? place,
      at?.[2] === undefined ? undefined : Number(at[2]),
      '403 not checked',
      `${entry}: review it by hand, then add "${place}" to detect.reviewed in the config`,
    );
  }
  out.push(`::notice title=${escapeProperty('mtls-fix detect')}::${escapeData(summary(report))}`);
  return out.join('\n');
}

/** What the run read, and what it did not check (the numbers of the human report's sections). */
function summary(report: DetectReport): string {
  const files = `${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'}`;
  const notChecked: string[] = [];
  const notRead = report.skipped.filter((skip) => !skip.leftOut).length;
  if (notRead) notChecked.push(`${notRead} file${notRead === 1 ? '' : 's'} not read`);
  if (report.forbiddenNotChecked.length)
    notChecked.push(
      `${report.forbiddenNotChecked.length} 403${report.forbiddenNotChecked.length === 1 ? '' : 's'} not checked`,
    );
  if (report.excluded.length) notChecked.push(`${report.excluded.length} excluded`);
  const head =
    report.findings.length === 0
      ? `No mTLS termination found in ${files} of proxy, gateway, cloud or server config: ` +
        'only what the OpenAPI documents declare was checked (lint)'
      : `${report.findings.length} mTLS termination${report.findings.length === 1 ? '' : 's'} in ${files}, ` +
        `${report.forbidden.length} 403${report.forbidden.length === 1 ? '' : 's'} answered by the proxy itself`;
  return (
    `${head}${notChecked.length ? `; not checked: ${notChecked.join(', ')}` : ''}. ` +
    'Server code is checked by migrate --check, not by detect.'
  );
}
