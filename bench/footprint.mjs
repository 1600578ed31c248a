// gohot's memory on a big tree: bench/compare.mjs's "large" project (the small app plus
// N files in N/20 directories outside the binary's closure), generated once in a temp dir.
// Each run launches `node dist/cli/main.js` there, waits until the app serves, waits one
// more second (as bench/compare.mjs's start-up does) and reads the gohot process's peak and
// current RSS from /proc.
//
//   npm run build && node bench/footprint.mjs [--files 100000] [--runs 3]
// Each round also runs bench/compare/bare-walk.mjs (walk + one fs.watch per directory, nothing
// else): "watcher ready" is reported as a ratio to it too.
//   --baseline <checkout>   also run <checkout>/dist/cli/main.js, interleaved, baseline first
//                           in each round, and print ratios against it
//   --heap-snapshot <dir>   after each run's measurement, write a V8 heap snapshot of gohot
//                           there (SIGUSR2; open it in Chrome DevTools' Memory tab)
//
// Reported per variant (medians): VmHWM (peak RSS), VmRSS, RssAnon (the heap and other
// private memory; VmRSS minus it is mapped files: node's binary and libraries), ms from
// launch to the watcher's "tracking N files" line, and to the first response.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bareWatchWalk } from './compare/bare-walk.mjs';
import { generate } from './compare/projects.mjs';
import { freePort, option, repo } from './lib/common.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => option(argv, name, dflt);
const FILES = Number(opt('--files', '100000'));
const RUNS = Number(opt('--runs', '3'));
const baseline = opt('--baseline');
const snapshotDir = opt('--heap-snapshot') && path.resolve(opt('--heap-snapshot'));
if (snapshotDir) mkdirSync(snapshotDir, { recursive: true });
const GO = '/usr/local/go/bin/go';
const goBin = existsSync(GO) ? GO : 'go';
const SERVED_WITHIN_MS = 300_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function served(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await r.text();
    return r.ok;
  } catch {
    return false;
  }
}

function procStatus(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? Number.NaN) / 1024;
  return { hwmMB: mb('VmHWM'), rssMB: mb('VmRSS'), anonMB: mb('RssAnon') };
}

/** One launch of `cli` in `dir`: its memory once the app serves, and when it got there. */
async function measure(cli, dir, label, round) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const args = snapshotDir
    ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`]
    : [];
  const t0 = performance.now();
  const proc = spawn(process.execPath, [...args, cli, '--no-color'], {
    cwd: dir,
    env: { ...process.env, ADDR: `127.0.0.1:${port}`, NO_COLOR: '1' },
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const exited = new Promise((r) => proc.once('exit', r));
  let readyMs;
  let buf = '';
  let stderr = '';
  proc.stderr.on('data', (d) => {
    const t = performance.now();
    buf += d.toString();
    stderr += d.toString();
    if (readyMs === undefined && / tracking \d+ files/.test(buf)) readyMs = t - t0;
    buf = buf.slice(buf.lastIndexOf('\n') + 1);
  });
  try {
    const deadline = t0 + SERVED_WITHIN_MS;
    let servesMs;
    while (servesMs === undefined) {
      if (proc.exitCode !== null) throw new Error(`${label} exited:\n${stderr}`);
      if (performance.now() > deadline) throw new Error(`${label} did not serve:\n${stderr}`);
      if (await served(url)) servesMs = performance.now() - t0;
      else await sleep(5);
    }
    await sleep(1000);
    const status = procStatus(proc.pid);
    if (snapshotDir) await heapSnapshot(proc, `${label.replace(/\W+/g, '-')}-${round}`);
    return { readyMs, servesMs, ...status };
  } finally {
    try {
      process.kill(-proc.pid, 'SIGINT');
    } catch {}
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done)
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {}
    await exited;
  }
}

/** Asks gohot for a heap snapshot (node writes it into --diagnostic-dir) and names it. */
async function heapSnapshot(proc, name) {
  const before = new Set(readdirSync(snapshotDir));
  process.kill(proc.pid, 'SIGUSR2');
  // The file is complete once its size stops changing (V8 writes it in one go).
  let file;
  let size = -1;
  for (let i = 0; i < 600; i++) {
    await sleep(200);
    file ??= readdirSync(snapshotDir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (file === undefined) continue;
    const s = statSync(path.join(snapshotDir, file)).size;
    if (s > 0 && s === size) break;
    size = s;
  }
  if (file === undefined) return console.log('no heap snapshot appeared');
  const dest = path.join(snapshotDir, `${name}.heapsnapshot`);
  renameSync(path.join(snapshotDir, file), dest);
  console.log(`heap snapshot: ${dest}`);
}

const variants = [];
if (baseline)
  variants.push({ label: 'baseline', cli: path.join(path.resolve(baseline), 'dist/cli/main.js') });
variants.push({ label: 'this checkout', cli: path.join(repo, 'dist/cli/main.js') });
for (const v of variants)
  if (!existsSync(v.cli)) throw new Error(`${v.cli} is missing: run npm run build there`);

const root = mkdtempSync(path.join(os.tmpdir(), 'gohot-bench-footprint-'));
const dir = path.join(root, 'large');
try {
  console.log(`generating ${FILES} files in ${dir}`);
  generate(dir, 'large', { largeFiles: FILES, go: goBin });
  // One untimed launch: the go build cache and the dentry cache are warm for every variant.
  await measure(variants[0].cli, dir, variants[0].label, 'warm-up');
  const samples = new Map(variants.map((v) => [v.label, []]));
  const bare = [];
  for (let round = 0; round < RUNS; round++) {
    // The floor of "watcher ready": a bare process that walks the tree and fs.watches each dir.
    const b = await bareWatchWalk(dir);
    bare.push(b);
    console.log(
      `round ${round + 1} bare walk: VmHWM ${b.hwmMB.toFixed(1)} MB, ready ${b.readyMs.toFixed(0)} ms (${b.dirs} dirs)`,
    );
    for (const v of variants) {
      const s = await measure(v.cli, dir, v.label, round);
      samples.get(v.label).push(s);
      console.log(
        `round ${round + 1} ${v.label}: VmHWM ${s.hwmMB.toFixed(1)} MB, VmRSS ${s.rssMB.toFixed(1)} MB, RssAnon ${s.anonMB.toFixed(1)} MB, watcher ready ${s.readyMs?.toFixed(0)} ms, serves ${s.servesMs.toFixed(0)} ms`,
      );
    }
  }
  const rows = variants.map((v) => {
    const s = samples.get(v.label);
    const m = (k) => median(s.map((x) => x[k]));
    return {
      variant: v.label,
      files: FILES,
      runs: RUNS,
      hwmMB: m('hwmMB'),
      rssMB: m('rssMB'),
      anonMB: m('anonMB'),
      readyMs: m('readyMs'),
      servesMs: m('servesMs'),
    };
  });
  const bareReadyMs = median(bare.map((b) => b.readyMs));
  const bareHwmMB = median(bare.map((b) => b.hwmMB));
  console.log(
    JSON.stringify({ bench: 'footprint', rows, bare: { readyMs: bareReadyMs, hwmMB: bareHwmMB } }),
  );
  console.log(`\n${FILES} files, median of ${RUNS} runs`);
  console.log('variant         VmHWM      VmRSS      RssAnon    watcher ready  serves');
  console.log(
    `${'bare walk'.padEnd(15)} ${bareHwmMB.toFixed(1).padStart(6)} MB${' '.repeat(30)}${bareReadyMs.toFixed(0).padStart(6)} ms`,
  );
  for (const r of rows) {
    console.log(
      `${r.variant}: watcher ready ${(r.readyMs / bareReadyMs).toFixed(2)}x the bare walk`,
    );
  }
  const base = rows[0];
  for (const r of rows) {
    const ratio = (k) => (r === base ? '' : ` (${(r[k] / base[k]).toFixed(2)}x)`);
    console.log(
      `${r.variant.padEnd(15)} ${r.hwmMB.toFixed(1).padStart(6)} MB${ratio('hwmMB')}  ${r.rssMB.toFixed(1).padStart(6)} MB  ${r.anonMB.toFixed(1).padStart(6)} MB  ${r.readyMs.toFixed(0).padStart(6)} ms${ratio('readyMs')}  ${r.servesMs.toFixed(0).padStart(6)} ms${ratio('servesMs')}`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
