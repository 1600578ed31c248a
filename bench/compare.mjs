// The project's benchmark: gohot against the physical floor (`go build && kill && start`),
// air (default and tuned) and reflex, interleaved in one run, baseline first in each round.
//
//   node bench/compare.mjs            full run (20 edits per variant on small and medium, 8 on the
//                                     100,000-file large tree, 20 on small with a CPU hog, 60 s idle)
//   node bench/compare.mjs --quick    small project only for latency (4 edits per variant, 4 with
//                                     the hog), 20,000-file large tree, 5 s idle, one burst (< 5 min)
//   node bench/compare.mjs --smoke    small project, gohot only, one edit per scenario, no network,
//                                     no CPU hog
//   --large-latency                   with --quick: latency on the large tree too (to try the
//                                     full run's code path on the quick tree)
//   --hog-rounds <n>                  CPU-hog rounds (4 edits each) instead of the mode's
//   --out <dir>                       where results go (default bench/results/)
//
// Peers are installed pinned into ~/.cache/gohot-bench/bin (GOBIN, GOTOOLCHAIN=local).
// Builds are counted by a `go` wrapper first on PATH (appends to a log on `go build`),
// restarts by the app itself (appends its pid to $BENCH_STARTS on start): no tool's log is parsed
// for counts. gohot's per-stage timestamps come from its -v lines, stamped on arrival.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bareWatchWalk } from './compare/bare-walk.mjs';
import { startCpuHog } from './compare/hog.mjs';
import { cpuSeconds, inotifyUsage, procStatus } from './compare/proc.mjs';
import {
  GIN,
  generate,
  genSource,
  gitCheckoutSetup,
  greetingSource,
  leafSource,
} from './compare/projects.mjs';
import { markdown, minusFloor, stats, svgChart } from './compare/report.mjs';
import { freePort, option, repo } from './lib/common.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => option(argv, name, dflt);
const mode = flag('--smoke') ? 'smoke' : flag('--quick') ? 'quick' : 'full';
// A final state not served within this counts as missed. The smoke run in the test suite
// checks correctness, not speed: a busy CI machine may take far longer than 10 s to build.
const SERVED_WITHIN_MS = mode === 'smoke' ? 180_000 : 10_000;
/** How long one latency edit may take before it counts as not served. */
const EDIT_SERVED_MS = mode === 'smoke' ? 180_000 : 30_000;
const outDir = path.resolve(opt('--out', path.join(repo, 'bench/results')));
const GO = '/usr/local/go/bin/go';
const goBin = existsSync(GO) ? GO : 'go';
const cli = path.join(repo, 'dist/cli/main.js');
const peerCache = path.join(os.homedir(), '.cache/gohot-bench');
const AIR_VERSION = 'v1.67.4';
const REFLEX_VERSION = 'v0.3.1';

const P = {
  smoke: {
    rounds: 1,
    edits: 1,
    sizes: ['small'],
    large: 0,
    largeRounds: 0,
    hogRounds: 0,
    idleS: 1,
    burstTrials: 1,
    peers: false,
  },
  quick: {
    rounds: 1,
    edits: 1,
    sizes: ['small'],
    large: 20_000,
    largeRounds: flag('--large-latency') ? 1 : 0,
    hogRounds: 1,
    idleS: 5,
    burstTrials: 1,
    peers: true,
  },
  full: {
    rounds: 5,
    edits: 1,
    sizes: ['small', 'medium'],
    large: 100_000,
    largeRounds: 2,
    hogRounds: 5,
    idleS: 60,
    burstTrials: 5,
    peers: true,
  },
}[mode];
// --hog-rounds N: more (or fewer) CPU-hog rounds than the mode's, to look at that section alone.
if (opt('--hog-rounds') !== undefined) {
  const n = Number(opt('--hog-rounds'));
  if (!Number.isInteger(n) || n < 0) {
    console.error(
      `--hog-rounds takes a whole number of rounds (0 or more), not "${opt('--hog-rounds')}"; e.g. --hog-rounds 4`,
    );
    process.exit(2);
  }
  P.hogRounds = n;
}
// full: 5 rounds x 4 edit kinds = 20 edits per variant and size (5 per edit kind); the large
// tree takes 2 rounds (8 edits), the CPU-hog section 5 (20 edits, small project only).

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t00 = performance.now();
const log = (...a) => console.log(`[${((performance.now() - t00) / 1000).toFixed(0)}s]`, ...a);

async function body(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return await r.text();
  } catch {
    return undefined;
  }
}

/** Polls every 2 ms until `ok(body)`; returns the time it was seen, or undefined on timeout. */
async function waitServed(url, ok, timeoutMs, signal) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !signal?.aborted) {
    const b = await body(url);
    if (b !== undefined && ok(b)) return performance.now();
    await sleep(2);
  }
  return undefined;
}

// ---------- peers ----------
function installPeers() {
  const bin = path.join(peerCache, 'bin');
  mkdirSync(bin, { recursive: true });
  const env = { ...process.env, GOBIN: bin, GOTOOLCHAIN: 'local' };
  for (const [pkg, v, name] of [
    ['github.com/air-verse/air', AIR_VERSION, 'air'],
    ['github.com/cespare/reflex', REFLEX_VERSION, 'reflex'],
  ]) {
    const stamp = path.join(bin, `${name}.version`);
    if (existsSync(path.join(bin, name)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === v)
      continue;
    log(`installing ${pkg}@${v} into ${bin}`);
    const r = spawnSync(goBin, ['install', `${pkg}@${v}`], { env, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`go install ${pkg}@${v} failed`);
    writeFileSync(stamp, v);
  }
  return { air: path.join(bin, 'air'), reflex: path.join(bin, 'reflex') };
}

/** A directory holding a `go` that logs every `go build` of the app to $BENCH_BUILDS, then runs the real one. */
function goWrapperDir(root) {
  const dir = path.join(root, 'wrap');
  mkdirSync(dir, { recursive: true });
  const f = path.join(dir, 'go');
  writeFileSync(
    f,
    // gohot's one-time build of its setpgid helper (gohot-pgrp) is not a build of the app.
    `#!/bin/sh\nif [ "$1" = build ] && [ -n "$BENCH_BUILDS" ]; then case "$*" in *gohot-pgrp*) ;; *) date +%s%N >> "$BENCH_BUILDS";; esac; fi\nexec ${goBin} "$@"\n`,
  );
  chmodSync(f, 0o755);
  return dir;
}

/**
 * Removes a project a tool ran in. A build the tool started may still be writing there after
 * the tool itself exited (air's go build is in a process group of its own): retried a while
 * instead of failing the run with ENOTEMPTY.
 */
function removeTree(dir) {
  rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
}

// ---------- tools ----------
function toolDefs(peers) {
  const defs = [
    { name: 'gohot', cmd: () => [process.execPath, cli, '--no-color'] },
    {
      name: 'gohot -v (traced)',
      traced: true,
      cmd: () => [process.execPath, cli, '--no-color', '-v'],
    },
  ];
  if (peers) {
    defs.push(
      { name: 'air default', cmd: () => [peers.air], poll: ['--build.poll', 'true'] },
      {
        name: 'air tuned',
        cmd: () => [
          peers.air,
          '--build.delay',
          '0',
          '--build.cmd',
          "go build -ldflags='-s -w' -o ./tmp/main .",
          '--build.bin',
          './tmp/main',
        ],
        poll: ['--build.poll', 'true'],
      },
      {
        name: 'reflex',
        cmd: () => [
          peers.reflex,
          '-r',
          '\\.go$',
          '-s',
          '--',
          'sh',
          '-c',
          'go build -o ./tmp/app . && exec ./tmp/app',
        ],
      },
    );
  }
  return defs;
}

/**
 * Builds gohot's setpgid helper into the state directory the measured gohots use, before any
 * measurement: a gohot that finds none builds it beside its first app build and starts its
 * process groups as sessions of their own until it is there, so the first run would measure
 * neither the usual CPU nor the usual scheduling.
 */
async function prepareGohotHelper() {
  const { openStateDir } = await import(path.join(repo, 'dist/run/state-dir.js'));
  const { prepareGroupExec } = await import(path.join(repo, 'dist/run/group-exec-linux.js'));
  const { runCommand } = await import(path.join(repo, 'dist/run/runner.js'));
  const helper = await prepareGroupExec(openStateDir(), {
    goBin,
    run: async (args, cwd, env) => {
      const r = await runCommand({ command: goBin, args, cwd, env }, { timeoutMs: 300_000 });
      return r.status === 'exited' && r.code === 0;
    },
  });
  log(helper ? `gohot setpgid helper: ${helper}` : 'gohot setpgid helper: none (sessions)');
}

/** A 'data' listener that appends each whole line to `lines`, stamped on arrival. */
function lineReader(lines) {
  let buf = '';
  return (d) => {
    const t = performance.now();
    buf += d.toString();
    let i = buf.indexOf('\n');
    while (i >= 0) {
      lines.push({ t, line: buf.slice(0, i) });
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  };
}

/** Starts a watching tool in `dir`; returns a handle with its -v lines (stamped) and stop(). */
async function startTool(def, dir, { wrap, root, extra = [], stdoutLines = false } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const builds = path.join(root, `builds-${port}.log`);
  const starts = path.join(root, `starts-${port}.log`);
  const env = {
    ...process.env,
    ADDR: `127.0.0.1:${port}`,
    NO_COLOR: '1',
    BENCH_BUILDS: builds,
    BENCH_STARTS: starts,
    PATH: wrap ? `${wrap}:${process.env.PATH}` : process.env.PATH,
  };
  const [cmd, ...args] = [...def.cmd(), ...extra];
  const launched = Date.now();
  const launchedPerf = performance.now();
  const proc = spawn(cmd, args, { cwd: dir, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  // gohot writes its own lines to stderr; the app's output goes to stdout.
  const keep = stdoutLines || def.traced;
  proc.stdout.on('data', keep ? lineReader(lines) : () => {});
  proc.stderr.on('data', keep ? lineReader(lines) : () => {});
  const exited = new Promise((res) => proc.once('exit', res));
  const count = (f) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
  return {
    proc,
    url,
    lines,
    launched,
    launchedPerf,
    builds: () => count(builds),
    starts: () => count(starts),
    async stop() {
      try {
        process.kill(-proc.pid, 'SIGINT');
      } catch {}
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done)
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {}
      await exited;
      // An app a tool started in its own group must not outlive the run.
      for (const pid of count(starts))
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {}
    },
  };
}

// ---------- edits ----------
function applyEdit(dir, where, how, token) {
  const file =
    where === 'main' ? path.join(dir, 'greeting.go') : path.join(dir, 'internal/leaf/leaf.go');
  const text = where === 'main' ? greetingSource(token) : leafSource(token);
  if (how === 'inplace') writeFileSync(file, text);
  else {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
}
const served = (where, token) => (b) =>
  where === 'main' ? b.startsWith(`${token}|`) : b.split('|')[1] === token;

const SCENARIOS = [
  ['main', 'inplace'],
  ['main', 'rename'],
  ['deep', 'inplace'],
  ['deep', 'rename'],
];

// ---------- 1. latency ----------
async function floorRun(ldflags, dir, root, edits, samples, size) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const bin = path.join(root, `floor-${port}`);
  const env = { ...process.env, ADDR: `127.0.0.1:${port}` };
  // In a session of its own, as the tools are (see floor-script.mjs for why).
  const script = spawn(
    process.execPath,
    [path.join(repo, 'bench/compare/floor-script.mjs'), goBin, dir, bin, ldflags ?? ''],
    { cwd: dir, env, detached: true, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise((res) => script.once('exit', res));
  const replies = [];
  let waiter;
  const read = lineReader(replies);
  script.stdout.on('data', (d) => {
    read(d);
    waiter?.();
  });
  /** The next reply line (stamped on arrival); a failed build or an exited script throws. */
  const reply = async () => {
    while (!replies.length) {
      const more = new Promise((res) => {
        waiter = res;
      });
      const gone = await Promise.race([more.then(() => false), exited.then(() => true)]);
      if (gone && !replies.length) throw new Error('floor script exited');
    }
    const r = replies.shift();
    if (r.line.startsWith('failed')) throw new Error(`go build ${r.line}`);
    return r;
  };
  try {
    script.stdin.write('build\n');
    await reply();
    await reply();
    await waitServed(url, () => true, 60_000);
    for (const [where, how] of SCENARIOS)
      for (let i = 0; i < edits; i++) {
        const token = `f${port}x${i}${where}${how}`;
        const t0 = performance.now();
        applyEdit(dir, where, how, token);
        // Polled from the save on, as the tools are: the requests the old app answers during
        // the build cost the build CPU, and the floor must pay that as well.
        const polling = new AbortController();
        const seen = waitServed(url, served(where, token), EDIT_SERVED_MS, polling.signal);
        script.stdin.write('build\n');
        let built;
        let started;
        try {
          built = (await reply()).t - t0;
          started = (await reply()).t - t0;
        } catch (err) {
          polling.abort();
          throw err;
        }
        const t = await seen;
        samples.push({
          size,
          where,
          how,
          ms: t === undefined ? null : t - t0,
          builtMs: built,
          startedMs: started,
        });
        await sleep(300);
      }
  } finally {
    script.stdin.end();
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done)
      try {
        process.kill(-script.pid, 'SIGKILL');
      } catch {}
    await exited;
    rmSync(bin, { force: true });
  }
}

const STAGES = [
  ['event', /\[classify\] .*: rebuild/],
  ['cycle', /\[schedule\] cycle #\d+ started/],
  ['buildStart', /build #\d+ started/],
  ['buildEnd', /\[build\] build #\d+: restarting/],
  ['appStarted', / -> restarted pid/],
];

async function toolRun(def, dir, root, edits, samples, size, traces) {
  const h = await startTool(def, dir, { root });
  try {
    const ready = await waitServed(h.url, () => true, 180_000);
    if (ready === undefined) throw new Error(`${def.name} never served on ${size}`);
    await sleep(1500);
    for (const [where, how] of SCENARIOS)
      for (let i = 0; i < edits; i++) {
        const token = `t${h.proc.pid}x${i}${where}${how}`;
        const from = h.lines.length;
        const t0 = performance.now();
        applyEdit(dir, where, how, token);
        const t = await waitServed(h.url, served(where, token), EDIT_SERVED_MS);
        samples.push({ size, where, how, ms: t === undefined ? null : t - t0 });
        if (def.traced && t !== undefined) {
          const tr = { size, where, how, served: t - t0 };
          for (const { t: lt, line } of h.lines.slice(from))
            for (const [k, re] of STAGES) if (tr[k] === undefined && re.test(line)) tr[k] = lt - t0;
          traces.push(tr);
        }
        await sleep(def.name.startsWith('air default') ? 1500 : 300);
      }
  } finally {
    await h.stop();
  }
}

/** The latency section's variants, baseline first: the floors, then the tools. */
function latencyVariants(peers) {
  return [
    { name: 'floor', floor: true },
    { name: 'floor -s -w', floor: true, ldflags: '-s -w' },
    ...toolDefs(peers),
  ];
}

/**
 * Save-to-response samples of `variants`, interleaved: each round runs every size of `plan`
 * that still has rounds left ({size, rounds}), and every variant in order within it.
 */
async function latency(label, variants, plan, projects, root) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
  const traces = [];
  const rounds = Math.max(0, ...plan.map((p) => p.rounds));
  for (let round = 0; round < rounds; round++)
    for (const { size, rounds: sizeRounds } of plan) {
      if (round >= sizeRounds) continue;
      for (const v of variants) {
        log(`${label} round ${round + 1}/${sizeRounds} ${size}: ${v.name}`);
        if (v.floor)
          await floorRun(v.ldflags, projects[size], root, P.edits, samples[v.name], size);
        else await toolRun(v, projects[size], root, P.edits, samples[v.name], size, traces);
      }
    }
  return { samples, traces };
}

/** The same edits on the small project while one busy loop per core runs. */
async function latencyWithHog(peers, projects, root) {
  const names = ['floor -s -w', 'gohot', 'gohot -v (traced)', 'air tuned'];
  const variants = latencyVariants(peers).filter((v) => names.includes(v.name));
  const hog = await startCpuHog();
  log(`CPU hog: ${hog.processes} busy loops (pids ${hog.pids.join(' ')})`);
  let usage;
  try {
    const run = await latency(
      'latency with CPU hog',
      variants,
      [{ size: 'small', rounds: P.hogRounds }],
      projects,
      root,
    );
    usage = await hog.stop();
    return { ...run, hog: usage };
  } finally {
    if (!usage) await hog.stop();
  }
}

// ---------- 2. wasted work ----------
const WASTE = ['comment', 'test', 'outside', 'noop', 'touch', 'checkout', 'editor save', 'asset'];
const EXPECTED = [0, 0, 0, 0, 0, 1, 1, 1];

async function wasted(def, root, wrap) {
  const dir = path.join(root, `waste-${def.name.replace(/\W+/g, '-')}`);
  generate(dir, 'small', { go: goBin });
  const checkoutToken = `checkout-${Date.now()}`;
  gitCheckoutSetup(dir, checkoutToken);
  const settle = def.name === 'air default' ? 2500 : 1500;
  const h = await startTool(def, dir, { wrap, root });
  const rows = {};
  try {
    if ((await waitServed(h.url, () => true, 120_000)) === undefined)
      throw new Error(`${def.name} never served`);
    await sleep(settle);
    const greet = path.join(dir, 'greeting.go');
    const steps = {
      comment: () =>
        writeFileSync(greet, greetingSource('hello', 'greeting: what the handler says.')),
      test: () =>
        writeFileSync(
          path.join(dir, 'greeting_test.go'),
          'package main\n\nimport "testing"\n\nfunc TestGreeting(t *testing.T) {\n\tif greeting() != "hello" {\n\t\tt.Fatal("changed")\n\t}\n}\n',
        ),
      outside: () =>
        writeFileSync(
          path.join(dir, 'tools/unused/unused.go'),
          'package unused\n\n// Unused is outside the binary.\nfunc Unused() string { return "u1" }\n',
        ),
      noop: () => writeFileSync(greet, readFileSync(greet)),
      touch: () => {
        const now = new Date();
        utimesSync(greet, now, now);
      },
      checkout: () => spawnSync('git', ['checkout', '-q', 'other'], { cwd: dir }),
      'editor save': (tok) => {
        const tmp = path.join(dir, '.greeting.go.swp-tmp');
        writeFileSync(tmp, greetingSource(tok));
        renameSync(tmp, greet);
      },
      asset: (tok) => writeFileSync(path.join(dir, 'asset.txt'), tok),
    };
    for (const [i, name] of WASTE.entries()) {
      if (name === 'checkout') {
        // Put back what the earlier steps changed, so the checkout is clean; not counted.
        spawnSync('git', ['checkout', '-q', '--', '.'], { cwd: dir });
        await sleep(settle);
      }
      const b0 = h.builds().length;
      const s0 = h.starts().length;
      const tok = name === 'checkout' ? checkoutToken : `${name.replace(' ', '')}-${Date.now()}`;
      steps[name](tok);
      let missed = false;
      if (EXPECTED[i] === 1) {
        const ok = name === 'asset' ? (b) => b.endsWith(`|${tok}`) : (b) => b.startsWith(`${tok}|`);
        missed = (await waitServed(h.url, ok, SERVED_WITHIN_MS)) === undefined;
      }
      await sleep(settle);
      rows[name] = { builds: h.builds().length - b0, restarts: h.starts().length - s0, missed };
    }
  } finally {
    await h.stop();
    removeTree(dir);
  }
  return rows;
}

// ---------- 3. start-up and footprint ----------
async function startup(def, dir, size, root, wrap) {
  const h = await startTool(def, dir, { wrap, root, stdoutLines: true });
  try {
    const t = await waitServed(h.url, () => true, 300_000);
    const first = h.builds()[0];
    const rel = (perf) => (perf === undefined ? null : perf - h.launchedPerf);
    const line = (re) => h.lines.find((l) => re.test(l.line))?.t;
    await sleep(1000);
    return {
      size,
      firstBuildMs: first ? Number(BigInt(first) / 1_000_000n) - h.launched : null,
      watcherReadyMs: def.name.startsWith('gohot') ? rel(line(/ tracking \d+ files/)) : null,
      servesMs: rel(t),
      ...procStatus(h.proc.pid),
      ...inotifyUsage(h.proc.pid),
    };
  } finally {
    await h.stop();
  }
}

// ---------- 4. idle ----------
async function idle(def, dir, root, polling) {
  const extra = polling ? (def.name.startsWith('gohot') ? ['--poll'] : def.poll) : [];
  if (polling && !extra) return null;
  const h = await startTool(def, dir, { root, extra });
  try {
    await waitServed(h.url, () => true, 300_000);
    await sleep(2000);
    const c0 = cpuSeconds(h.proc.pid);
    await sleep(P.idleS * 1000);
    return { seconds: P.idleS, cpuS: cpuSeconds(h.proc.pid) - c0 };
  } finally {
    await h.stop();
  }
}

// ---------- 5. missed changes ----------
async function missed(def, root) {
  const dir = path.join(root, `burst-${def.name.replace(/\W+/g, '-')}`);
  generate(dir, 'small', { go: goBin });
  const h = await startTool(def, dir, { root });
  let failures = 0;
  try {
    await waitServed(h.url, () => true, 120_000);
    await sleep(1000);
    for (let trial = 0; trial < P.burstTrials; trial++) {
      let final = '';
      for (let k = 0; k < 10; k++) {
        final = `burst${trial}k${k}p${h.proc.pid}`;
        writeFileSync(path.join(dir, 'greeting.go'), greetingSource(final));
        for (let g = 0; g < 20; g++)
          writeFileSync(
            path.join(dir, `internal/gen/g${g + 1}.go`),
            genSource(g + 1, 'generated', trial * 100 + k),
          );
        writeFileSync(path.join(dir, 'internal/leaf/leaf.go'), leafSource(final));
        await sleep(5);
      }
      const ok = await waitServed(
        h.url,
        (b) => b.startsWith(`${final}|${final}|`),
        SERVED_WITHIN_MS,
      );
      if (ok === undefined) failures++;
      await sleep(def.name === 'air default' ? 2500 : 1000);
    }
  } finally {
    await h.stop();
    removeTree(dir);
  }
  return { trials: P.burstTrials, failures };
}

// ---------- output ----------
/** Per size and variant: stats of all edits pooled, and the median of each edit kind. */
function latencyTables(samples, sizes) {
  const tables = {};
  for (const size of sizes) {
    tables[size] = {};
    for (const [tool, list] of Object.entries(samples)) {
      const mine = list.filter((x) => x.size === size);
      tables[size][tool] = stats(mine.map((x) => x.ms));
      for (const [where, how] of SCENARIOS)
        tables[size][tool][`${where}/${how}`] = stats(
          mine.filter((x) => x.where === where && x.how === how).map((x) => x.ms),
        ).median;
    }
  }
  return tables;
}

function version(cmd, args) {
  if (!cmd) return undefined;
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0];
}

// ---------- main ----------
async function main() {
  const started = Date.now();
  const peers = P.peers ? installPeers() : undefined;
  const root = mkdtempSync(path.join(os.tmpdir(), 'gohot-compare-'));
  const wrap = goWrapperDir(root);
  const cleanup = () => removeTree(root);
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const projects = {};
    for (const size of P.sizes) {
      projects[size] = path.join(root, size);
      log(`generating ${size}`);
      generate(projects[size], size, { go: goBin });
    }
    // Generated once (100,000 files take a while): the latency and start-up sections share it.
    if (P.large) {
      projects.large = path.join(root, 'large');
      log(`generating large (${P.large} files)`);
      generate(projects.large, 'large', { largeFiles: P.large, go: goBin });
    }
    await prepareGohotHelper();
    const plan = P.sizes.map((size) => ({ size, rounds: P.rounds }));
    if (P.largeRounds) plan.push({ size: 'large', rounds: P.largeRounds });
    const latencySizes = plan.map((p) => p.size);
    const { samples, traces } = await latency(
      'latency',
      latencyVariants(peers).filter(
        (v) => mode !== 'smoke' || v.name === 'floor -s -w' || v.traced,
      ),
      plan,
      projects,
      root,
    );
    const hogRun = P.hogRounds ? await latencyWithHog(peers, projects, root) : undefined;

    const tools = toolDefs(peers).filter((d) => !d.traced);
    const wastedRes = {};
    for (const def of tools) {
      log(`wasted work: ${def.name}`);
      wastedRes[def.name] = await wasted(def, root, wrap);
    }

    const startupRes = [];
    const bareRes = [];
    const sizes = P.large ? [...P.sizes, 'large'] : P.sizes;
    const fileCount = (d) => {
      let n = 0;
      const walk = (p) => {
        for (const e of readdirSync(p, { withFileTypes: true }))
          if (e.isDirectory()) walk(path.join(p, e.name));
          else n++;
      };
      walk(d);
      return n;
    };
    for (const size of sizes) {
      const files = fileCount(projects[size]);
      log(`start-up ${size}: bare fs.watch walk`);
      const bare = { size, files, ...(await bareWatchWalk(projects[size])) };
      bareRes.push(bare);
      for (const def of tools) {
        log(`start-up ${size}: ${def.name}`);
        const r = await startup(def, projects[size], size, root, wrap);
        startupRes.push({
          tool: def.name,
          files,
          ...r,
          watcherReadyToBareWalk:
            r.watcherReadyMs === null ? null : r.watcherReadyMs / bare.readyMs,
        });
      }
    }

    const idleRes = {};
    const idleDir = projects.large ?? projects.small;
    // air default and air tuned share one watcher (only delay and build flags differ): idle once.
    for (const def of tools.filter((d) => d.name !== 'air default')) {
      log(`idle: ${def.name}`);
      idleRes[def.name] = {
        native: await idle(def, idleDir, root, false),
        // The smoke run keeps to one idle measurement.
        polling: mode === 'smoke' ? null : await idle(def, idleDir, root, true),
      };
    }

    const missedRes = {};
    for (const def of tools) {
      log(`missed changes: ${def.name}`);
      missedRes[def.name] = await missed(def, root);
    }

    const latencyStats = latencyTables(samples, latencySizes);
    const hogLatency = hogRun ? latencyTables(hogRun.samples, ['small']) : undefined;
    const stageMedians = {};
    const floorStages = {};
    const stageRows = (label, size, traceList, sampleSet) => {
      const t = traceList.filter((x) => x.size === size);
      if (t.length)
        stageMedians[label] = Object.fromEntries(
          ['event', 'cycle', 'buildStart', 'buildEnd', 'appStarted', 'served'].map((k) => [
            k,
            stats(t.map((x) => x[k] ?? null)).median,
          ]),
        );
      const f = sampleSet['floor -s -w'].filter((x) => x.size === size);
      floorStages[label] = Object.fromEntries(
        ['builtMs', 'startedMs', 'ms'].map((k) => [k, stats(f.map((x) => x[k] ?? null)).median]),
      );
    };
    for (const size of latencySizes) stageRows(size, size, traces, samples);
    if (hogRun) stageRows('small, CPU hog', 'small', hogRun.traces, hogRun.samples);
    const cpus = os.cpus();
    const res = {
      bench: 'compare',
      mode,
      date: new Date().toISOString(),
      durationS: Math.round((Date.now() - started) / 1000),
      machine: {
        cpu: cpus[0]?.model,
        cpus: cpus.length,
        memGB: Math.round(os.totalmem() / 2 ** 30),
        kernel: `${os.type()} ${os.release()}`,
        loadavg: os.loadavg(),
      },
      versions: {
        go: version(goBin, ['env', 'GOVERSION']),
        node: process.versions.node,
        gohot: version(process.execPath, [cli, '--version']),
        air: peers ? AIR_VERSION : undefined,
        reflex: peers ? REFLEX_VERSION : undefined,
        gin: P.sizes.includes('medium') ? GIN.split('@')[1] : undefined,
      },
      params: P,
      latency: latencyStats,
      samples,
      minusFloorSW: Object.fromEntries(
        latencySizes.map((size) => [size, minusFloor(latencyStats[size])]),
      ),
      hog: hogRun?.hog,
      hogLatency,
      hogSamples: hogRun?.samples,
      hogStages: hogRun?.traces,
      hogMinusFloorSW: hogLatency ? { small: minusFloor(hogLatency.small) } : undefined,
      stages: traces,
      stageMedians,
      floorStages,
      wasted: wastedRes,
      expectedGohotWasted: EXPECTED,
      startup: startupRes,
      bareWalk: bareRes,
      idle: idleRes,
      missed: missedRes,
    };
    mkdirSync(outDir, { recursive: true });
    const base = mode === 'full' ? 'compare' : `compare-${mode}`;
    writeFileSync(path.join(outDir, `${base}.json`), `${JSON.stringify(res, null, 2)}\n`);
    const md = markdown(res, { waste: WASTE });
    writeFileSync(path.join(outDir, `${base}.md`), `${md}\n\n![latency](${base}.svg)\n`);
    writeFileSync(path.join(outDir, `${base}.svg`), `${svgChart(res)}\n`);
    log(`\n${md}\n\nwrote ${path.join(outDir, `${base}.{json,md,svg}`)} in ${res.durationS} s`);
  } finally {
    cleanup();
  }
}

await main();
