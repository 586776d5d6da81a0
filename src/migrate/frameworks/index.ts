import { adonis } from './adonis.js';
import { astro } from './astro.js';
import { betterAuth } from './better-auth.js';
import { connectRpc } from './connect-rpc.js';
import { egg } from './egg.js';
import { elysia } from './elysia.js';
import { encore } from './encore.js';
import { nextBasics } from './next-basics.js';
import { errorClasses } from './error-classes.js';
import { errorLibraries } from './error-libraries.js';
import { routingControllersAuthorized } from './routing-controllers.js';
import { errorObjects } from './error-objects.js';
import { express, expressMiddleware } from './express.js';
import { inversify } from './inversify.js';
import { fastify } from './fastify.js';
import { feathers } from './feathers.js';
import { fetchPassThrough } from './fetch-pass-through.js';
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
import { micro } from './micro.js';
import { middleware403 } from './middleware-403.js';
import { expressFileSenders, fastifyFileSenders, hapiFileSenders } from './file-senders.js';
import { socketIoHandshakes, wsHandshakes } from './socket-handshakes.js';
import { midway } from './midway.js';
import { moleculer } from './moleculer.js';
import { nestjs } from './nestjs.js';
import { nodeHttp } from './node-http.js';
import { oak } from './oak.js';
import { parseServer } from './parse-server.js';
import { payload } from './payload.js';
import { remix } from './remix.js';
import { restify } from './restify.js';
import { sails } from './sails.js';
import { strapi } from './strapi.js';
import { results } from './results.js';
import { statusMappings } from './status-mappings.js';
import { serverless } from './serverless.js';
import { azureFunctions } from './azure-functions.js';
import { sveltekit } from './sveltekit.js';
import { originChecks } from './origin-checks.js';
import { tests } from './tests.js';
import { trpc } from './trpc.js';
import { orpc } from './orpc.js';
import { tsRest } from './ts-rest.js';
import { totaljs } from './totaljs.js';
import { tsoa } from './tsoa.js';
import { tsed } from './tsed.js';
import { uwebsockets } from './uwebsockets.js';
import { web } from './web.js';
import { specifierPackage } from './specifier-packages.js';
import { aliasedModule, importMapPackages, type ImportMapEntries } from './deno-config.js';

export type { Framework } from './framework.js';

/**
 * Every framework module, in the order they see a node: specific shapes before general ones (the first
 * module to claim a node's range owns the site).
 */
export const FRAMEWORKS: readonly Framework[] = [
  tests,
  nestjs,
  tsoa,
  tsed,
  inversify,
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
  middleware403,
  expressFileSenders,
  fastifyFileSenders,
  hapiFileSenders,
  socketIoHandshakes,
  wsHandshakes,
  nodeHttp,
  micro,
  uwebsockets,
  web,
  remix,
  nextBasics,
  sveltekit,
  originChecks,
  h3,
  ittyRouter,
  httpErrors,
  loopback,
  moleculer,
  totaljs,
  feathers,
  restify,
  strapi,
  egg,
  payload,
  parseServer,
  errorLibraries,
  routingControllersAuthorized,
  trpc,
  orpc,
  tsRest,
  betterAuth,
  marblejs,
  connectRpc,
  azureFunctions,
  serverless,
  graphql,
  encore,
  grpc,
  astro,
  errorObjects,
  errorClasses,
  results,
  statusMappings,
  fetchPassThrough,
];

/** Ids accepted by `--framework`, sorted. */
export const FRAMEWORK_IDS: readonly string[] = [...new Set(FRAMEWORKS.map((f) => f.id))].sort();

/**
 * Packages that bring a framework without naming it: Nest's platform adapters run on Express or Fastify, and a
 * `@types/x` package means the code is typed against `x`.
 */
const IMPLIED: Record<string, string> = {
  '@nestjs/platform-express': 'express',
  '@nestjs/platform-fastify': 'fastify',
  // Hono's JSR name (`jsr:@hono/hono`, deno.json `"imports": { "hono": "jsr:@hono/hono" }`).
  '@hono/hono': 'hono',
};

function implied(name: string): string {
  if (IMPLIED[name]) return IMPLIED[name];
  // `@types/express` -> express, `@types/hapi__hapi` -> @hapi/hapi
  const typed = /^@types\/(.+)$/.exec(name)?.[1];
  if (typed) return typed.includes('__') ? `@${typed.replace('__', '/')}` : typed;
  return name;
}

/**
 * The modules to run on one file (DESIGN §6: per file, not per root package.json): those named with
 * `--framework`; else the always-on ones plus every module whose enablers appear in the file's imports (a
 * module or a subpath of it, also as a Deno `npm:` / `jsr:` / CDN URL import: specifier-packages.ts) or in the
 * dependencies of the package.json files above it (or of the deno.json import map). When nothing is
 * detected for the file, every module runs.
 *
 * @param named ids from `--framework` (all others are off).
 * @param dependencies dependency names of the package.json files from the file's folder up to the repository.
 * @param imports module specifiers the file imports or requires.
 * @param importMap Deno's import map above the file (deno-config.ts): its targets are dependencies, its keys
 *   aliases of the imports.
 */
export function selectFrameworks(
  named: readonly string[] | undefined,
  dependencies: ReadonlySet<string>,
  imports: readonly string[] = [],
  importMap: ImportMapEntries = new Map(),
): Framework[] {
  if (named?.length) return FRAMEWORKS.filter((f) => named.includes(f.id));
  const present = new Set([...dependencies, ...importMapPackages(importMap)].map(implied));
  for (const module of imports) {
    const name = implied(specifierPackage(aliasedModule(module, importMap)));
    present.add(name);
    // `@hapi/hapi/lib/x` and `express/lib/router` count as the package.
    const parts = name.split('/');
    present.add(implied(name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]));
  }
  const detected = FRAMEWORKS.filter((f) => f.enablers.some((e) => present.has(e)));
  if (!detected.length) return [...FRAMEWORKS];
  return FRAMEWORKS.filter((f) => f.enablers.length === 0 || detected.includes(f));
}
