import ts from '../../typescript.cjs';
import { propertySlot, skipOuter } from '../analysis.js';

/**
 * Keys of an options object (or fields of an error class) that carry an application error code rather than an
 * HTTP status: tRPC's `super({ code: 'FORBIDDEN', message })`, `this.errorCode = 'PERMISSION_DENIED'`. A code
 * naming a 403 there is mapped to a status elsewhere (tRPC's own table, a project's error handler).
 */
export const CODE_KEYS: ReadonlySet<string> = new Set(['code', 'errorCode', 'error_code']);

/** `'FORBIDDEN'`, `'Forbidden'`, `'PERMISSION_DENIED'` (as written, or `as const`): a code that names a 403. */
export function isForbiddenCode(expression: ts.Expression): boolean {
  const value = skipOuter(expression);
  return ts.isStringLiteralLike(value) && /^(forbidden|permission[_ -]?denied)$/i.test(value.text);
}

/**
 * The code naming a 403 that an argument of `super(…)` hands the base class: the argument itself
 * (`super('FORBIDDEN', m)`) or the value of a code key of an options object (`super({ code: 'FORBIDDEN', message })`,
 * `super(m, { errorCode: 'PERMISSION_DENIED' })`); undefined when it hands none. GraphQL's
 * `extensions: { code: 'FORBIDDEN' }` is nested one level deeper and is not read here (body only, graphql.ts).
 */
export function handedCode(argument: ts.Expression): ts.Expression | undefined {
  if (isForbiddenCode(argument)) return argument;
  const object = skipOuter(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    const slot = propertySlot(property);
    if (slot && CODE_KEYS.has(slot.key) && isForbiddenCode(slot.value)) return slot.value;
  }
  return undefined;
}
