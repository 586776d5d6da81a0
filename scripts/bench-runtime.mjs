#!/usr/bin/env node
// `npm run bench:runtime`: overhead of the mtls-fix/runtime guard on a hello-world route, for plain Node, Express
// and Fastify, over mutual TLS with a client certificate presented (the path the guard works on).
// For each framework, one server process runs the same app twice, one with the guard; autocannon (in this
// process) sends the same number of requests to each, in alternating rounds. Two figures per framework:
// - server CPU time per request (process.cpuUsage of the server child, user + system, while only that app is
//   under load), the steadier one on a shared machine: it counts work, not the wait for a core;
// - requests per second, which the machine's load shakes far more.
// Each is the median over rounds; the overhead is guarded/bare - 1 (target: under 5%).
// Needs `npm run build` first (the guard is loaded from dist/).
// Env: BENCH_REQUESTS (per round, default 2000), BENCH_ROUNDS (per creation order, default 3), BENCH_CONNECTIONS (default 10);
// BENCH_AA=1 serves the bare app on both ports (an A/A calibration of the noise).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = path.dirname(fileURLToPath(import.meta.url));
const requests = Number(process.env.BENCH_REQUESTS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

function makePki() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mtls-fix-bench-'));
  const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=bench-ca']);
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
    ['client', 'extendedKeyUsage=clientAuth\n'],
  ]) {
    run(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    writeFileSync(path.join(dir, `${name}.ext`), ext);
    run([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    ]);
  }
  return dir;
}

/** The server child of one framework; `cpu()` resolves to its CPU time so far, in microseconds. */
function startServer(framework, order, pkiDir) {
  const child = spawn(process.execPath, [path.join(here, 'bench-runtime-server.mjs'), framework, order], {
    env: { ...process.env, PKI_DIR: pkiDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cpu = () =>
    new Promise((resolve) => {
      child.once('message', ({ cpu: usage }) => resolve(usage.user + usage.system));
      child.send('cpu');
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${framework} server exited with ${code}`)));
    child.once('message', ({ ports }) => resolve({ child, ports, cpu }));
  });
}

function load(port, tlsOptions, amount) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `https://127.0.0.1:${port}/`, connections, amount, tlsOptions }, (error, result) => {
      if (error) reject(error);
      else if (result.non2xx > 0 || result.errors > 0) reject(new Error(`non-2xx or errors on port ${port}`));
      else resolve(result.requests.total / (result.duration || 1));
    });
  });
}

/** One measured round: requests/s and server CPU microseconds per request. */
async function round(server, port, tlsOptions) {
  const before = await server.cpu();
  const perSecond = await load(port, tlsOptions, requests);
  const cpu = ((await server.cpu()) - before) / requests;
  return { perSecond, cpu };
}

/**
 * The guard's own work per request without any I/O: the signal check (cached per socket) and the writeHead
 * wrapper on a stand-in response. Median of 5 runs of 200,000 calls, minus the same loop without the guard.
 */
async function guardCost() {
  const { withMtlsGuard } = await import('../dist/src/runtime/index.js');
  const socket = { authorized: true, getPeerCertificate: () => ({ subject: { CN: 'client' } }) };
  const response = { writeHead: () => undefined, hasHeader: () => false, setHeader: () => undefined };
  const listener = (_request, res) => res.writeHead(200);
  const guarded = withMtlsGuard(listener, { status: 401 });
  const time = (fn) => {
    const calls = 200_000;
    const start = process.hrtime.bigint();
    for (let index = 0; index < calls; index++) fn({ socket, headers: {} }, { ...response });
    return Number(process.hrtime.bigint() - start) / calls / 1000;
  };
  const samples = [];
  for (let run = 0; run < 5; run++) samples.push(time(guarded) - time(listener));
  return median(samples);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percent = (ratio) => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;

const pkiDir = makePki();
const tlsOptions = {
  cert: readFileSync(path.join(pkiDir, 'client.crt')),
  key: readFileSync(path.join(pkiDir, 'client.key')),
};
console.log(
  `mtls-fix/runtime guard overhead: hello-world over mutual TLS (client certificate presented), ` +
    `${connections} keep-alive connections, 2 creation orders x ${rounds} rounds x ${requests} requests per variant, interleaved`,
);
console.log(
  `load average at start: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
console.log('framework  CPU us/req bare  guarded  overhead   req/s bare  guarded  overhead');
try {
  for (const framework of ['node', 'express', 'fastify']) {
    const results = { bare: [], guarded: [] };
    // Both creation orders, half the rounds each, so a per-instance bias falls on both variants.
    for (const order of ['bare-first', 'guarded-first']) {
      const server = await startServer(framework, order, pkiDir);
      try {
        // Warm-up (JIT, TLS session set-up), not counted.
        await load(server.ports.bare, tlsOptions, requests);
        await load(server.ports.guarded, tlsOptions, requests);
        for (let index = 0; index < rounds; index++) {
          // Alternate which goes first so drift in machine load falls on both.
          const sequence = index % 2 === 0 ? ['bare', 'guarded'] : ['guarded', 'bare'];
          for (const variant of sequence) {
            results[variant].push(await round(server, server.ports[variant], tlsOptions));
          }
        }
      } finally {
        server.child.removeAllListeners('exit');
        server.child.kill();
      }
    }
    const cpuBare = median(results.bare.map((r) => r.cpu));
    const cpuGuarded = median(results.guarded.map((r) => r.cpu));
    const rpsBare = median(results.bare.map((r) => r.perSecond));
    const rpsGuarded = median(results.guarded.map((r) => r.perSecond));
    console.log(
      `${framework.padEnd(9)}  ${cpuBare.toFixed(1).padStart(15)}  ${cpuGuarded.toFixed(1).padStart(7)}  ` +
        `${percent(cpuGuarded / cpuBare - 1).padStart(8)}   ${rpsBare.toFixed(0).padStart(10)}  ` +
        `${rpsGuarded.toFixed(0).padStart(7)}  ${percent(1 - rpsGuarded / rpsBare).padStart(8)}`,
    );
  }
  console.log(
    `guard code alone (withMtlsGuard, in this process, fake socket with a certificate): ` +
      `+${(await guardCost()).toFixed(2)} us per request`,
  );
} finally {
  console.log(
    `load average at end: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  rmSync(pkiDir, { recursive: true, force: true });
}
