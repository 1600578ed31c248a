// Save -> test result on the medium benchmark project (bench/compare/projects.mjs: gin, a
// chain of 200 packages p000 -> ... -> p199 -> leaf, main importing p000), with a test file
// in main, leaf and every 10th chain package. Three ways to get a result after an edit
// that changes code, interleaved round by round:
//   gohot test      `gohot test` watching the project: save -> its summary line
//   go test ./...   run by hand after the save (the test cache as it is)
//   changed only    `go test ./<changed package>` (gotestsum --watch style: misses the
//                   packages that import it)
// Two edits: p000 (only main imports it: a leaf of the reverse graph) and internal/leaf
// (every chain package imports it, so every package with tests is affected).
// gohot runs on one copy of the project, the go commands on a second copy, so that neither
// sees the other's edits.
//
//   npm run build && node bench/test-select.mjs [--rounds=5]
//
// Prints a table and one JSON line; ratio = median / median of `go test ./...`. The
// machines are shared: read the ratios, not the milliseconds.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, leafSource, MODULE } from './compare/projects.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', 'dist', 'cli', 'main.js');
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run \`npm run build\` first.`);
  process.exit(1);
}
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const ROUNDS = Number(args.rounds ?? 5);
const go = process.env.GOHOT_GO ?? 'go';
const env = { ...process.env, GOTOOLCHAIN: 'local', NO_COLOR: '1' };

const testSource = (pkg, fn) =>
  `package ${pkg}\n\nimport "testing"\n\nfunc Test${fn}(t *testing.T) {\n\tif ${fn}() == ${fn === 'Value' ? '""' : '"x"'} {\n\t\tt.Fatal("unexpected")\n\t}\n}\n`;
const chainSource = (next, value) =>
  `package chain\n\nimport chain${next} "${MODULE}/internal/chain/${next}"\n\n// Touch links the chain.\nfunc Touch() string { return chain${next}.Touch() + ${JSON.stringify(value)} }\n`;

const root = mkdtempSync(path.join(tmpdir(), 'gohot-bench-test-'));
const watched = path.join(root, 'watched');
const manual = path.join(root, 'manual');
console.log(`generating the medium project in ${root} ...`);
generate(watched, 'medium', { go });
writeFileSync(path.join(watched, 'internal/leaf/leaf_test.go'), testSource('leaf', 'Value'));
for (let p = 0; p < 200; p += 10) {
  const name = `p${String(p).padStart(3, '0')}`;
  writeFileSync(
    path.join(watched, 'internal/chain', name, 'a_test.go'),
    testSource('chain', 'Touch'),
  );
}
cpSync(watched, manual, { recursive: true });

function timed(cmd, argv, cwd) {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}${r.stdout.slice(-2000)}`);
  return ms;
}

// Warm the build and test caches of both copies (the first run of each builds everything).
console.log('warming up: go test ./... in both copies ...');
timed(go, ['test', './...'], manual);
timed(go, ['test', './...'], watched);

const gohot = spawn(process.execPath, [CLI, 'test'], {
  cwd: watched,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
gohot.stdout.on('data', (d) => (out += d));
gohot.stderr.on('data', (d) => (out += d));
const SUMMARY = /-> (\d+) packages? tested.* -> (ok|FAIL) /g;
const summaries = () => [...out.matchAll(SUMMARY)].length;
async function waitSummaries(n, timeoutMs = 600_000) {
  const deadline = performance.now() + timeoutMs;
  while (summaries() < n) {
    if (gohot.exitCode !== null) throw new Error(`gohot exited:\n${out}`);
    if (performance.now() > deadline) throw new Error(`no summary after ${timeoutMs} ms:\n${out}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return [...out.matchAll(SUMMARY)].at(-1);
}
await waitSummaries(1);

const EDITS = {
  p000: {
    file: 'internal/chain/p000/a.go',
    write: (dir, i) =>
      writeFileSync(path.join(dir, 'internal/chain/p000/a.go'), chainSource('p001', `v${i}`)),
    only: './internal/chain/p000',
  },
  leaf: {
    file: 'internal/leaf/leaf.go',
    write: (dir, i) =>
      writeFileSync(path.join(dir, 'internal/leaf/leaf.go'), leafSource(`leaf-${i}`)),
    only: './internal/leaf',
  },
};

const samples = {};
const add = (edit, tool, ms, packages) => {
  const key = `${edit}|${tool}`;
  samples[key] ??= { edit, tool, ms: [], packages };
  samples[key].ms.push(ms);
};
let n = 1;
let value = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, edit] of Object.entries(EDITS)) {
    value++;
    const t0 = performance.now();
    edit.write(watched, value);
    const m = await waitSummaries(++n);
    add(name, 'gohot test', performance.now() - t0, Number(m[1]));
    edit.write(manual, value);
    add(name, 'go test ./...', timed(go, ['test', './...'], manual), undefined);
    value++;
    edit.write(manual, value);
    add(name, 'changed only', timed(go, ['test', edit.only], manual), 1);
    // gohot's copy gets the same content as the go commands' copy before the next round.
    edit.write(watched, value);
    await waitSummaries(++n);
  }
}
gohot.kill('SIGTERM');
await new Promise((r) => gohot.once('exit', r));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const rows = Object.values(samples).map((s) => ({ ...s, median: median(s.ms) }));
console.log('\nsave -> test result, medium project (ms; ratio = median / median of go test ./...)');
const results = [];
for (const edit of Object.keys(EDITS)) {
  const base = rows.find((r) => r.edit === edit && r.tool === 'go test ./...').median;
  for (const r of rows.filter((x) => x.edit === edit)) {
    const ratio = r.median / base;
    const pk = r.packages === undefined ? '' : `  packages run ${r.packages}`;
    console.log(
      `${edit.padEnd(5)} ${r.tool.padEnd(14)} n=${r.ms.length}  median ${r.median.toFixed(0).padStart(6)}  ratio ${ratio.toFixed(2)}${pk}`,
    );
    results.push({
      edit,
      tool: r.tool,
      n: r.ms.length,
      medianMs: Math.round(r.median),
      ratio: Number(ratio.toFixed(3)),
      packages: r.packages ?? null,
    });
  }
}
console.log(JSON.stringify({ bench: 'test-select', rounds: ROUNDS, results }));
rmSync(root, { recursive: true, force: true });
