import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MtlsDetection } from '../../config/resolve.js';
import {
  classificationCache,
  classifyOperation,
  declaredNotMtls,
  detectVersion,
  DocumentSet,
  effectiveServers,
  listOperations,
  operationName,
} from '../../openapi/index.js';
import { classificationText } from './classification-text.js';
import type { SpecOperation } from './match.js';
import { documentPathKey, parseSpecPath, serverBasePath, type Segments } from './paths.js';

/**
 * The document's operations, classified by the one model lint uses (src/openapi), each with its path
 * under every server base path (OAS 3 `servers[].url` path, Swagger `basePath`) and without it.
 */
export function loadOperations(
  files: readonly string[],
  options: {
    cwd: string;
    mtls: MtlsDetection;
    allowRemoteRefs: boolean;
    /** false: parse each document whole, not its classification text (tests compare the two). Default true. */
    blank?: boolean;
  },
): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const file of files) {
    const set =
      options.blank === false
        ? DocumentSet.load(file, { cwd: options.cwd, allowRemoteRefs: options.allowRemoteRefs })
        : loadForClassification(file, options);
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
      // Every server's base path, and each value a server variable's `enum` allows in it (`/{basePath}` with
      // enum `[v1, v2]`): a route under any of them serves the operation.
      for (const server of effectiveServers(set.root.data, version, operation)) {
        for (const url of [server.url, ...(server.alternatives ?? [])]) {
          const base = parseSpecPath(serverBasePath(url));
          if (base.length) add([...base, ...path], true);
        }
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
        ...(!mtls && declaredNotMtls(set, operation) ? { declaredNotMtls: true as const } : {}),
      });
    }
  }
  return out;
}

/**
 * The document as `DocumentSet.load` reads it, but from its classification text (`classificationText`: the
 * shapes `--spec` never reads blanked) when the file is block YAML that blanking applies to and the blanked text
 * loads; else (JSON, UTF-16, a text the blanking cannot place, a blanked text the parser rejects) from the whole
 * file, so every error a user sees is the whole document's.
 *
 * @throws the MtlsFixError `DocumentSet.load` throws for the whole file.
 */
function loadForClassification(
  file: string,
  options: { cwd: string; allowRemoteRefs: boolean },
): DocumentSet {
  const load = { cwd: options.cwd, allowRemoteRefs: options.allowRemoteRefs };
  const absolute = path.resolve(options.cwd, file);
  let text: string | undefined;
  try {
    const buffer = readFileSync(absolute);
    const utf16 =
      buffer.length > 1 &&
      ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff));
    if (!utf16 && !buffer.subarray(0, 8192).includes(0)) text = classificationText(buffer.toString('utf8'));
  } catch {
    // Unreadable: the whole-file load below names the error.
  }
  if (text !== undefined) {
    try {
      return DocumentSet.load(file, { ...load, texts: new Map([[absolute, text]]) });
    } catch {
      // The blanked text does not load: the whole file decides (and names any error).
    }
  }
  return DocumentSet.load(file, load);
}

function relativeDocument(cwd: string, file: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative.startsWith('..') ? path.resolve(cwd, file) : relative).split(path.sep).join('/');
}
