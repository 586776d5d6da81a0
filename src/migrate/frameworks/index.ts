import { connectRpc } from './connect-rpc.js';
import { elysia } from './elysia.js';
import { errorClasses } from './error-classes.js';
import { errorLibraries } from './error-libraries.js';
import { errorObjects } from './error-objects.js';
import { express, expressMiddleware } from './express.js';
import { fastify } from './fastify.js';
import type { Framework } from './framework.js';
import { graphql } from './graphql.js';
import { hapi } from './hapi.js';
import { hono } from './hono.js';
import { httpErrors } from './http-errors.js';
import { koa } from './koa.js';
import { nestjs } from './nestjs.js';
import { nodeHttp } from './node-http.js';
import { restify } from './restify.js';
import { statusMappings } from './status-mappings.js';
import { serverless } from './serverless.js';
import { tests } from './tests.js';
import { trpc } from './trpc.js';
import { web } from './web.js';

export type { Framework } from './framework.js';

/**
 * Every framework module, in the order they see a node: specific shapes before general ones (the first
 * module to claim a node's range owns the site).
 */
export const FRAMEWORKS: readonly Framework[] = [
  tests,
  nestjs,
  hapi,
  fastify,
  koa,
  hono,
  elysia,
  express,
  expressMiddleware,
  nodeHttp,
  web,
  httpErrors,
  restify,
  errorLibraries,
  trpc,
  connectRpc,
  serverless,
  graphql,
  errorObjects,
  errorClasses,
  statusMappings,
];

/** Ids accepted by `--framework`, sorted. */
export const FRAMEWORK_IDS: readonly string[] = [...new Set(FRAMEWORKS.map((f) => f.id))].sort();

/**
 * The modules to run: those named, or those whose enablers appear in the project's dependencies plus the
 * always-on ones. When nothing is detected (no package.json, or no known dependency) every module runs.
 */
export function selectFrameworks(
  named: readonly string[] | undefined,
  dependencies: ReadonlySet<string>,
): Framework[] {
  if (named?.length) return FRAMEWORKS.filter((f) => named.includes(f.id));
  const detected = FRAMEWORKS.filter((f) => f.enablers.some((e) => dependencies.has(e)));
  if (!detected.length) return [...FRAMEWORKS];
  return FRAMEWORKS.filter((f) => f.enablers.length === 0 || detected.includes(f));
}
