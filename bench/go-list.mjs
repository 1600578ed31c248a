// Cost of building the project model: gohot's field-selecting `go list -e -deps -json=...`
// (listPackages) on a copy of test/fixtures/go-aware (200 packages with the standard
// library), against the baseline of the same listing with full `-json`, which also
// computes staleness; and the pure model build on the listed packages.
//
//   npm run build && node bench/go-list.mjs [--repeats=15]
//
// Prints one JSON line, then a table for humans; the ratio is of the fastest runs, the
// least disturbed by other load (warm go caches, after one warm-up run each).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let list;
let model;
try {
  list = await import('../dist/go/list.js');
  model = await import('../dist/go/model.js');
} catch (err) {
  console.error(
    `Cannot import the compiled go list from dist/ (${err.message}). Run \`npm run build\` first.`,
  );
  process.exit(1);
}

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const REPEATS = Number(args.repeats ?? 15);
const GO = process.env.GOHOT_GO || 'go';
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'gohot-bench-go-list-'));
cpSync(path.join(here, '..', 'test', 'fixtures', 'go-aware'), dir, { recursive: true });
const cwd = path.join(dir, 'app');
const env = { ...process.env, GOTOOLCHAIN: 'local' };
const goEnv = JSON.parse(
  spawnSync(GO, ['env', '-json', 'GOROOT', 'GOMODCACHE'], { cwd, env, encoding: 'utf8' }).stdout,
);
const spec = { goBin: GO, cwd, pkg: '.', flags: [], tags: [], env };

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    minMs: Number(sorted[0].toFixed(1)),
    medianMs: Number(sorted[Math.floor(sorted.length / 2)].toFixed(1)),
  };
}

async function timeRuns(run) {
  await run();
  const times = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return stats(times);
}

try {
  const full = await timeRuns(() => {
    const r = spawnSync(GO, ['list', '-e', '-deps', '-json', '-buildvcs=false', '.'], {
      cwd,
      env,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(r.stderr);
  });
  let listed;
  const selected = await timeRuns(async () => {
    listed = await list.listPackages(spec);
  });
  const ctx = { goroot: goEnv.GOROOT, gomodcache: goEnv.GOMODCACHE, moduleRoots: [cwd] };
  const build = await timeRuns(() => model.buildProjectModel(listed.packages, ctx));
  const result = {
    bench: 'go-list',
    packages: listed.packages.length,
    repeats: REPEATS,
    fullJson: full,
    selectedJson: selected,
    buildModel: build,
    ratioSelectedToFull: Number((selected.minMs / full.minMs).toFixed(2)),
  };
  console.log(JSON.stringify(result));
  console.log(`\n${listed.packages.length} packages, fastest / median of ${REPEATS}:`);
  console.log(`  go list -deps -json (full, baseline)  ${full.minMs} / ${full.medianMs} ms`);
  console.log(
    `  listPackages (-json=fields)           ${selected.minMs} / ${selected.medianMs} ms`,
  );
  console.log(`  buildProjectModel                     ${build.minMs} / ${build.medianMs} ms`);
  console.log(`  selected / full                       ${result.ratioSelectedToFull}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
