import ts from '../../typescript.cjs';

/**
 * The decorator that wins over `decorator` on the same method, when both set one value and the framework keeps
 * the one applied last. TypeScript applies a member's decorators bottom-up (TypeScript handbook, "Decorator
 * Composition": evaluated top to bottom, called bottom to top), and NestJS `@HttpCode(n)` is
 * `Reflect.defineMetadata(HTTP_CODE_METADATA, n, descriptor.value)` (nestjs/nest,
 * packages/common/decorators/http/http-code.decorator.ts), so each call overwrites the one below it: the topmost
 * `@HttpCode` is the status Nest sends. `same` tells the decorators of that kind. Undefined when `decorator` is
 * the topmost of its kind (it is live) or is not on a class member.
 */
export function overridingDecorator(
  decorator: ts.Decorator,
  same: (call: ts.CallExpression) => boolean,
): ts.Decorator | undefined {
  const member = decorator.parent;
  if (!ts.canHaveDecorators(member)) return undefined;
  const topmost = (ts.getDecorators(member) ?? []).find(
    (d) => ts.isCallExpression(d.expression) && same(d.expression),
  );
  return topmost && topmost !== decorator ? topmost : undefined;
}
