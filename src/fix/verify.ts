import { isDeepStrictEqual } from 'node:util';
import { parseSource, type SourceFile } from '../openapi/index.js';
import { applyOpsToData, type DataOp } from './ops.js';

/**
 * True when the edited text parses, with the model's own parser, to exactly the data the operations intend:
 * the guard that stops a splice bug from ever reaching the disk.
 */
export function parsesToIntended(file: SourceFile, edited: string, ops: readonly DataOp[]): boolean {
  let data: unknown;
  try {
    const parsed = parseSource(Buffer.from(edited, 'utf8'), file.path);
    if (parsed.syntax !== file.syntax) return false;
    data = parsed.data;
  } catch {
    return false;
  }
  return isDeepStrictEqual(data, applyOpsToData(file.data, ops));
}
