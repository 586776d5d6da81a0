import type { JsonPath } from '../openapi/pointer.js';
import { getAtPath } from '../openapi/pointer.js';
import type { SpecPlan } from './plan.js';

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface OverlayDocument {
  overlay: '1.0.0';
  info: { title: string; version: string };
  actions: OverlayAction[];
}

/**
 * An OpenAPI Overlay 1.0 with the same effect as the in-place fix. Overlay has no rename, so a rename is an
 * `update` that adds the agreed status with the 403's value (its `$ref` kept) followed by a `remove` of 403.
 * Keys in other files than the root cannot be targeted by an overlay on the root; they are returned apart.
 */
export function buildOverlay(
  plan: SpecPlan,
  title: string,
): { overlay: OverlayDocument; unreachable: string[] } {
  const actions: OverlayAction[] = [];
  const unreachable: string[] = [];
  for (const filePlan of plan.files) {
    for (const operation of filePlan.operations) {
      const where = `${plan.set.displayPath(filePlan.file)}#${JSON.stringify(operation.responsesPath)}`;
      if (filePlan.file !== plan.set.root) {
        unreachable.push(where);
        continue;
      }
      const responses = jsonPath(operation.responsesPath);
      if (operation.kind === 'set-ref') {
        actions.push({ target: responses, update: { $ref: operation.to } });
        continue;
      }
      if (operation.kind === 'add-header') {
        actions.push({
          target: `${responses}['${operation.to}']`,
          update: { headers: { 'WWW-Authenticate': operation.header } },
        });
        continue;
      }
      if (operation.kind === 'rename') {
        actions.push({
          target: responses,
          description: `document ${operation.to} instead of ${operation.from} (iOS NSURLErrorDomain -1206 on mTLS)`,
          update: {
            [operation.to]: getAtPath(filePlan.file.data, [...operation.responsesPath, operation.from]),
          },
        });
      }
      actions.push({ target: `${responses}['${operation.from}']`, remove: true });
    }
  }
  return { overlay: { overlay: '1.0.0', info: { title, version: '1.0.0' }, actions }, unreachable };
}

/** RFC 9535 JSONPath in bracket notation: `$['paths']['/a/{id}']['get']['responses']`. */
export function jsonPath(path: JsonPath): string {
  return `$${path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `['${String(segment).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`)).join('')}`;
}
