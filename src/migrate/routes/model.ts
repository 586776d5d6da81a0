import type { PathSyntax } from './paths.js';

/** A stretch of code (`[start, end)` in a file relative to the working folder) that runs for a route. */
export interface Span {
  file: string;
  start: number;
  end: number;
}

/** A route the code registers, with its full path as far as the code shows it. */
export interface CodeRoute {
  framework: string;
  /** Upper-case method; `ALL` for `app.all`, `use`-style catch-alls and Next.js pages API. */
  method: string;
  /** The composed path in the framework's own syntax (`/v1/users/:id`), for reports and matching. */
  path: string;
  syntax: PathSyntax;
  /** Where the route is registered. */
  file: string;
  /**
   * The file of the app (the outermost router) it is mounted on, when the router graph walked it from one: which
   * service serves it (document-scope.ts), though a shared package may register it.
   */
  app?: string;
  line: number;
  /** The code that runs for it: handler, route-level middleware, router-level middleware, guards. */
  handlers: Span[];
  /** Why the full path is unknown (a mount computed at run time), when it is. */
  unresolved?: string;
  /** The file whose `--mount FILE=PREFIX` would resolve it. */
  mountFile?: string;
  /** The registration itself could not be read (a regex path, options built at run time): `--mount` cannot help. */
  unreadable?: boolean;
  /**
   * With `unreadable`: a call shaped like a registration whose arguments after the path hold nothing mtls-fix reads
   * as a handler (`x.post('/items', body)` on an untraced `x`), perhaps an HTTP client's request: listed for review,
   * but no evidence that its folder is a service that registers routes (document-scope.ts).
   */
  maybeClient?: true;
  /**
   * With `unresolved`: the method and path are read, the code that answers is not (an AWS CDK route whose Lambda
   * function comes from a stack prop or another stack): a request on its path may reach it (test-route-graph.ts).
   */
  handlerUnread?: true;
  /**
   * The route is read but its handlers are not seen (handler-arguments.ts `unseenHandlers`: `app.get('/x',
   * ...handlers)` with `handlers` a parameter): why, with where. It still matches its operation, which coverage
   * does not read as answered without saying so; the 403s its hidden code sends are reached from no route.
   */
  unseenHandlers?: string;
  /**
   * Not a route but path-scoped middleware (`app.use('/files/:name', serveFile)`): it runs for every method and
   * every path below `path`, and answers the requests no route does when it ends them. Made only on request
   * (`extractRouterRoutes(…, { scopedMiddleware: true })`), to link tests' requests.
   */
  prefix?: boolean;
  /**
   * Not a route but the security check an OpenAPI-first library runs for one operation of its document, whoever
   * handles it (swagger-tools' `swaggerSecurity`, express-openapi's `securityHandlers`, exegesis' `authenticators`;
   * routes/security-checks.ts): its handlers are the checks of the schemes the operation requires, the value names
   * the library. Matched to its operation to decide the 403s those checks send; never listed in coverage.
   */
  securityCheck?: string;
  /**
   * The identifiers a test may build the route's URL from (`client.get(route('users.show', { id }))`): the name
   * the app gives it (AdonisJS `.as('users.show')`, with its groups' `.as(...)` before it, or a resource's
   * `users.show`) and its handler as written (`'UsersController.show'`).
   */
  names?: string[];
}

/** `--mount FILE=PREFIX` and config `migrate.mounts`: prefixes the code computes at run time, by file. */
export type Mounts = ReadonlyMap<string, string>;

/** What one extractor returns. */
export interface Extraction {
  routes: CodeRoute[];
}
