// What a stable output path buys: `go build` after a comment-only edit in a non-main
// package, to the existing binary (go's early cutoff skips the link, docs/facts.md#early-cutoff)
// against a fresh path each time (go links). Also shown: the same stable path after a
// comment edit in package main, which always relinks. Built with gohot's own go command
// line (dist/compile/build.js) on a generated module of stdlib-only packages, interleaved.
//
//   npm run build && node bench/early-cutoff.mjs [--packages=40] [--rounds=10]
//
// Prints a table and one JSON line; ratio = median / median of the fresh path. The machines
// are shared: read the ratios, not the milliseconds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let build;
let buildId;
try {
  build = await import('../dist/compile/build.js');
  buildId = await import('../dist/compile/build-id.js');
} catch (err) {
  console.error(`Cannot import gohot from dist/ (${err.message}). Run \`npm run build\` first.`);
  process.exit(1);
}

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const PACKAGES = Number(args.packages ?? 40);
const ROUNDS = Number(args.rounds ?? 10);
const go = process.env.GOHOT_GO ?? 'go';

const STD = ['fmt', 'strings', 'encoding/json', 'net/http', 'sort', 'strconv', 'bytes', 'time'];

/** Package i: uses two stdlib packages and the package below it, so an edit of p0 reaches all. */
function packageSource(i, comment) {
  const std = [STD[i % STD.length], STD[(i + 3) % STD.length]];
  const imports = [...new Set(std)].map((p) => `\t"${p}"`);
  if (i > 0) imports.push(`\t"example.com/cutoff/p${i - 1}"`);
  const uses = [...new Set(std)].map((p) => {
    switch (p) {
      case 'fmt':
        return 'fmt.Sprint(n)';
      case 'strings':
        return 'strings.Repeat("x", n%3)';
      case 'encoding/json':
        return 'func() string { b, _ := json.Marshal(n); return string(b) }()';
      case 'net/http':
        return 'http.StatusText(200 + n%2)';
      case 'sort':
        return 'func() string { s := []int{n, 1}; sort.Ints(s); return "" }()';
      case 'strconv':
        return 'strconv.Itoa(n)';
      case 'bytes':
        return 'string(bytes.ToUpper([]byte("b")))';
      default:
        return 'time.Duration(n).String()';
    }
  });
  const below = i > 0 ? ` + p${i - 1}.Name(n+1)` : '';
  return `package p${i}\n\nimport (\n${imports.join('\n')}\n)\n\n// ${comment}\nfunc Name(n int) string {\n\treturn ${uses.join(' + ')}${below}\n}\n`;
}

function mainSource(comment) {
  const top = PACKAGES - 1;
  return `package main\n\nimport (\n\t"fmt"\n\n\t"example.com/cutoff/p${top}"\n)\n\n// ${comment}\nfunc main() {\n\tfmt.Println(p${top}.Name(1))\n}\n`;
}

const root = mkdtempSync(join(tmpdir(), 'gohot-bench-cutoff-'));
const mod = join(root, 'mod');
const out = join(root, 'out');
mkdirSync(join(out, 'tmp'), { recursive: true });
mkdirSync(mod);
writeFileSync(join(mod, 'go.mod'), 'module example.com/cutoff\n\ngo 1.21\n');
for (let i = 0; i < PACKAGES; i++) {
  mkdirSync(join(mod, `p${i}`));
  writeFileSync(join(mod, `p${i}`, `p${i}.go`), packageSource(i, 'start'));
}
writeFileSync(join(mod, 'main.go'), mainSource('start'));

const env = {
  ...process.env,
  GOTOOLCHAIN: 'local',
  GOFLAGS: '',
  GOWORK: 'off',
  // As gohot does: go's work directory beside the binary, on the same file system.
  GOTMPDIR: join(out, 'tmp'),
};

/** Builds to `output` as gohot does; returns the wall time in ms. */
function timedBuild(output) {
  const argv = build.buildArgs({
    output,
    pkg: '.',
    flags: [],
    tags: [],
    ldflags: build.DEV_LDFLAGS,
    buildvcs: false,
    json: false,
  });
  const t0 = performance.now();
  execFileSync(go, argv, { cwd: mod, env, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - t0;
}

const stable = join(out, 'app');
let edits = 0;
const editLib = () => writeFileSync(join(mod, 'p0', 'p0.go'), packageSource(0, `edit ${++edits}`));
const editMain = () => writeFileSync(join(mod, 'main.go'), mainSource(`edit ${++edits}`));
let fresh = 0;
const variants = {
  // A comment edit in p0 (every package depends on it) built to the existing binary.
  stable: () => {
    editLib();
    const ino = statSync(stable).ino;
    const ms = timedBuild(stable);
    return { ms, rewritten: statSync(stable).ino !== ino, file: stable };
  },
  // The same edit, built to a path that does not exist yet.
  fresh: () => {
    editLib();
    const dir = join(out, `fresh-${++fresh}`);
    mkdirSync(dir);
    const file = join(dir, 'app');
    const ms = timedBuild(file);
    return { ms, rewritten: true, file, dir };
  },
  // A comment edit in package main to the existing binary: main's action ID is part of the
  // link's, so go links again (into the same content).
  stableMain: () => {
    editMain();
    const ino = statSync(stable).ino;
    const ms = timedBuild(stable);
    return { ms, rewritten: statSync(stable).ino !== ino, file: stable };
  },
};

try {
  // Warm-up: compile everything once, and let both kinds of build run once.
  timedBuild(stable);
  const contentId = buildId.readBuildId(stable).contentId;
  variants.fresh();
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const rewrites = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
  const names = Object.keys(variants);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so machine load drifts hit every variant alike.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const r = variants[name]();
      samples[name].push(r.ms);
      if (r.rewritten) rewrites[name]++;
      // Every variant builds the same program: a comment edit changes no content ID.
      const got = buildId.readBuildId(r.file).contentId;
      if (got !== contentId) throw new Error(`${name}: content ID ${got}, expected ${contentId}`);
      if (r.dir) rmSync(r.dir, { recursive: true, force: true });
    }
  }
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return { median: q(0.5), p90: q(0.9), min: s[0], max: s.at(-1) };
  };
  const base = stats(samples.fresh).median;
  const rows = names.map((name) => {
    const s = stats(samples[name]);
    return {
      name,
      n: samples[name].length,
      rewritten: rewrites[name],
      ...s,
      ratio: s.median / base,
    };
  });
  const binaryMB = statSync(stable).size / 1e6;
  console.log(
    `comment-only edit, go build -o <path> (${PACKAGES} packages, ${binaryMB.toFixed(1)} MB binary; ms; ratio = median / fresh median)`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(11)} n=${r.n}  rewritten ${String(r.rewritten).padStart(2)}x  median ${r.median.toFixed(0).padStart(5)}  p90 ${r.p90.toFixed(0).padStart(5)}  min ${r.min.toFixed(0).padStart(5)}  ratio ${r.ratio.toFixed(2)}`,
    );
  }
  console.log(
    JSON.stringify({
      bench: 'early-cutoff',
      go: execFileSync(go, ['env', 'GOVERSION'], { env }).toString().trim(),
      packages: PACKAGES,
      binaryBytes: statSync(stable).size,
      rows,
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
