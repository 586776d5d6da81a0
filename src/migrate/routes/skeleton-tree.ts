import type ts from '../../typescript.cjs';
import { parseSource } from '../parse.js';
import { scannedSkeletonText } from './skeleton-scan.js';
import { trimForRoutes } from './skeleton.js';

/**
 * The trimmed tree `--spec` keeps of a route file whose text holds no 403 form, made on the calling thread: the
 * skeleton text from the compiler's tokens (`scannedSkeletonText`), parsed; or, where the tokens cannot tell
 * (JSX, a `/` after `}`, unbalanced brackets...), the file parsed whole and trimmed (`trimForRoutes`). Either way
 * the route graph and the reach index answer on it as on the full tree (skeleton-scan.ts, skeleton.ts;
 * skeleton-tree.test.ts checks both on every fixture project).
 *
 * Why tokens first: a whole parse builds every handler body's nodes only to drop them. On the 1,600 route files of
 * the 16,000-route bench tree (one process, 100 files parsed first, 5 runs, medians, load 5.5-6): 1.23 s of CPU
 * for the token pass and the parse of the skeletons against 1.51 s for whole parses and the trim.
 *
 * @param relative the file's name as the run reports it (its extension picks the parser's script kind).
 * @param text the file's text.
 * @param wiringMethods `wiringMethodNames(WIRINGS)`.
 * @throws what the parser throws (the caller treats the file as unparsed).
 */
export function routeSkeletonTree(
  relative: string,
  text: string,
  wiringMethods: ReadonlySet<string>,
): ts.SourceFile {
  const skeleton = scannedSkeletonText(relative, text, wiringMethods);
  if (skeleton !== undefined) return parseSource(relative, skeleton);
  const sourceFile = parseSource(relative, text);
  trimForRoutes(sourceFile, wiringMethods);
  return sourceFile;
}
