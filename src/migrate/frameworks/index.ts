import { adonis } from './adonis.js';
import { astro } from './astro.js';
import { elysia } from './elysia.js';
import { encore } from './encore.js';
import { errorClasses } from './error-classes.js';
import { express, expressMiddleware } from './express.js';
import { fastify } from './fastify.js';
import { feathers } from './feathers.js';
import type { Framework } from './framework.js';
import { graphql } from './graphql.js';
import { grpc } from './grpc.js';
import { h3 } from './h3.js';
import { hapi } from './hapi.js';
import { hono } from './hono.js';
import { httpErrors } from './http-errors.js';
import { ittyRouter } from './itty-router.js';
import { koa } from './koa.js';
import { loopback } from './loopback.js';
import { marblejs } from './marblejs.js';
import { midway } from './midway.js';
import { nestjs } from './nestjs.js';
import { nodeHttp } from './node-http.js';
import { oak } from './oak.js';
import { remix } from './remix.js';
import { restify } from './restify.js';
import { sails } from './sails.js';
import { serverless } from './serverless.js';
import { sveltekit } from './sveltekit.js';
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
  oak,
  adonis,
  midway,
  sails,
  hapi,
  fastify,
  koa,
  hono,
  elysia,
  express,
  expressMiddleware,
  nodeHttp,
  web,
  remix,
  sveltekit,
  h3,
  ittyRouter,
  httpErrors,
  loopback,
  feathers,
  restify,
  trpc,
  marblejs,
  serverless,
  graphql,
  encore,
  grpc,
  astro,
  errorClasses,
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
