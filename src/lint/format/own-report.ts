/**
 * True when `text` is a report `mtls-fix lint --output` wrote before, in any of its formats, so writing the next
 * report over it loses nothing a user wrote (breaker31 #08: an output option must never replace a user's file):
 *
 * - sarif: a JSON log whose run's `tool.driver.name` is `mtls-fix`;
 * - json: a JSON array of results (objects with a string `code` and `message`), or `[]`;
 * - junit: an XML document whose root element is `<testsuites>`;
 * - stylish, text, github-actions: a line mtls-fix writes (`mtls-fix: ...`, a workflow command, or a result line
 *   naming an `mtls-*` rule after its severity).
 *
 * An OpenAPI document, a config or any other file is not.
 */
export function isOwnLintReport(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return isOwnJsonReport(trimmed);
  if (/^(?:<\?xml[^>]*\?>\s*)?<testsuites[\s>/]/.test(trimmed)) return true;
  return trimmed
    .split(/\r?\n/)
    .some(
      (line) =>
        /^mtls-fix: /.test(line) ||
        /^::(?:error|warning|notice)\b[^:]*::/.test(line) ||
        /\s(?:error|warning|info|hint)\s+mtls-[a-z0-9-]+\s/.test(line),
    );
}

function isOwnJsonReport(text: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return false;
  }
  if (Array.isArray(data))
    return data.every((result) => {
      const { code, message } = (result ?? {}) as Record<string, unknown>;
      return typeof code === 'string' && typeof message === 'string';
    });
  const runs = (data as { runs?: unknown } | null)?.runs;
  return (
    Array.isArray(runs) &&
    runs.length > 0 &&
    runs.every(
      (run) => (run as { tool?: { driver?: { name?: unknown } } } | null)?.tool?.driver?.name === 'mtls-fix',
    )
  );
}
