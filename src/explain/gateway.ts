import type { DocumentAnalysis } from '../openapi/analyze.js';
import type { Operation } from '../openapi/operations.js';
import type { DocumentSet, Located } from '../openapi/document-set.js';

/**
 * The 403s a gateway answers on each mTLS-secured operation, whatever its `responses` say, as `lint` reports them
 * (`mtls-no-403` findings with a `site`): an Amazon API Gateway integration response whose `statusCode` is 403, a
 * gateway response set to 403 (sent on every method), a gateway response type left at its default 403 (an
 * authorizer, an API key, an undefined route), a Kong `x-kong-plugin-*` that answers 403. One phrase each, with
 * where it is written (`file:line`), keyed by the operation; operations with none are absent. Before session 26
 * `explain` listed only the documented 403 keys, so an API Gateway document read "documents 403" nowhere while lint
 * reported its gateway responses.
 */
export function gatewayAnswers(analysis: DocumentAnalysis): Map<Operation, string[]> {
  const { set } = analysis;
  const answers = new Map<Operation, string[]>();
  const add = (operation: Operation, phrase: string): void => {
    const list = answers.get(operation);
    if (list) list.push(phrase);
    else answers.set(operation, [phrase]);
  };
  const secured = analysis.operations.filter((entry) => entry.mtls);
  for (const { operation, integrationForbidden } of secured) {
    for (const entry of integrationForbidden)
      add(
        operation,
        `the API Gateway integration response ${JSON.stringify(entry.selection)} (statusCode ${entry.code}) ` +
          `answers 403 (${where(set, entry.location)})`,
      );
  }
  for (const entry of analysis.gatewayForbidden)
    for (const { operation } of secured)
      add(
        operation,
        `the API Gateway gateway response ${entry.type} (statusCode ${entry.code}) answers 403 on every method ` +
          `(${where(set, entry.location)})`,
      );
  for (const entry of analysis.gatewayDefaults)
    for (const operation of entry.operations)
      add(
        operation,
        `the API Gateway gateway response ${entry.type}, left at its default status, answers 403 ${entry.cause} ` +
          `(${where(set, entry.location)})` +
          (entry.noStatus
            ? `; the statusCode of ${entry.noStatus.type}, ${entry.noStatus.written} ` +
              `(${where(set, entry.noStatus.location)}), is no HTTP status`
            : ''),
      );
  for (const entry of analysis.kongDenials)
    for (const operation of entry.operations)
      add(
        operation,
        `the Kong ${entry.plugin} plugin answers 403 ${entry.denial.when} (${where(set, entry.location)})`,
      );
  return answers;
}

/** `openapi.yaml:38`: the file as the run names it and the 1-based line of the value. */
export function where(set: DocumentSet, location: Located): string {
  const line = (location.file.rangeOf(location.path, true)?.start.line ?? 0) + 1;
  return `${set.displayPath(location.file)}:${line}`;
}
