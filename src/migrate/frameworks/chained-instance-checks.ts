import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { LIBRARIES } from './error-library-table.js';
import { isForbiddenClass } from './error-libraries.js';
import { fixedStatusIn, projectClassFixing403, projectClassReaching } from './nest-exception-chain.js';
import { resolveClass, type GuardScope } from './nest-guards.js';
import { coveredCheck } from './covered-checks.js';
import { isForbiddenException } from './nestjs.js';
import { unreadChain, unreadClass, unreadReason } from './unread-classes.js';

/**
 * How the project class of an `instanceof` check answers 403, for a person: `it fixes 403`, `it inherits the
 * status of NoAccess`, `it extends ForbiddenException through TenantDenied`. Undefined when it answers no 403
 * that mtls-fix can read (another status, a package's class, a class it cannot resolve).
 */
export function chained403(right: ts.Expression, scope: GuardScope): string | undefined {
  const found = resolveClass(right, scope);
  if ('why' in found) return undefined;
  const name = found.cls.name?.text ?? right.getText(scope.sourceFile);
  const status = fixedStatusIn(found.cls, found.scope);
  if (status === 403) return 'it fixes 403';
  if (status !== undefined) return undefined;
  const fixing = projectClassFixing403(right, scope);
  if (fixing) return `it inherits the status of ${fixing}`;
  let library = '';
  const through = projectClassReaching(right, scope, (parent, where) => {
    if (isForbiddenException(parent, where.imports)) library = 'ForbiddenException';
    else
      library =
        Object.values(LIBRARIES).find((l) => isForbiddenClass(parent, where.imports, l))?.forbidden ?? '';
    return library !== '';
  });
  if (!through) return undefined;
  return through === name ? `it extends ${library}` : `it extends ${library} through ${through}`;
}

/**
 * `err instanceof X` (in an error handler, a filter, any code), X a project class that answers 403 by its chain:
 * it fixes 403 (`status = 403`, `super(m, 403)`), inherits it from a project class that does, or extends Nest's
 * ForbiddenException or an error library's 403 class (routing-controllers ForbiddenError, http-errors and Feathers
 * Forbidden…) directly or through project classes, in this file or another (nest-exception-chain.ts). The check
 * decides a 403 answer by class, as a check on the library's own 403 class does (instance-checks.ts): once the
 * throws on mTLS routes become a sibling class for the agreed status, it stops matching them. Named for review
 * (manual), never rewritten.
 */
export function chainedInstanceCheck(analysis: FileAnalysis, check: ts.BinaryExpression): void {
  if (check.operatorToken.kind !== ts.SyntaxKind.InstanceOfKeyword) return;
  const right = check.right;
  if (!ts.isIdentifier(right) && !ts.isPropertyAccessExpression(right)) return;
  const scope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
  const how = chained403(right, scope);
  if (!how) {
    const direct = unreadClass(analysis, right);
    // `err instanceof SeatLimit`, a project class extending an unread one through others (unread-classes.ts).
    const chain = direct ? undefined : unreadChain(right, scope);
    const found = direct ?? chain?.found;
    // A check on a class of an undeclared package (`import { Forbidden as Denied } from '@curveball/http-errors'`)
    // sends nothing: census-aliases.ts names that library's class where it is thrown or built. Only a project
    // module that does not resolve (a relative path, `@/`, `~/`, `#`) leaves its checks unread.
    if (found && isProjectPath(found.module))
      analysis.addSite({
        node: check,
        framework: 'error-classes',
        manual: true,
        reason: unreadReason(
          analysis,
          found,
          `this check may decide a 403 answer by class${chain ? ` (${right.getText(analysis.sourceFile)} extends it through ${chain.through})` : ''}`,
        ),
      });
    return;
  }
  // `err instanceof NoAccess || err instanceof UnauthorizedException`: the chain matches the sibling too.
  if (coveredCheck(analysis, check)) return;
  const checked = right.getText(analysis.sourceFile);
  const value = check.left.getText(analysis.sourceFile);
  analysis.addSite({
    node: check,
    framework: 'error-classes',
    manual: true,
    reason: `An instanceof check on ${checked}, a class that answers 403 (${how}): it decides a 403 answer by class. The throws on mTLS routes are to become a sibling class answering ${analysis.target}, which this check does not match: check that sibling class too (\`|| ${value} instanceof <the ${analysis.target} class>\`), and answer it ${analysis.target}.`,
  });
}

/** A specifier that names a project file whatever is installed: relative, absolute, or a `@/`, `~/`, `#` alias. */
function isProjectPath(specifier: string): boolean {
  return /^(?:\.|\/|#|[@~]\/)/.test(specifier);
}
