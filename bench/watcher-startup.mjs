// Start-up cost of gohot's native watcher (walk + one fs.watch per directory + snapshot
// with content hashes), against the bare minimum measured in the same run: one fs.watch per
// directory of the same tree and nothing else. Each variant runs in a fresh child process so
// RSS and CPU are its own.
//
//   npm run build && node bench/watcher-startup.mjs [--sizes=10000,100000]
//
// Trees: 20 files per directory (100,000 files = 5,000 dirs, as docs/facts.md#watchers-compared).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const SIZES = (args.sizes ?? '10000,100000').split(',').map(Number);
const FILES_PER_DIR = 20;
const watcherUrl = new URL('../dist/watch/watcher.js', import.meta.url).href;

const CHILD = `
const [variant, root, watcherUrl] = process.argv.slice(1);
const fs = await import('node:fs');
const path = await import('node:path');
// Module loading is not part of the watcher's start-up: load first, then measure.
const { createWatcher } = variant === 'gohot' ? await import(watcherUrl) : {};
const { predicateFilter } =
  variant === 'gohot' ? await import(new URL('../classify/watch-filter.js', watcherUrl).href) : {};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let close, dirs = 0;
if (variant === 'bare') {
  const watchers = [];
  const walk = (dir) => {
    watchers.push(fs.watch(dir, () => {}));
    dirs++;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  walk(root);
  close = () => watchers.forEach((w) => w.close());
} else {
  const w = createWatcher({
    roots: [root], backend: 'native',
    filter: predicateFilter({ ignoreDir: () => false, trackFile: () => true }),
    onChanges: () => {},
  });
  await w.ready();
  dirs = w.stats().watchedDirs;
  close = () => w.close();
}
const readyMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const rssMb = process.memoryUsage().rss / 1e6;
await close();
console.log(JSON.stringify({ variant, dirs, readyMs, cpuMs: (cpu.user + cpu.system) / 1000, rssMb }));
`;

function makeTree(files) {
  const root = mkdtempSync(join(tmpdir(), `gohot-bench-startup-${files}-`));
  for (let d = 0; d * FILES_PER_DIR < files; d++) {
    const dir = join(root, `p${Math.floor(d / 50)}`, `d${d % 50}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_DIR; f++) {
      writeFileSync(join(dir, `f${f}.go`), `package d${d}\n\n// file ${f}\n`);
    }
  }
  return root;
}

function run(variant, root) {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', CHILD, variant, root, watcherUrl],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const files of SIZES) {
  const root = makeTree(files);
  try {
    const samples = { bare: [], gohot: [] };
    // Interleaved, three rounds each, after one untimed walk to warm the dentry cache.
    run('bare', root);
    for (let i = 0; i < 3; i++) for (const v of ['bare', 'gohot']) samples[v].push(run(v, root));
    for (const v of ['bare', 'gohot']) {
      const s = samples[v];
      rows.push({
        files,
        variant: v,
        dirs: s[0].dirs,
        readyMs: median(s.map((x) => x.readyMs)),
        cpuMs: median(s.map((x) => x.cpuMs)),
        rssMb: median(s.map((x) => x.rssMb)),
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
console.log(JSON.stringify({ bench: 'watcher-startup', rows }));
console.log('\nfiles    variant  dirs   ready      cpu        rss      ready ratio');
for (const r of rows) {
  const base = rows.find((b) => b.files === r.files && b.variant === 'bare');
  console.log(
    `${String(r.files).padStart(7)}  ${r.variant.padEnd(7)} ${String(r.dirs).padStart(5)}  ${r.readyMs.toFixed(0).padStart(6)} ms ${r.cpuMs.toFixed(0).padStart(6)} ms ${r.rssMb.toFixed(0).padStart(5)} MB   ${(r.readyMs / base.readyMs).toFixed(2)}x`,
  );
}
