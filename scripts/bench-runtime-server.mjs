#!/usr/bin/env node
// A child of bench-runtime.mjs: serves a hello-world route over mutual TLS twice in one process, without and with
// the mtls-fix/runtime guard, sends both ports over IPC, and answers each 'cpu' message with process.cpuUsage()
// (only one of the two apps is under load at a time, so a difference is that app's work).
// Arguments: node | express | fastify, then bare-first | guarded-first; env PKI_DIR.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import express from 'express';
import Fastify from 'fastify';
import { expressMtlsGuard, fastifyMtlsGuard, withMtlsGuard } from '../dist/src/runtime/index.js';

const dir = process.env.PKI_DIR;
const tls = {
  key: readFileSync(path.join(dir, 'server.key')),
  cert: readFileSync(path.join(dir, 'server.crt')),
  ca: readFileSync(path.join(dir, 'ca.crt')),
  requestCert: true,
  rejectUnauthorized: false,
};
const options = { status: 401, wwwAuthenticate: 'Bearer' };

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

async function node(guarded) {
  const hello = (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('hello world');
  };
  return listen(https.createServer(tls, guarded ? withMtlsGuard(hello, options) : hello));
}

async function expressApp(guarded) {
  const app = express();
  if (guarded) app.use(expressMtlsGuard(options));
  app.get('/', (_req, res) => res.send('hello world'));
  return listen(https.createServer(tls, app));
}

async function fastifyApp(guarded) {
  const app = Fastify({ https: tls });
  if (guarded) await app.register(fastifyMtlsGuard, options);
  app.get('/', (_req, reply) => reply.send('hello world'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

const make = { node, express: expressApp, fastify: fastifyApp }[process.argv[2]];
// BENCH_AA=1: the guarded app runs without the guard too (an A/A calibration of the noise).
const guard = process.env.BENCH_AA !== '1';
// Which app is created first is an argument: the bench runs both orders, as the second instance of a framework
// in one process can cost more per request than the first (seen with Fastify in an A/A run).
const guardedFirst = process.argv[3] === 'guarded-first';
const first = await make(guardedFirst ? guard : false);
const second = await make(guardedFirst ? false : guard);
const [bare, guarded] = guardedFirst ? [second, first] : [first, second];
process.on('message', () => process.send({ cpu: process.cpuUsage() }));
process.send({ ports: { bare, guarded } });
