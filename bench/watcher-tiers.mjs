// What hot and cold tiers (WatchFilter verdicts) save on a big tree whose binary is built from
// ~1% of it: 100,000 files in 5,000 directories (20 files each), the 1,000 files of 50
// directories hot, the rest cold.
//
//   npm run build && node bench/watcher-tiers.mjs [--files=100000] [--idle-seconds=10]
//
// 1. Start-up, native backend, deferred hashing (hashOnReady: false): ready() and then
//    refilter() (which records the hot files' hashes), against the bare minimum measured in
//    the same run (one fs.watch per directory, a readdir walk). For scale also everything hot
//    and hashed at start (the watcher without tiers), and the tiered start-up with the
//    session's real filter (patterns matched per file) instead of a one-line predicate.
// 2. Idle polling, poll backend, 500 ms interval: CPU per second over `idle-seconds`, for the
//    tiered watcher and for everything hot, against the bare minimum measured in the same run
//    (a stat of each hot file every interval); then the delay until an edit of a hot file is
//    reported, for a few edits at random moments.
//
// Each variant runs in a fresh child process, so CPU and RSS are its own. Results:
// docs/facts.md#hot-and-cold-files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const FILES = Number(args.files ?? 100_000);
const IDLE_SECONDS = Number(args['idle-seconds'] ?? 10);
const EDITS = Number(args.edits ?? 5);
const ROUNDS = Number(args.rounds ?? 3);
const FILES_PER_DIR = 20;
const DIRS_PER_PARENT = 50;
const POLL_INTERVAL_MS = 500;
// The snapshot's racy-clean granularity: a file stamped closer than this to the walk is hashed
// at once even with deferred hashing, so the tree must be older than this.
const RACY_GRANULARITY_MS = 2000;
const distUrl = new URL('../dist/', import.meta.url).href;

// The child: one variant, prints one JSON line. Hot files are those under <root>/p0/.
const CHILD = `
const [variant, root, distUrl, idleSeconds, edits] = process.argv.slice(1);
const fs = await import('node:fs');
const path = await import('node:path');
const { setTimeout: sleep } = await import('node:timers/promises');
const { createWatcher } = await import(distUrl + 'watch/watcher.js');
const { predicateFilter, createWatchFilter } = await import(distUrl + 'classify/watch-filter.js');
const { createRootsMatcher } = await import(distUrl + 'config/roots-matcher.js');
const hotPrefix = root + path.sep + 'p0' + path.sep;
const tiers = variant !== 'all-hot' && variant !== 'poll-all-hot';
const base =
  variant === 'real-filter'
    ? (() => {
        const matcher = createRootsMatcher([root], ['**/*.go', '**/go.mod', '**/go.sum']);
        return createWatchFilter({
          roots: [root], skipDirs: [path.join(root, '.gohot')], alwaysTrack: new Set(),
          match: (p) => matcher.match(p), dirExclusion: (d) => matcher.dirExclusion(d),
        });
      })()
    : predicateFilter({ ignoreDir: () => false, trackFile: () => true });
// The tier as the session would add it: one prefix test. (An object spread here, { ...v, tier },
// cost ~300 ms more on 100,000 files than the whole rest of the tiered start-up.)
const tierOf = (f) => (f.startsWith(hotPrefix) ? 'hot' : 'cold');
const GLOB = { by: 'glob', pattern: '**' };
const fileVerdict =
  variant === 'real-filter'
    ? (f) => {
        const v = base.file(f);
        return v.tracked ? { tracked: true, reason: v.reason, tier: tierOf(f) } : v;
      }
    : tiers
      ? (f) => ({ tracked: true, reason: GLOB, tier: tierOf(f) })
      : (f) => ({ tracked: true, reason: GLOB });
let filterMs = 0;
const timed = process.env.GOHOT_BENCH_TIME_FILTER === '1';
const filter = {
  dir: (d) => base.dir(d),
  file: timed
    ? (f) => {
        const t0 = performance.now();
        const v = fileVerdict(f);
        filterMs += performance.now() - t0;
        return v;
      }
    : fileVerdict,
};
const cpuMs = (since) => { const d = process.cpuUsage(since); return (d.user + d.system) / 1000; };

if (variant === 'poll-bare') {
  // The least any poller that sees an edit of a hot file within one interval must do.
  const hot = [];
  for (let d = 0; d < ${DIRS_PER_PARENT}; d++) {
    for (let f = 0; f < ${FILES_PER_DIR}; f++) hot.push(path.join(root, 'p0', 'd' + d, 'f' + f + '.go'));
  }
  const timer = setInterval(() => {
    for (const file of hot) fs.statSync(file, { throwIfNoEntry: false });
  }, ${POLL_INTERVAL_MS});
  await sleep(3000);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(Number(idleSeconds) * 1000);
  const idle = { cpuMsPerSec: cpuMs(cpu0) / ((performance.now() - t0) / 1000) };
  clearInterval(timer);
  console.log(JSON.stringify({ variant, stats: { hotFiles: hot.length, coldFiles: 0 }, idle, latencies: [], spurious: 0 }));
} else if (variant === 'bare') {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const watchers = [];
  let dirs = 0;
  const walk = (dir) => {
    watchers.push(fs.watch(dir, () => {}));
    dirs++;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  walk(root);
  const readyMs = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  const rssMb = process.memoryUsage().rss / 1e6;
  watchers.forEach((w) => w.close());
  console.log(JSON.stringify({ variant, dirs, readyMs, cpuMs: cpu, rssMb }));
} else if (variant.startsWith('poll')) {
  let reported = [];
  const w = createWatcher({
    roots: [root], backend: 'poll', pollIntervalMs: ${POLL_INTERVAL_MS}, filter,
    hashOnReady: !tiers,
    onChanges: (c) => reported.push(...c.map((x) => ({ path: x.path, at: performance.now() }))),
  });
  await w.ready();
  await w.refilter();
  const stats = w.stats();
  // Let the first sweeps (and the JIT, and the start-up's garbage) settle, then measure a
  // quiet tree over whole full-sweep periods.
  await sleep(3000);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(Number(idleSeconds) * 1000);
  const idle = { cpuMsPerSec: cpuMs(cpu0) / ((performance.now() - t0) / 1000), intervals: w.stats().pollIntervals };
  const latencies = [];
  for (let i = 0; i < Number(edits); i++) {
    await sleep(Math.random() * ${POLL_INTERVAL_MS} + 100);
    const file = path.join(root, 'p0', 'd' + i, 'f' + i + '.go');
    reported = [];
    const at = performance.now();
    fs.writeFileSync(file, 'package d' + i + ' // edit ' + at + '\\n');
    while (!reported.some((r) => r.path === file)) await sleep(2);
    latencies.push(reported.find((r) => r.path === file).at - at);
  }
  await w.close();
  console.log(JSON.stringify({ variant, stats, idle, latencies, spurious: reported.filter((r) => !r.path.startsWith(hotPrefix)).length }));
} else {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const w = createWatcher({
    roots: [root], backend: 'native', filter, hashOnReady: !tiers, onChanges: () => {},
  });
  await w.ready();
  const readyMs = performance.now() - t0;
  const readyCpuMs = cpuMs(cpu0);
  const readyFilterMs = filterMs;
  const before = w.stats();
  const t1 = performance.now();
  await w.refilter();
  const refilterMs = performance.now() - t1;
  const after = w.stats();
  const rssMb = process.memoryUsage().rss / 1e6;
  await w.close();
  console.log(JSON.stringify({
    variant, dirs: before.watchedDirs, readyMs, cpuMs: readyCpuMs, rssMb, refilterMs,
    filterMs: timed ? readyFilterMs : undefined,
    hot: before.hotFiles, cold: before.coldFiles, unhashedAtReady: before.unhashedFiles,
    unhashedAfterRefilter: after.unhashedFiles,
  }));
}
`;

function makeTree(files) {
  const root = mkdtempSync(join(tmpdir(), `gohot-bench-tiers-${files}-`));
  for (let d = 0; d * FILES_PER_DIR < files; d++) {
    const dir = join(root, `p${Math.floor(d / DIRS_PER_PARENT)}`, `d${d % DIRS_PER_PARENT}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_DIR; f++) {
      writeFileSync(join(dir, `f${f}.go`), `package d${d}\n\n// file ${f}\n`);
    }
  }
  return root;
}

function run(variant, root, env = {}) {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      CHILD,
      variant,
      root,
      distUrl,
      String(IDLE_SECONDS),
      String(EDITS),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, ...env } },
  );
  return JSON.parse(out.trim());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const root = makeTree(FILES);
try {
  await sleep(RACY_GRANULARITY_MS + 100);
  // One untimed walk warms the dentry cache for every variant alike.
  run('bare', root);
  const variants = ['bare', 'tiered', 'real-filter', 'all-hot'];
  const samples = Object.fromEntries(variants.map((v) => [v, []]));
  for (let i = 0; i < ROUNDS; i++) for (const v of variants) samples[v].push(run(v, root));
  const filterShare = run('real-filter', root, { GOHOT_BENCH_TIME_FILTER: '1' });
  const startup = variants.map((v) => {
    const s = samples[v];
    const pick = (k) => (s[0][k] === undefined ? undefined : round(median(s.map((x) => x[k]))));
    return {
      variant: v,
      dirs: s[0].dirs,
      readyMs: pick('readyMs'),
      cpuMs: pick('cpuMs'),
      rssMb: pick('rssMb'),
      refilterMs: pick('refilterMs'),
      hot: s[0].hot,
      cold: s[0].cold,
      unhashedAtReady: s[0].unhashedAtReady,
      unhashedAfterRefilter: s[0].unhashedAfterRefilter,
    };
  });
  const bare = startup[0];
  for (const r of startup) r.readyRatio = round(r.readyMs / bare.readyMs, 2);

  const idle = ['poll-bare', 'poll-tiered', 'poll-all-hot'].map((v) => run(v, root));
  const idleBase = idle[0].idle.cpuMsPerSec;
  const report = {
    bench: 'watcher-tiers',
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    files: FILES,
    startup,
    realFilterMsInWalk: round(filterShare.filterMs),
    realFilterReadyMs: round(filterShare.readyMs),
    idle: idle.map((r) => ({
      variant: r.variant,
      hot: r.stats.hotFiles,
      cold: r.stats.coldFiles,
      intervals: r.idle.intervals,
      cpuPercentOfCore: round(r.idle.cpuMsPerSec / 10, 2),
      cpuRatio: round(r.idle.cpuMsPerSec / idleBase, 2),
      latenciesMs: r.latencies.map((x) => round(x)),
      spurious: r.spurious,
    })),
  };
  console.log(JSON.stringify(report));
  console.log(`\nstart-up, native, ${FILES} files (median of ${ROUNDS})`);
  console.log('variant      dirs   hot     cold    ready      cpu       rss    ratio  refilter');
  for (const r of startup) {
    console.log(
      [
        r.variant.padEnd(11),
        String(r.dirs).padStart(5),
        String(r.hot ?? '-').padStart(6),
        String(r.cold ?? '-').padStart(7),
        `${r.readyMs.toFixed(0)} ms`.padStart(9),
        `${r.cpuMs.toFixed(0)} ms`.padStart(9),
        `${r.rssMb.toFixed(0)} MB`.padStart(7),
        `${r.readyRatio.toFixed(2)}x`.padStart(7),
        r.refilterMs === undefined ? '' : `${r.refilterMs.toFixed(0)} ms`.padStart(8),
      ].join(' '),
    );
  }
  console.log(
    `real filter: ${report.realFilterMsInWalk} ms of a ${report.realFilterReadyMs} ms start-up spent in WatchFilter.file`,
  );
  console.log(`\nidle polling, every ${POLL_INTERVAL_MS} ms, over ${IDLE_SECONDS} s`);
  for (const r of report.idle) {
    console.log(
      `${r.variant.padEnd(13)} ${String(r.cpuPercentOfCore).padStart(6)} % of a core (${r.cpuRatio}x)  intervals ${JSON.stringify(r.intervals ?? null)}  edit seen after [${r.latenciesMs.join(', ')}] ms`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
