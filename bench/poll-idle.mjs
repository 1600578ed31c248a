// Idle CPU of `gohot --poll` on the compare bench's large tree (bench/compare/projects.mjs,
// 'large': the small app plus `--files` files in ~files/20 directories outside the binary's
// closure), the same measurement as bench/compare.mjs "Idle cost" but cheaper: one tree, a
// shorter window, and the variants interleaved in one run.
//
//   npm run build && node bench/poll-idle.mjs [--files=100000] [--seconds=20] [--rounds=1]
//                                             [--base=<dist dir of another build>]
//
// Each variant is a gohot CLI (`<dist>/cli/main.js --no-color --poll`); its CPU (utime+stime
// of /proc/<pid>/stat, the gohot process only) is read from 2 s after the app first answers
// until `--seconds` later. The baseline measured in the same run is `--base` when given
// (e.g. a copy of an older dist/), and always the bare floor: one readdirSync(withFileTypes) +
// statSync walk of the whole tree per poll interval (500 ms), timed in this process and
// reported as CPU per second. Prints one JSON line, then a table.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds } from './compare/proc.mjs';
import { generate } from './compare/projects.mjs';
import { freePort, repo } from './lib/common.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, ...v] = a.replace(/^--/, '').split('=');
    return [k, v.length > 0 ? v.join('=') : 'true'];
  }),
);
const FILES = Number(args.files ?? 100_000);
const SECONDS = Number(args.seconds ?? 20);
const ROUNDS = Number(args.rounds ?? 1);
const POLL_INTERVAL_MS = 500;
const GO = '/usr/local/go/bin/go';
const goBin = existsSync(GO) ? GO : 'go';

const variants = [{ name: 'current', dist: path.join(repo, 'dist') }];
if (args.base !== undefined) variants.unshift({ name: 'base', dist: path.resolve(args.base) });
for (const v of variants) {
  if (!existsSync(path.join(v.dist, 'cli/main.js'))) {
    console.error(`No ${v.dist}/cli/main.js: run \`npm run build\` (or fix --base).`);
    process.exit(1);
  }
}

const body = (url) =>
  new Promise((resolve) => {
    const req = request(url, { timeout: 1000 }, (res) => {
      let b = '';
      res.on('data', (d) => {
        b += d;
      });
      res.on('end', () => resolve(b));
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });

async function idle(variant, dir, root) {
  const port = await freePort();
  const env = {
    ...process.env,
    ADDR: `127.0.0.1:${port}`,
    NO_COLOR: '1',
    BENCH_BUILDS: path.join(root, `builds-${port}.log`),
    BENCH_STARTS: path.join(root, `starts-${port}.log`),
  };
  const argv = [path.join(variant.dist, 'cli/main.js'), '--no-color', '--poll'];
  const proc = spawn(process.execPath, argv, {
    cwd: dir,
    env,
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  try {
    const deadline = performance.now() + 300_000;
    while ((await body(`http://127.0.0.1:${port}/`)) === undefined) {
      if (performance.now() > deadline || proc.exitCode !== null) {
        throw new Error(`${variant.name}: the app never answered\n${stderr}`);
      }
      await sleep(20);
    }
    await sleep(2000);
    const c0 = cpuSeconds(proc.pid);
    await sleep(SECONDS * 1000);
    const cpuS = cpuSeconds(proc.pid) - c0;
    return { cpuS, share: cpuS / SECONDS };
  } finally {
    try {
      process.kill(-proc.pid, 'SIGINT');
    } catch {}
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done) {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {}
      await exited;
    }
  }
}

/** The floor: a readdir + stat walk of everything, once per poll interval (CPU per second). */
function bareFloor(dir) {
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile()) statSync(abs);
    }
  };
  walk(dir); // warm the dentry cache
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    walk(dir);
    const d = process.cpuUsage(c0);
    runs.push((d.user + d.system) / 1e6);
  }
  const walkS = runs.sort((a, b) => a - b)[1];
  // A walk of walkS seconds every POLL_INTERVAL_MS after the previous one ended.
  return { walkS, share: walkS / (walkS + POLL_INTERVAL_MS / 1000) };
}

const root = mkdtempSync(path.join(os.tmpdir(), 'gohot-bench-poll-idle-'));
try {
  const dir = path.join(root, 'large');
  generate(dir, 'large', { largeFiles: FILES, go: goBin });
  const floor = bareFloor(dir);
  const rows = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of variants) rows[v.name].push(await idle(v, dir, root));
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const result = {
    bench: 'poll-idle',
    node: process.version,
    files: FILES,
    seconds: SECONDS,
    rounds: ROUNDS,
    floor: { walkMs: round(floor.walkS * 1000), share: round(floor.share, 4) },
    variants: Object.fromEntries(
      variants.map((v) => {
        const share = mean(rows[v.name].map((x) => x.share));
        return [
          v.name,
          {
            cpuS: round(mean(rows[v.name].map((x) => x.cpuS)), 3),
            share: round(share, 4),
            vsFloor: round(share / floor.share, 3),
            ...(args.base !== undefined && v.name !== 'base'
              ? { vsBase: round(share / mean(rows.base.map((x) => x.share)), 3) }
              : {}),
          },
        ];
      }),
    ),
  };
  console.log(JSON.stringify(result));
  console.log();
  console.log(
    `bare walk every ${POLL_INTERVAL_MS} ms: ${result.floor.walkMs} ms per walk, ` +
      `${(result.floor.share * 100).toFixed(2)}% of a core`,
  );
  for (const [name, v] of Object.entries(result.variants)) {
    console.log(
      `${name.padEnd(8)} ${v.cpuS} CPU-s in ${SECONDS} s = ${(v.share * 100).toFixed(2)}% of a core` +
        ` (${v.vsFloor}x the bare walk${v.vsBase === undefined ? '' : `, ${v.vsBase}x base`})`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
