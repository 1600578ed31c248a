// CPU cost of goFileFacts (scan a .go file, hash its tokens and their lines, collect its
// imports, constraints and embeds) on a 2,000-line real Go file, against hashing the same text
// with sha1 (what the watcher pays per changed file anyway) and against a bare
// Buffer.from(source).toString() copy, all in the same run.
//
//   npm run build && node bench/scanner.mjs [--lines=2000] [--rounds=30] [--per-round=50]
//
// The file is the first --lines lines of $(go env GOROOT)/src/net/http/server.go (cut back to
// the last line where it still scans without error). Prints one JSON line, then a table.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const LINES = Number(args.lines ?? 2000);
const ROUNDS = Number(args.rounds ?? 30);
const PER_ROUND = Number(args['per-round'] ?? 50);
const WARMUP = 300;

let goFileFacts;
try {
  ({ goFileFacts } = await import('../dist/go/file-facts.js'));
} catch (err) {
  console.error(
    `Cannot import the compiled scanner from dist/ (${err.message}). Run \`npm run build\` first.`,
  );
  process.exit(1);
}

const goroot = execFileSync(process.env.GOHOT_GO || 'go', ['env', 'GOROOT'], {
  encoding: 'utf8',
  env: { ...process.env, GOTOOLCHAIN: 'local' },
}).trim();
const file = join(goroot, 'src', 'net', 'http', 'server.go');
const all = readFileSync(file, 'utf8').split('\n');
let lines = Math.min(LINES, all.length);
let source = `${all.slice(0, lines).join('\n')}\n`;
// A cut inside a raw string or comment would not scan and take the whole-text path.
while (goFileFacts(source).scanError !== undefined && lines > 1) {
  lines--;
  source = `${all.slice(0, lines).join('\n')}\n`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median CPU ms per call of fn(source), over ROUNDS rounds of PER_ROUND calls. */
function measure(fn) {
  for (let i = 0; i < WARMUP; i++) fn(source);
  const perCall = [];
  for (let r = 0; r < ROUNDS; r++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < PER_ROUND; i++) fn(source);
    const d = process.cpuUsage(cpu0);
    perCall.push((d.user + d.system) / 1000 / PER_ROUND);
  }
  return median(perCall);
}

let sink = 0;
const facts = measure((s) => {
  sink += goFileFacts(s).tokens.length;
});
const sha1 = measure((s) => {
  sink += createHash('sha1').update(s).digest('hex').length;
});
const copy = measure((s) => {
  sink += Buffer.from(s).toString().length;
});
if (sink === 0) throw new Error('unreachable: keeps the calls from being optimised away');

const f = goFileFacts(source);
const report = {
  bench: 'scanner',
  node: process.version,
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  file: `${file} (first ${lines} lines)`,
  lines,
  bytes: Buffer.byteLength(source),
  imports: f.imports.length,
  factsMs: round(facts, 3),
  sha1Ms: round(sha1, 3),
  copyMs: round(copy, 3),
  factsPerSha1: round(facts / sha1, 1),
  factsPerCopy: round(facts / copy, 1),
};
console.log(JSON.stringify(report));
console.log();
console.log(`${lines} lines, ${report.bytes} bytes of net/http/server.go`);
console.log('goFileFacts    sha1 of text   Buffer copy   facts/sha1   facts/copy');
console.log(
  [
    pad(`${report.factsMs} ms`, 11),
    pad(`${report.sha1Ms} ms`, 14),
    pad(`${report.copyMs} ms`, 13),
    pad(`${report.factsPerSha1}x`, 12),
    pad(`${report.factsPerCopy}x`, 12),
  ].join(' '),
);

function round(x, digits = 1) {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

function pad(value, width) {
  return String(value).padStart(width);
}
