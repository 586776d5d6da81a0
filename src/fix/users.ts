import type { DocumentSet, Operation } from '../openapi/index.js';
import {
  forbiddenKeys,
  isObject,
  listOperations,
  literalRef,
  operationFields,
  operationName,
  type Located,
} from '../openapi/index.js';

/** A `responses` map and who reads it: an operation, a webhook or a callback. */
export interface ResponsesUser {
  /** `GET /accounts` for operations (as in findings); `webhook newPet POST`, `callback ... of GET /a` otherwise. */
  name: string;
  responses: Located;
}

/**
 * Every `responses` map in the document that holds a 403 key (any spelling: `403`, `'403 '`) with its reader,
 * `$ref`s followed. A 403 key reached by more than one reader (shared path item, shared responses map, YAML
 * alias) may only change when every reader is migrated; webhooks and callbacks never are (DESIGN §2), so a key
 * they share is left alone. Maps without a 403 are left out: no caller reads them, and at 80,000 operations the
 * list of all of them was ~50 MB. `operations`: the document's operations when the caller has them already
 * (the analysis lists them), else they are listed anew.
 */
export function responsesUsers(
  set: DocumentSet,
  operations: readonly Operation[] = listOperations(set),
): ResponsesUser[] {
  const users: ResponsesUser[] = [];
  for (const operation of operations) {
    const name = operationName(operation);
    addResponses(set, users, name, operation.location);
    addCallbacks(set, users, name, operation.location);
  }
  // OAS 3.1+ `webhooks`, and `x-webhooks`, the same map written in OAS 3.0 documents (Okta, Redocly).
  for (const key of ['webhooks', 'x-webhooks']) {
    const webhooks = isObject(set.root.data) ? set.root.data[key] : undefined;
    if (!isObject(webhooks)) continue;
    const kind = key === 'webhooks' ? 'webhook' : 'x-webhook';
    for (const [hook, item] of Object.entries(webhooks)) {
      const pathItem = follow(set, { file: set.root, path: [key, hook], value: item });
      forEachMethod(pathItem, (method, operation) => {
        addResponses(set, users, `${kind} ${hook} ${method}`, operation);
        addCallbacks(set, users, `${kind} ${hook} ${method}`, operation);
      });
    }
  }
  return users;
}

function addCallbacks(set: DocumentSet, users: ResponsesUser[], owner: string, operation: Located): void {
  const callbacks = isObject(operation.value) ? operation.value.callbacks : undefined;
  if (!isObject(callbacks)) return;
  for (const [name, callback] of Object.entries(callbacks)) {
    const resolved = follow(set, {
      file: operation.file,
      path: [...operation.path, 'callbacks', name],
      value: callback,
    });
    if (!resolved || !isObject(resolved.value)) continue;
    for (const [expression, item] of Object.entries(resolved.value)) {
      const pathItem = follow(set, {
        file: resolved.file,
        path: [...resolved.path, expression],
        value: item,
      });
      forEachMethod(pathItem, (method, callbackOperation) =>
        addResponses(set, users, `callback ${name} ${method} of ${owner}`, callbackOperation),
      );
    }
  }
}

function forEachMethod(
  pathItem: Located | undefined,
  visit: (method: string, operation: Located) => void,
): void {
  if (!pathItem || !isObject(pathItem.value)) return;
  // Every place an operation is written (the same reader as paths): a webhook's `additionalOperations` or `GET:`
  // entry sharing a 403 must keep that 403 as much as one under `post`.
  for (const { method, fieldPath } of operationFields(pathItem.value).fields) {
    let operation: unknown = pathItem.value;
    for (const key of fieldPath) operation = isObject(operation) ? operation[String(key)] : undefined;
    if (isObject(operation)) {
      visit(method, { file: pathItem.file, path: [...pathItem.path, ...fieldPath], value: operation });
    }
  }
}

function addResponses(set: DocumentSet, users: ResponsesUser[], name: string, operation: Located): void {
  const responses = isObject(operation.value) ? operation.value.responses : undefined;
  if (responses === undefined) return;
  // A `$ref` that cannot be decoded is followed as a lenient reader reads it (see literalRef): the reader counts.
  const written =
    isObject(responses) && typeof responses.$ref === 'string'
      ? { ...responses, $ref: literalRef(responses.$ref) }
      : responses;
  const located = follow(set, {
    file: operation.file,
    path: [...operation.path, 'responses'],
    value: written,
  });
  if (
    located &&
    isObject(located.value) &&
    forbiddenKeys(located.file, located.path, located.value).length > 0
  )
    users.push({ name, responses: located });
}

/** Follows `$ref`s; a broken one outside what lint reads is not this command's business, so it is skipped. */
function follow(set: DocumentSet, start: Located): Located | undefined {
  try {
    return set.follow(start);
  } catch {
    return undefined;
  }
}
