import ts from '../../typescript.cjs';
import { skipOuter } from '../analysis/syntax.js';

/**
 * Whether `serveStatic(root, options)` / `express.static(root, options)` passes its 403s on to the next
 * middleware instead of answering them: serve-static (since 1.10.0, 2015; Express 4.13+ and 5) forwards a
 * client error of send (`statusCode < 500`) with `next()` unless `fallthrough: false` (serve-static index.js: `var
 * forwardError = !fallthrough`, `if (forwardError || !(err.statusCode < 500)) next(err) else next()`), and send's
 * 403s (a `..` path, a dotfile under `dotfiles: 'deny'`, pillarjs/send index.js) all come before it finds the file
 * (the `file` event that makes it forward errors). True when the options are left out or are an object literal
 * without a spread whose `fallthrough` is absent or `true`; anything else (a variable, a spread, `false`) may
 * forward the 403, which then answers as `err.status`. Also Nest's `app.useStaticAssets(root, options)` on Express
 * (ExpressAdapter: `express.static(path, options)`) and @feathersjs/express's `static` / `serveStatic` (Express's).
 */
export function fallsThrough(call: ts.CallExpression): boolean {
  const options = call.arguments[1];
  if (!options) return true;
  const inner = skipOuter(options);
  if (!ts.isObjectLiteralExpression(inner)) return false;
  return inner.properties.every((property) => {
    if (ts.isSpreadAssignment(property)) return false;
    const name =
      property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined;
    if (name !== 'fallthrough')
      return property.name !== undefined && !ts.isComputedPropertyName(property.name);
    return ts.isPropertyAssignment(property) && property.initializer.kind === ts.SyntaxKind.TrueKeyword;
  });
}
