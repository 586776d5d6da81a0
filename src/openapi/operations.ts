import { findMtlsFixError, type MtlsFixError } from '../errors.js';
import type { DocumentSet, Located } from './document-set.js';
import { HTTP_METHODS, operationFields } from './operation-fields.js';
import { isObject, type JsonPath } from './pointer.js';
import { expectListOfMaps, expectMap, shapeError } from './shape.js';

export { HTTP_METHODS };

export interface Operation {
  /** Upper-case method, e.g. `GET`. */
  method: string;
  /** The key under `paths`, e.g. `/accounts/{id}`. */
  path: string;
  /** Where the Operation Object lives (its own file and path, after following the path item's `$ref`). */
  location: Located<Record<string, unknown>>;
  /** The Path Item as seen from `paths` (siblings of a `$ref` win over the referenced item). */
  pathItem: Record<string, unknown>;
  /** Where the Path Item entry under `paths` is written in the root document. */
  entryPath: JsonPath;
}

/** `GET /accounts/{id}` */
export function operationName(operation: Pick<Operation, 'method' | 'path'>): string {
  return `${operation.method} ${operation.path}`;
}

/**
 * Every operation under `paths`, following path-item `$ref`s (local, OAS 3.1 `components.pathItems`, other files)
 * and operation-level `$ref`s (an Operation Object reused from elsewhere). Operations are read wherever a Path
 * Item writes one ({@link operationFields}): method fields, the same in another case (`GET:`), AWS API Gateway's
 * `x-amazon-apigateway-any-method` (`ANY`) and OAS 3.2 `additionalOperations`; a key written like an operation
 * that is none of these (`gett: {responses: ...}`) is an input error, never read as absent.
 * Webhooks, callbacks and `x-` keys (but the AWS one above) are not operations: there the API provider is the client
 * (DESIGN §2).
 *
 * A path item or operation that cannot be read (not a map, a `$ref` that leads nowhere, `security`/`servers`
 * of the wrong shape) throws its MtlsFixError; with `onUnread`, it is handed there instead and skipped, and the
 * other operations are still listed (each unreadable one is then named, never only the first). `paths` itself
 * broken always throws.
 */
export function listOperations(set: DocumentSet, onUnread?: (error: MtlsFixError) => void): Operation[] {
  /** Runs `read`; an input error goes to `onUnread` when given (the part is skipped), else it is thrown. */
  const guarded = (read: () => void): void => {
    if (!onUnread) return read();
    try {
      read();
    } catch (error) {
      const inputError = findMtlsFixError(error);
      if (!inputError) throw error;
      onUnread(inputError);
    }
  };
  const root = set.root;
  const paths = isObject(root.data) ? root.data.paths : undefined;
  if (paths === undefined) return [];
  expectMap(set, { file: root, path: ['paths'], value: paths });
  // `paths: {$ref: ./paths/index.yaml}` (OBIE's split sources, bundled by json-refs tools): the OpenAPI
  // specification allows a `$ref` for a path item, not for `paths`. Before session 24 it was read as a path named
  // `$ref` ("'$ref' must be a map, not the string"); it is named as what it is, with what to do.
  const pathsRef = (paths as Record<string, unknown>).$ref;
  if (typeof pathsRef === 'string')
    throw set.error(
      'ESHAPE',
      `'paths' is a $ref ('${pathsRef}'), which the OpenAPI specification does not allow there (only a path item may be one), so no operation was read.`,
      'Bundle the document first (npx @redocly/cli bundle, or swagger-cli bundle) and check the bundle, or write the path items under paths.',
      { file: root, path: ['paths', '$ref'], value: pathsRef },
    );
  const operations: Operation[] = [];
  for (const [pathKey, entry] of Object.entries(paths as Record<string, unknown>)) {
    if (pathKey.startsWith('x-')) continue;
    guarded(() => readPathItem(pathKey, entry));
  }
  return operations;

  /** Lists the operations of one `paths` entry (each one that cannot be read through `guarded`). */
  function readPathItem(pathKey: string, entry: unknown): void {
    const entryPath = ['paths', pathKey];
    if (!isObject(entry)) throw shapeError(set, { file: root, path: entryPath, value: entry }, 'a map');
    const written: Located<Record<string, unknown>> = { file: root, path: entryPath, value: entry };
    const target = typeof entry.$ref === 'string' ? set.follow<unknown>(written) : written;
    if (target && !isObject(target.value)) throw shapeError(set, target, 'a map');
    const referenced =
      target && isObject(target.value) ? (target as Located<Record<string, unknown>>) : undefined;
    // Without a `$ref` the path item is the entry itself (no copy: it is only read).
    let pathItem: Record<string, unknown> = entry;
    if (referenced !== written || '$ref' in entry) {
      pathItem = { ...(referenced?.value ?? {}), ...entry };
      delete pathItem.$ref;
    }
    const add = (method: string, fieldPath: JsonPath): void => {
      const inline = getIn(entry, fieldPath);
      const own = inline !== undefined;
      const value = own ? inline : referenced ? getIn(referenced.value, fieldPath) : undefined;
      if (value !== undefined && !isObject(value)) {
        const at = own || !referenced ? entryPath : referenced.path;
        throw shapeError(
          set,
          { file: own || !referenced ? root : referenced.file, path: [...at, ...fieldPath], value },
          'a map',
        );
      }
      const location: Located<Record<string, unknown>> | undefined = isObject(inline)
        ? { file: root, path: [...entryPath, ...fieldPath], value: inline }
        : referenced && isObject(getIn(referenced.value, fieldPath))
          ? {
              file: referenced.file,
              path: [...referenced.path, ...fieldPath],
              value: getIn(referenced.value, fieldPath) as Record<string, unknown>,
            }
          : undefined;
      if (!location) return;
      // An operation written as a `$ref` (path-item style reuse, e.g. `get: {$ref: '#/components/x-operations/a'}`).
      const operation = typeof location.value.$ref === 'string' ? set.follow<unknown>(location) : location;
      if (!operation || !isObject(operation.value)) return;
      // What the model reads of an operation: broken, it is an input error, never read as absent.
      for (const key of ['security', 'servers']) {
        const value = operation.value[key];
        expectListOfMaps(set, { file: operation.file, path: [...operation.path, key], value });
      }
      operations.push({
        method,
        path: pathKey,
        location: { file: operation.file, path: operation.path, value: operation.value },
        pathItem,
        entryPath,
      });
    };
    if (entry.servers !== undefined || !referenced || referenced === written)
      expectListOfMaps(set, { file: root, path: [...entryPath, 'servers'], value: entry.servers });
    else
      expectListOfMaps(set, {
        ...referenced,
        path: [...referenced.path, 'servers'],
        value: referenced.value.servers,
      });
    // OAS 3.2: methods without a fixed field live under additionalOperations.
    const additional = pathItem.additionalOperations;
    if (additional !== undefined && !isObject(additional)) {
      throw shapeError(
        set,
        { file: root, path: [...entryPath, 'additionalOperations'], value: additional },
        'a map',
      );
    }
    const { fields, strays } = operationFields(pathItem);
    for (const { method, fieldPath } of fields) guarded(() => add(method, fieldPath));
    // A key written like an operation that is no method field: named, never read as absent.
    for (const key of strays)
      guarded(() => {
        const at: Located =
          key in entry || !referenced
            ? { file: root, path: [...entryPath, key], value: entry[key] }
            : { file: referenced.file, path: [...referenced.path, key], value: referenced.value[key] };
        throw set.error(
          'ESHAPE',
          `'${key}' is written like an operation (it has responses) but is no method field of a Path Item, so its responses were not checked.`,
          'Write the method in lower case (get, put, post, delete, options, head, patch, trace; OAS 3.2: query or additionalOperations), or start the key with x- if it is no operation.',
          at,
        );
      });
  }
}

function getIn(value: unknown, fieldPath: JsonPath): unknown {
  let node = value;
  for (const segment of fieldPath) {
    if (!isObject(node)) return undefined;
    node = node[String(segment)];
  }
  return node;
}
