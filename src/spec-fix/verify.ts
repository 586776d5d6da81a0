import { isDeepStrictEqual } from 'node:util';
import { parseSource, type SourceFile } from '../openapi/index.js';
import { getAtPath, isObject } from '../openapi/pointer.js';
import type { DataOperation } from './plan.js';

/**
 * Whether the edited text parses back to exactly the original data with the planned renames and removals
 * applied. A fix that would change anything else is refused, so a file is never written wrong.
 */
export function parsesToIntended(
  file: SourceFile,
  editedText: string,
  operations: readonly DataOperation[],
): boolean {
  const intended = structuredClone(file.data);
  for (const operation of operations) {
    const responses = getAtPath(intended, operation.responsesPath);
    if (!isObject(responses)) return false;
    if (operation.kind === 'set-ref') {
      responses.$ref = operation.to;
      continue;
    }
    if (operation.kind === 'replace') {
      responses[operation.to] = operation.value;
      continue;
    }
    if (operation.kind === 'add-header') {
      const response = responses[operation.to];
      if (!isObject(response)) return false;
      response.headers = {
        ...(isObject(response.headers) ? response.headers : {}),
        'WWW-Authenticate': operation.header,
      };
      continue;
    }
    if (operation.kind === 'rename') responses[operation.to] = responses[operation.from];
    delete responses[operation.from];
  }
  try {
    const reparsed = parseSource(Buffer.from(editedText, 'utf8'), file.path);
    return isDeepStrictEqual(reparsed.data, intended);
  } catch {
    return false;
  }
}
