// run.listen against an app that listens itself: requests that fail while gohot restarts the
// app, counted, for a client loop that opens a new connection per request.
//
//   node bench/listen-handoff.mjs [--restarts N] [--rounds N] [--out <dir>]
//
// Variants (interleaved, baseline first in each round), all on test/fixtures/socket-activated
// restarted by gohot through a restart-only file:
//   own socket         the app listens on $ADDR itself (no run.listen)
//   run.listen + Shutdown   gohot holds the socket; the app stops with http.Server.Shutdown
//   run.listen         gohot holds the socket; the app closes its listener and answers what it
//                      accepted (the fixture's stop.go, the way docs/listen.md shows)
// Counts are exact; they depend on timing, so a busy machine moves them: compare the rows.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort, option, repo } from './lib/common.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => option(argv, name, dflt);
const RESTARTS = Number(opt('--restarts', '20'));
const ROUNDS = Number(opt('--rounds', '3'));
const WORKERS = 4;
const outDir = path.resolve(opt('--out', path.join(repo, 'bench/results')));
const cli = path.join(repo, 'dist/cli/main.js');

const VARIANTS = [
  { name: 'own socket', listen: false, env: {} },
  { name: 'run.listen + Shutdown', listen: true, env: { STOP_WITH: 'shutdown' } },
  { name: 'run.listen', listen: true, env: {} },
];

function getFresh(url) {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ ok: res.statusCode === 200, body }));
        res.on('error', (e) => resolve({ ok: false, code: e.code ?? String(e) }));
      })
      .on('error', (e) => resolve({ ok: false, code: e.code ?? String(e) }));
  });
}

async function until(what, check, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function runVariant(variant) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gohot-bench-listen-'));
  cpSync(path.join(repo, 'test/fixtures/socket-activated'), dir, { recursive: true });
  const port = await freePort();
  writeFileSync(path.join(dir, 'config.txt'), 'start');
  writeFileSync(
    path.join(dir, 'gohot.json'),
    JSON.stringify({
      ...(variant.listen ? { run: { listen: [`127.0.0.1:${port}`] } } : {}),
      watch: { restartOnly: ['config.txt'] },
    }),
  );
  const url = `http://127.0.0.1:${port}/`;
  const gohot = spawn(process.execPath, [cli], {
    cwd: dir,
    env: { ...process.env, ADDR: `127.0.0.1:${port}`, ...variant.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const result = { variant: variant.name, sent: 0, failed: 0, codes: {}, slowestMs: 0 };
  try {
    await until('the app to serve', async () => (await getFresh(url)).ok);
    let last = '';
    let running = true;
    const worker = async () => {
      while (running) {
        const t = performance.now();
        result.sent++;
        const r = await getFresh(url);
        result.slowestMs = Math.max(result.slowestMs, performance.now() - t);
        if (r.ok) last = r.body;
        else {
          result.failed++;
          const code = r.code ?? 'not 200';
          result.codes[code] = (result.codes[code] ?? 0) + 1;
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    try {
      for (let i = 1; i <= RESTARTS; i++) {
        writeFileSync(path.join(dir, 'config.txt'), `restart ${i}`);
        await until(`restart ${i}`, () => last.includes(`cfg=restart ${i}\n`));
      }
    } finally {
      running = false;
      await Promise.all(workers);
    }
  } finally {
    gohot.kill('SIGTERM');
    await new Promise((r) => gohot.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const results = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const v of VARIANTS) {
    const r = await runVariant(v);
    console.log(
      `round ${round} ${v.name}: ${r.failed} of ${r.sent} failed ${JSON.stringify(r.codes)}`,
    );
    results.push({ round, ...r });
  }
}

const lines = [
  `run.listen: requests on new connections during ${RESTARTS} restarts (${WORKERS} client loops), ${ROUNDS} rounds, ${new Date().toISOString()}, ${os.cpus().length}x ${os.cpus()[0]?.model ?? '?'}`,
  '',
  '| variant | requests | failed | share failed | how they failed | slowest request (ms) |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const v of VARIANTS) {
  const rs = results.filter((r) => r.variant === v.name);
  const sent = rs.reduce((a, r) => a + r.sent, 0);
  const failed = rs.reduce((a, r) => a + r.failed, 0);
  const codes = {};
  for (const r of rs) for (const [c, n] of Object.entries(r.codes)) codes[c] = (codes[c] ?? 0) + n;
  const how = Object.entries(codes)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const slowest = Math.max(...rs.map((r) => r.slowestMs));
  lines.push(
    `| ${v.name} | ${sent} | ${failed} | ${((100 * failed) / Math.max(1, sent)).toFixed(1)}% | ${how || 'none'} | ${slowest.toFixed(0)} |`,
  );
}
const md = `${lines.join('\n')}\n`;
console.log(`\n${md}`);
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'listen-handoff.md'), md);
writeFileSync(
  path.join(outDir, 'listen-handoff.json'),
  `${JSON.stringify({ date: new Date().toISOString(), restarts: RESTARTS, rounds: ROUNDS, results }, null, 2)}\n`,
);
