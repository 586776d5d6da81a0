import type { DetectReport } from './types.js';

/** The human report of `mtls-fix detect`: findings with evidence, skipped files, the proposal and what it selects. */
export function formatDetectReport(report: DetectReport): string {
  const out: string[] = [];
  const { findings } = report;
  const unread = report.skipped.filter((skip) => skip.line !== undefined && !skip.leftOut).length;
  // Files that could not be read or parsed (a broken decK file): what they configure is unknown (session 39; before,
  // "No mTLS termination found in 1 file." above a "cannot parse" entry).
  const unparsed = report.skipped.filter((skip) => skip.unreadable).length;
  // 403s the gate still counts (not checked, not placed): the first line must not read clean (breaker36 #04).
  const open = report.forbiddenNotChecked.length + report.forbiddenUnplaced.length + report.forbidden.length;
  // Files not read (no line: not among `unread`) count beside settings not read or 403s not checked, as `--check`
  // exits 2 on them (session 42 review; before, an unparseable chart values.yaml went unsaid there).
  const alsoUnparsed = report.skipped.filter((skip) => skip.unreadable && skip.line === undefined).length;
  const notReadToo = alsoUnparsed
    ? `, and ${alsoUnparsed} file${alsoUnparsed === 1 ? '' : 's'} could not be read`
    : '';
  out.push(
    findings.length === 0
      ? unread === 0
        ? open === 0
          ? unparsed === 0
            ? `No mTLS termination found in ${filesText(report.filesScanned)}.`
            : `No mTLS termination found in ${filesText(report.filesScanned)}, but ${unparsed} file${unparsed === 1 ? '' : 's'} could not be read (under "Not read" below): not a clean result.`
          : `No mTLS termination found in ${filesText(report.filesScanned)}, but ${open} 403${open === 1 ? '' : 's'} could not be checked (listed below)${notReadToo ? `${notReadToo} (under "Not read" below)` : ''}: not a clean result.`
        : `No mTLS termination read in ${filesText(report.filesScanned)}, but ${unread} file${unread === 1 ? '' : 's'} hold${unread === 1 ? 's' : ''} mTLS server settings in a form mtls-fix does not read${notReadToo} (under "Not read" below): not a clean result.`
      : `${findings.length} place${findings.length === 1 ? '' : 's'} where mTLS is terminated (${filesText(report.filesScanned)} scanned):`,
  );
  for (const finding of findings) {
    out.push('');
    const probably = finding.confidence === 'probably' ? ', probably' : '';
    const reader = finding.reader === 'pattern' ? 'line scan' : `parsed with ${finding.reader}`;
    out.push(`  ${finding.file}:${finding.line}  ${finding.source}  ${finding.mode}${probably}  (${reader})`);
    out.push(`    ${finding.evidence}`);
    out.push(`    hosts: ${finding.hosts.length ? finding.hosts.join(', ') : '(every host it serves)'}`);
    if (finding.paths.length) out.push(`    paths: ${finding.paths.join(', ')}`);
    if (finding.note) out.push(`    note: ${finding.note}`);
  }
  if (findings.length > 0 || report.forbidden.length > 0) {
    out.push(
      '',
      `403s answered by the proxy itself on mTLS endpoints (${report.forbidden.length})${report.forbidden.length ? ':' : ''}`,
    );
    for (const entry of report.forbidden) {
      out.push('');
      out.push(
        `  ${entry.file}:${entry.line}  ${entry.source}  (under ${entry.finding.file}:${entry.finding.line})`,
      );
      out.push(`    ${entry.evidence}`);
      out.push(
        `    hosts: ${entry.hosts.length ? entry.hosts.join(', ') : '(every host it serves)'}; paths: ${entry.paths.length ? entry.paths.join(', ') : '(every path)'}`,
      );
      if (entry.note) out.push(`    note: ${entry.note}`);
      out.push(`    fix: ${entry.fix}`);
    }
  }
  if (report.forbiddenNotChecked.length) {
    out.push(
      '',
      `403s not checked (${report.forbiddenNotChecked.length}: not read by mtls-fix, or decided by a service or code it cannot see; not a clean result: review each by hand, then list its FILE:LINE in config detect.reviewed for --check to pass):`,
    );
    for (const entry of report.forbiddenNotChecked) out.push(`  ${entry}`);
  }
  if (report.forbiddenUnplaced.length) {
    out.push(
      '',
      `403s that could not be placed inside or outside an mTLS server (${report.forbiddenUnplaced.length}):`,
    );
    for (const entry of report.forbiddenUnplaced) {
      out.push(`  ${entry.file}:${entry.line}  ${entry.source}  ${entry.evidence}`);
      out.push(`    ${entry.reason}`);
    }
  }
  const leftOut = report.skipped.filter((skip) => skip.leftOut);
  const notRead = report.skipped.filter((skip) => !skip.leftOut);
  if (leftOut.length) {
    out.push(
      '',
      `Read and left out (${leftOut.length}: no client certificate on an HTTP connection there, so no 403 for iOS):`,
    );
    for (const skip of leftOut) out.push(`  ${skip.file}: ${skip.reason}`);
  }
  if (notRead.length) {
    out.push('', `Not read (${notRead.length}):`);
    for (const skip of notRead) out.push(`  ${skip.file}: ${skip.reason}`);
  }
  if (report.excluded.length) {
    const shown = report.excluded.slice(0, EXCLUDED_SHOWN);
    out.push('', `Excluded by detect.exclude / --exclude, not read (${report.excluded.length}):`);
    for (const file of shown) out.push(`  ${file}`);
    if (report.excluded.length > shown.length)
      out.push(`  ... and ${report.excluded.length - shown.length} more (--json lists every one)`);
  }
  const { servers, everywhere } = report.proposal.mtls;
  if (findings.length > 0) {
    out.push('', 'Proposed config:', '  mtls:');
    if (servers.length) {
      out.push('    servers:');
      for (const pattern of servers) out.push(`      - '${pattern}'`);
    }
    out.push(`    everywhere: ${everywhere}`);
    out.push('', 'Why:');
    for (const reason of report.reasons) out.push(`  ${reason}`);
    out.push(
      '',
      `Checked against ${report.documents.length ? report.documents.join(', ') : 'no OpenAPI document (none found; pass --spec)'}:`,
    );
    for (const selection of report.selection) {
      const selected = selection.documents.length
        ? selection.documents
            .map((doc) => `${doc.file}: ${doc.operations} operation(s) via ${doc.servers.join(', ')}`)
            .join('; ')
        : 'no server of the documents matches';
      out.push(`  ${selection.hosts.join(', ')}: ${selected}`);
    }
    if (everywhere) out.push('  mtls.everywhere: every operation of the documents');
    const built = report.buildDocuments;
    if (built.length > 0)
      out.push(
        `Not checked against ${built.length} document${built.length === 1 ? '' : 's'} under dist/ or target/ (build ` +
          `output beside the documents above: ${built.slice(0, 3).join(', ')}${built.length > 3 ? ', ...' : ''}); ` +
          `pass --spec to check ${built.length === 1 ? 'it' : 'them'}`,
      );
  }
  return out.join('\n');
}

/** `1 file`, `2 files`. */
function filesText(count: number): string {
  return `${count} file${count === 1 ? '' : 's'}`;
}

/** Excluded files named one by one in the human report; `--json` lists all. */
const EXCLUDED_SHOWN = 10;
