// CPU cost of the poll backend: one sweep over 10,000 and 100,000 unchanged files, against a
// bare readdirSync(withFileTypes) + statSync walk of the same tree in the same run, and the
// idle CPU of a poller at its default interval over 10,000 files.
//
//   npm run build && node bench/poll-sweep.mjs [--sizes=10000,100000] [--idle-seconds=5]
//
// Prints one JSON line, then a table for humans. Trees are generated in os.tmpdir() (20 files
// per directory, 50 directories per parent) and removed afterwards.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const SIZES = (args.sizes ?? '10000,100000').split(',').map(Number);
const IDLE_FILES = Number(args['idle-files'] ?? 10_000);
const IDLE_SECONDS = Number(args['idle-seconds'] ?? 5);
const SWEEP_REPEATS = Number(args.repeats ?? 5);
const FILES_PER_DIR = 20;
const DIRS_PER_PARENT = 50;
// The watcher's default poll interval (WatcherOptions.pollIntervalMs).
const DEFAULT_POLL_INTERVAL_MS = 500;
// The snapshot's default racy-clean granularity: files stamped closer than this to their
// recording are re-hashed, so the trees must be older than this before sweeps are measured.
const RACY_GRANULARITY_MS = 2000;

let watch;
try {
  const [snapshot, scanner, poller, watchFilter] = await Promise.all([
    import('../dist/watch/snapshot.js'),
    import('../dist/watch/tree-scanner.js'),
    import('../dist/watch/poller.js'),
    import('../dist/classify/watch-filter.js'),
  ]);
  watch = {
    Snapshot: snapshot.Snapshot,
    TreeScanner: scanner.TreeScanner,
    Poller: poller.Poller,
    predicateFilter: watchFilter.predicateFilter,
  };
} catch (err) {
  console.error(
    `Cannot import the compiled poller from dist/ (${err.message}). Run \`npm run build\` first.`,
  );
  process.exit(1);
}

const filter = watch.predicateFilter({ ignoreDir: () => false, trackFile: () => true });

function cpuMs(since) {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** Runs fn and returns its CPU time and wall time in ms. */
async function measure(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  return { cpuMs: cpuMs(cpu0), wallMs: performance.now() - t0 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function makeTree(files) {
  const root = mkdtempSync(join(tmpdir(), `gohot-bench-poll-${files}-`));
  const dirs = Math.ceil(files / FILES_PER_DIR);
  let written = 0;
  for (let d = 0; d < dirs; d++) {
    const dir = join(root, `p${Math.floor(d / DIRS_PER_PARENT)}`, `d${d % DIRS_PER_PARENT}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_DIR && written < files; f++, written++) {
      writeFileSync(join(dir, `f${f}.go`), `package d${d}\n\n// file ${f}\n`);
    }
  }
  return { root, dirs };
}

/** The baseline: what any stat-based poller must at least do. */
function bareWalk(dir) {
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) files += bareWalk(abs);
    else if (entry.isFile()) {
      statSync(abs);
      files++;
    }
  }
  return files;
}

/**
 * A second reference, not the baseline: the same walk with fs/promises and Promise.all, the
 * way an async scanner must do it. Shows how much of the sweep's cost is the async I/O itself.
 */
async function asyncWalk(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const counts = await Promise.all(
    entries.map(async (entry) => {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) return asyncWalk(abs);
      if (!entry.isFile()) return 0;
      await stat(abs);
      return 1;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** A snapshot + scanner + poller over `root`, with the initial walk done. */
async function createPoller(root, intervalMs) {
  const snapshot = new watch.Snapshot();
  const scanner = new watch.TreeScanner(snapshot, filter, () => {});
  let sweeps = 0;
  const sweep = scanner.sweep.bind(scanner);
  scanner.sweep = (dir, ...rest) => {
    if (dir === root) sweeps++;
    return sweep(dir, ...rest);
  };
  let reported = 0;
  const poller = new watch.Poller({
    scanner,
    intervalMs,
    onVerdicts: (verdicts) => {
      reported += verdicts.length;
    },
  });
  const initial = await measure(() => scanner.scan(root, true, {}, []));
  poller.add(root);
  return {
    poller,
    snapshot,
    initial,
    sweeps: () => sweeps,
    reported: () => reported,
  };
}

/** CPU and wall time of one poll sweep over an unchanged tree (median of `repeats`). */
async function measurePollSweep(root, repeats) {
  const p = await createPoller(root, DEFAULT_POLL_INTERVAL_MS);
  // First sweep: re-hashes whatever is still racily clean; not measured.
  await p.poller.sweep();
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(await measure(() => p.poller.sweep()));
  const tracked = p.snapshot.fileCount;
  const reported = p.reported();
  await p.poller.close();
  return {
    initialCpuMs: p.initial.cpuMs,
    cpuMs: median(runs.map((r) => r.cpuMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    tracked,
    reported,
  };
}

async function measureBaseline(root, repeats, walk) {
  const runs = [];
  let files = 0;
  for (let i = 0; i < repeats; i++)
    runs.push(await measure(async () => (files = await walk(root))));
  return {
    cpuMs: median(runs.map((r) => r.cpuMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    files,
  };
}

/** CPU per second of a started poller at the default interval, over `seconds`. */
async function measureIdle(root, seconds) {
  const p = await createPoller(root, DEFAULT_POLL_INTERVAL_MS);
  await p.poller.sweep();
  const before = p.sweeps();
  p.poller.start();
  const cpu0 = process.cpuUsage();
  // The poller's timer is unref'd: this sleep keeps the process alive while it runs.
  await sleep(seconds * 1000);
  const used = cpuMs(cpu0);
  const sweeps = p.sweeps() - before;
  await p.poller.close();
  return { cpuMsPerSec: used / seconds, sweeps, seconds };
}

const results = [];
const trees = [];
try {
  for (const files of SIZES) {
    const tree = makeTree(files);
    trees.push(tree.root);
    await sleep(RACY_GRANULARITY_MS + 100);
    // Baseline first and sweep second would favour the sweep with a warm dentry cache; warm
    // both with one untimed walk instead.
    bareWalk(tree.root);
    const sweep = await measurePollSweep(tree.root, SWEEP_REPEATS);
    const baseline = await measureBaseline(tree.root, SWEEP_REPEATS, bareWalk);
    const asyncRef = await measureBaseline(tree.root, SWEEP_REPEATS, asyncWalk);
    if (
      sweep.tracked !== files ||
      baseline.files !== files ||
      asyncRef.files !== files ||
      sweep.reported !== 0
    ) {
      throw new Error(`tree mismatch: ${JSON.stringify({ files, sweep, baseline, asyncRef })}`);
    }
    results.push({
      files,
      dirs: tree.dirs,
      initialWalkCpuMs: round(sweep.initialCpuMs),
      sweepCpuMs: round(sweep.cpuMs),
      sweepWallMs: round(sweep.wallMs),
      baselineCpuMs: round(baseline.cpuMs),
      baselineWallMs: round(baseline.wallMs),
      ratio: round(sweep.cpuMs / baseline.cpuMs, 2),
      asyncWalkCpuMs: round(asyncRef.cpuMs),
      asyncWalkWallMs: round(asyncRef.wallMs),
    });
  }
  const idleTree = makeTree(IDLE_FILES);
  trees.push(idleTree.root);
  await sleep(RACY_GRANULARITY_MS + 100);
  const idle = await measureIdle(idleTree.root, IDLE_SECONDS);

  const report = {
    bench: 'poll-sweep',
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    sweeps: results,
    idle: {
      files: IDLE_FILES,
      intervalMs: DEFAULT_POLL_INTERVAL_MS,
      seconds: IDLE_SECONDS,
      sweeps: idle.sweeps,
      cpuMsPerSec: round(idle.cpuMsPerSec),
    },
  };
  console.log(JSON.stringify(report));
  console.log();
  console.log(
    'files    dirs   initial walk  sweep cpu  sweep wall  baseline cpu  baseline wall  sweep/baseline  async walk cpu',
  );
  for (const r of results) {
    console.log(
      [
        pad(r.files, 7),
        pad(r.dirs, 6),
        pad(`${r.initialWalkCpuMs} ms`, 13),
        pad(`${r.sweepCpuMs} ms`, 10),
        pad(`${r.sweepWallMs} ms`, 11),
        pad(`${r.baselineCpuMs} ms`, 13),
        pad(`${r.baselineWallMs} ms`, 14),
        pad(`${r.ratio}x`, 15),
        pad(`${r.asyncWalkCpuMs} ms`, 15),
      ].join(' '),
    );
  }
  console.log();
  console.log(
    `idle poller, ${IDLE_FILES} files, every ${DEFAULT_POLL_INTERVAL_MS} ms: ` +
      `${report.idle.cpuMsPerSec} ms CPU per second (${idle.sweeps} sweeps in ${IDLE_SECONDS} s)`,
  );
} finally {
  for (const root of trees) rmSync(root, { recursive: true, force: true });
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pad(value, width) {
  return String(value).padStart(width);
}
