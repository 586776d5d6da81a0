import { resolveGuard, type MtlsGuardOptions, type ResolvedGuard } from './options.js';
import { remapResponse, type ResponseLike } from './response.js';
import { hasVerifiedClientCertificate, type RequestLike } from './signal.js';

/**
 * NestJS pieces without importing @nestjs/*: Nest finds a filter by its `catch` method and the exception types
 * stored under `@Catch()`'s metadata key, and an interceptor by its `intercept` method. The filter stores its
 * metadata itself through reflect-metadata's `Reflect.defineMetadata`, which @nestjs/common and @nestjs/core load
 * before any application exists; nothing else here needs Nest at import time.
 */

/** The parts of Nest's ArgumentsHost / ExecutionContext used here. */
interface HostLike {
  getType(): string;
  switchToHttp(): { getRequest(): unknown; getResponse(): unknown };
}
interface HttpExceptionLike {
  getStatus(): number;
  getResponse(): unknown;
}

/** `@Catch()`'s metadata key (`FILTER_CATCH_EXCEPTIONS` in @nestjs/common, the same in Nest 8 to 12). */
const FILTER_CATCH_EXCEPTIONS = '__filterCatchExceptions__';

function isForbiddenHttpException(value: unknown): value is HttpExceptionLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<HttpExceptionLike>;
  return (
    typeof candidate.getStatus === 'function' &&
    typeof candidate.getResponse === 'function' &&
    candidate.getStatus() === 403
  );
}

/** Nest selects a filter with `exception instanceof Type`; this "type" is any HttpException with status 403. */
class ForbiddenHttpException {
  static [Symbol.hasInstance](value: unknown): boolean {
    return isForbiddenHttpException(value);
  }
}

/** Fastify's request and reply wrap the Node ones in `.raw`; Express's are the Node ones. */
function rawOf<T>(value: unknown): T {
  const raw = (value as { raw?: unknown } | null)?.raw;
  return (typeof raw === 'object' && raw !== null ? raw : value) as T;
}

function guardHttp(host: HostLike, guard: ResolvedGuard): void {
  const http = host.switchToHttp();
  if (hasVerifiedClientCertificate(rawOf<RequestLike>(http.getRequest()), guard)) {
    remapResponse(rawOf<ResponseLike>(http.getResponse()), guard);
  }
}

/**
 * Exception filter for 403 `HttpException`s (`ForbiddenException`, and what a guard returning `false` throws):
 * `app.useGlobalFilters(new MtlsGuardFilter())`, or `{ provide: APP_FILTER, useClass: MtlsGuardFilter }`. It
 * answers as Nest's built-in filter does (same body, `getResponse()`), with the agreed status when the client
 * presented a verified certificate. Other exceptions never reach it. A global filter also sees guard failures,
 * which run before any interceptor.
 * @throws MtlsFixError at construction for invalid options or config.
 */
export class MtlsGuardFilter {
  private readonly guard: ResolvedGuard;

  constructor(options?: MtlsGuardOptions) {
    this.guard = resolveGuard(options);
    registerCatchMetadata();
  }

  catch(exception: unknown, host: HostLike): unknown {
    // Outside HTTP (GraphQL, microservices) a filter returns the error for that context to report.
    if (host.getType() !== 'http' || !isForbiddenHttpException(exception)) return exception;
    guardHttp(host, this.guard);
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body !== null ? body : { statusCode: exception.getStatus(), message: body };
    reply(host.switchToHttp().getResponse(), message, exception.getStatus());
    return undefined;
  }
}

/** What Nest's Express and Fastify adapters do in `reply()`; `status` is 403 and the wrapped response remaps it. */
function reply(response: unknown, message: unknown, status: number): void {
  const express = response as {
    headersSent?: boolean;
    sent?: boolean;
    status?: (code: number) => unknown;
    json?: (body: unknown) => unknown;
    send?: (body: unknown) => unknown;
    code?: (code: number) => { send(body: unknown): unknown };
    end?: () => unknown;
  };
  if (express.headersSent === true || express.sent === true) {
    express.end?.();
    return;
  }
  if (typeof express.code === 'function') {
    express.code(status).send(message);
  } else if (typeof express.status === 'function' && typeof express.json === 'function') {
    express.status(status);
    if (typeof message === 'object' && message !== null) express.json(message);
    else express.send?.(String(message));
  } else {
    const node = response as {
      statusCode: number;
      setHeader(n: string, v: string): void;
      end(b: string): void;
    };
    node.statusCode = status;
    node.setHeader('Content-Type', 'application/json; charset=utf-8');
    node.end(JSON.stringify(message));
  }
}

/**
 * Interceptor for 403s a handler sends itself (`@HttpCode(403)`, `@Res()` with `res.status(403)`, or an
 * exception thrown in the handler and answered by any filter): `app.useGlobalInterceptors(new
 * MtlsGuardInterceptor())`. Interceptors run after guards: use {@link MtlsGuardFilter} for those.
 * @throws MtlsFixError at construction for invalid options or config.
 */
export class MtlsGuardInterceptor {
  private readonly guard: ResolvedGuard;

  constructor(options?: MtlsGuardOptions) {
    this.guard = resolveGuard(options);
  }

  intercept<T>(context: HostLike, next: { handle(): T }): T {
    if (context.getType() === 'http') guardHttp(context, this.guard);
    return next.handle();
  }
}

function registerCatchMetadata(): void {
  const reflect = Reflect as unknown as {
    defineMetadata?: (key: string, value: unknown, target: object) => void;
  };
  if (typeof reflect.defineMetadata !== 'function') return;
  for (const target of [MtlsGuardFilter, MtlsGuardFilter.prototype]) {
    reflect.defineMetadata(FILTER_CATCH_EXCEPTIONS, [ForbiddenHttpException], target);
  }
}

registerCatchMetadata();
