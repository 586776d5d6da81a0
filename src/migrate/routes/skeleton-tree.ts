import type ts from '../../typescript.cjs';
import { parseSource } from '../parse.js';
import type { FactTree } from './project.js';
import { routeFactMethods, type RouteFacts } from './route-facts.js';
import { WIRINGS } from './wirings.js';
import { scannedSkeleton } from './skeleton-scan.js';
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
  return routeSkeleton(relative, text, wiringMethods).sourceFile;
}

/**
 * `routeSkeletonTree`, and with `factMethods` (`routeFactMethods(WIRINGS)`) the route facts of a file whose
 * registrations its tokens show whole (route-facts.ts): then the tree is that of the skeleton text with the facts'
 * statements blanked too.
 */
export function routeSkeleton(
  relative: string,
  text: string,
  wiringMethods: ReadonlySet<string>,
  factMethods?: ReadonlySet<string>,
): { sourceFile: ts.SourceFile; facts?: RouteFacts } {
  const skeleton = scannedSkeleton(relative, text, wiringMethods, factMethods);
  if (skeleton !== undefined) {
    const sourceFile = parseSource(relative, skeleton.text);
    return skeleton.facts ? { sourceFile, facts: skeleton.facts } : { sourceFile };
  }
  const sourceFile = parseSource(relative, text);
  trimForRoutes(sourceFile, wiringMethods);
  return { sourceFile };
}

/** `routeFactMethods(WIRINGS)`, made once. */
let factMethods: ReadonlySet<string> | undefined;

/**
 * What `--spec` parses of a route file whose text holds no 403 form: its route facts and the tree of its skeleton
 * without them (a `FactTree`), or where the tokens give no facts its plain skeleton tree (`routeSkeletonTree`).
 * `MTLS_FIX_SPEC_FACTS=never` reads no facts (every file gets its plain skeleton tree).
 *
 * @throws what the parser throws (the caller treats the file as unparsed).
 */
export function factTree(
  relative: string,
  text: string,
  wiringMethods: ReadonlySet<string>,
): ts.SourceFile | FactTree {
  const made = routeSkeleton(relative, text, wiringMethods, factMethodsInUse());
  return withFacts(made.sourceFile, made.facts, () => routeSkeletonTree(relative, text, wiringMethods));
}

/** A `FactTree` when there are facts, else the tree alone. */
export function withFacts(
  sourceFile: ts.SourceFile,
  facts: RouteFacts | undefined,
  whole: () => ts.SourceFile,
): ts.SourceFile | FactTree {
  return facts ? { sourceFile, routeFacts: facts, whole } : sourceFile;
}

/** `routeFactMethods(WIRINGS)` unless `MTLS_FIX_SPEC_FACTS=never` (the worker thread reads it too). */
export function factMethodsInUse(): ReadonlySet<string> | undefined {
  return process.env.MTLS_FIX_SPEC_FACTS === 'never'
    ? undefined
    : (factMethods ??= routeFactMethods(WIRINGS));
}
