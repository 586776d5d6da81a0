import path from 'node:path';
import type { MtlsDetection } from '../../config/resolve.js';
import {
  classificationCache,
  classifyOperation,
  detectVersion,
  DocumentSet,
  effectiveServers,
  listOperations,
  operationName,
} from '../../openapi/index.js';
import type { SpecOperation } from './match.js';
import { documentPathKey, parseSpecPath, serverBasePath, type Segments } from './paths.js';

/**
 * The document's operations, classified by the one model lint uses (src/openapi), each with its path
 * under every server base path (OAS 3 `servers[].url` path, Swagger `basePath`) and without it.
 */
export function loadOperations(
  files: readonly string[],
  options: { cwd: string; mtls: MtlsDetection; allowRemoteRefs: boolean },
): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const file of files) {
    const set = DocumentSet.load(file, { cwd: options.cwd, allowRemoteRefs: options.allowRemoteRefs });
    // The classification lint makes (analyzeDocument's), without the 403 / 4XX entries lint also looks up.
    const version = detectVersion(set.root.data, set.displayPath(set.root));
    // The same for every operation of the file (one path computation per file, not two per operation).
    const source = relativeDocument(options.cwd, file);
    const document = files.length > 1 ? source : undefined;
    // Shared by the file's operations, as lint shares it (analyzeDocument): each `security` list and each
    // scheme is classified once, not once per operation (the same verdicts; classify.ts).
    const cache = classificationCache();
    for (const operation of listOperations(set)) {
      const mtls = classifyOperation(set, version, operation, options.mtls, cache);
      const path = parseSpecPath(documentPathKey(operation.path));
      const variants: SpecOperation['variants'] = [];
      const seen = new Set<string>();
      const add = (segments: Segments, viaBase: boolean): void => {
        const k = segments.join('/');
        if (seen.has(k)) return;
        seen.add(k);
        variants.push({ segments, viaBase });
      };
      for (const server of effectiveServers(set.root.data, version, operation)) {
        const base = parseSpecPath(serverBasePath(server.url));
        if (base.length) add([...base, ...path], true);
      }
      add(path, false);
      out.push({
        name: operationName(operation),
        document,
        source,
        method: operation.method,
        variants,
        mtls: Boolean(mtls),
        why: mtls?.why,
      });
    }
  }
  return out;
}

function relativeDocument(cwd: string, file: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative.startsWith('..') ? path.resolve(cwd, file) : relative).split(path.sep).join('/');
}
