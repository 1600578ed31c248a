// Save-to-new-response latency on the example app: gohot against a bare
// `go build && ./app` of the same edit, measured in the same run on the same machine.
//
//   node bench/reload-latency.mjs [rounds]
//
// Prints a table and one JSON line. Numbers are meant as ratios: the machines are shared.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 10);
const go = process.env.GOHOT_GO ?? 'go';

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitForBody(url, needle, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const body = await (await fetch(url)).text();
      if (body.includes(needle)) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${needle} at ${url}`);
}

const greeting = (text) =>
  `package main\n\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`;

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), min: s[0], max: s.at(-1) };
}

function copyExample() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gohot-bench-'));
  cpSync(path.join(repo, 'examples/hello-http'), dir, { recursive: true });
  return dir;
}

async function bare(ldflags) {
  const dir = copyExample();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const bin = path.join(os.tmpdir(), `gohot-bench-bare-${process.pid}`);
  const env = { ...process.env, ADDR: `127.0.0.1:${port}` };
  const args = ['build', '-buildvcs=false', '-o', bin];
  if (ldflags) args.push(`-ldflags=${ldflags}`);
  args.push('.');
  spawnSync(go, args, { cwd: dir, stdio: 'ignore' });
  let app = spawn(bin, [], { cwd: dir, env, stdio: 'ignore' });
  await waitForBody(url, 'Hello');
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const text = `bare ${ldflags ?? ''} ${i} ${Date.now()}`;
    const t0 = performance.now();
    writeFileSync(path.join(dir, 'greeting.go'), greeting(text));
    const r = spawnSync(go, args, { cwd: dir, stdio: 'ignore' });
    if (r.status !== 0) throw new Error('go build failed');
    const exited = new Promise((res) => app.once('exit', res));
    app.kill('SIGTERM');
    await exited;
    app = spawn(bin, [], { cwd: dir, env, stdio: 'ignore' });
    await waitForBody(url, text);
    samples.push(performance.now() - t0);
  }
  app.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(bin, { force: true });
  return samples;
}

async function gohot() {
  const dir = copyExample();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const proc = spawn(process.execPath, [path.join(repo, 'dist/cli/main.js')], {
    cwd: dir,
    env: { ...process.env, ADDR: `127.0.0.1:${port}`, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  await waitForBody(url, 'Hello', 60_000);
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const text = `gohot ${i} ${Date.now()}`;
    const t0 = performance.now();
    writeFileSync(path.join(dir, 'greeting.go'), greeting(text));
    await waitForBody(url, text);
    samples.push(performance.now() - t0);
  }
  const exited = new Promise((res) => proc.once('exit', res));
  proc.kill('SIGINT');
  await exited;
  rmSync(dir, { recursive: true, force: true });
  return samples;
}

// Interleave the variants so machine load drifts hit all of them alike.
const results = { bare: [], bareStripped: [], gohot: [] };
for (let pass = 0; pass < 2; pass++) {
  results.bare.push(...(await bare()));
  results.bareStripped.push(...(await bare('-s -w')));
  results.gohot.push(...(await gohot()));
}
const base = stats(results.bare).median;
const rows = Object.entries(results).map(([name, samples]) => {
  const s = stats(samples);
  return { name, n: samples.length, ...s, ratio: s.median / base };
});
console.log('save -> new response on examples/hello-http (ms; ratio = median / bare median)');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(14)} n=${r.n}  median ${r.median.toFixed(0).padStart(5)}  p90 ${r.p90.toFixed(0).padStart(5)}  min ${r.min.toFixed(0).padStart(5)}  ratio ${r.ratio.toFixed(2)}`,
  );
}
console.log(
  JSON.stringify({
    bench: 'reload-latency',
    go: spawnSync(go, ['env', 'GOVERSION']).stdout.toString().trim(),
    rows,
  }),
);
