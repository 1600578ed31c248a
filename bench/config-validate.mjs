// Cost of reading a large gohot.json: parse, validate and format the error for files with
// 10,000 and 20,000 keys. Linear work doubles from one size to the next (ratio ~2); the
// old per-issue rescan of the text to find line:col made it ~4.
//
//   npm run build && node bench/config-validate.mjs [--sizes=10000,20000] [--repeats=9]
//
// Prints one JSON line, then a table of the fastest runs for humans; the ratio is of the
// fastest runs, the least disturbed by other load. Scenarios:
//   unknown-keys  N unknown top-level keys of 7 characters, one per line: N issues, each
//                 with a position and a did-you-mean search
//   env-vars      N valid build.env variables: no issue, the plain validation path
//   bad-env       N build.env variables whose values hold a NUL: N issues deep in the file
let load;
try {
  load = await import('../dist/config/load-config.js');
} catch (err) {
  console.error(
    `Cannot import the compiled config loader from dist/ (${err.message}). Run \`npm run build\` first.`,
  );
  process.exit(1);
}

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const SIZES = (args.sizes ?? '10000,20000').split(',').map(Number);
const REPEATS = Number(args.repeats ?? 9);

const scenarios = {
  // Keys of one length, so each costs the same did-you-mean search.
  'unknown-keys': (n) =>
    `{\n${Array.from({ length: n }, (_, i) => `  "k${String(i).padStart(6, '0')}": ${i}`).join(',\n')}\n}\n`,
  'env-vars': (n) =>
    `{\n  "build": {\n    "env": {\n${Array.from({ length: n }, (_, i) => `      "VAR_${i}": "${i}"`).join(',\n')}\n    }\n  }\n}\n`,
  'bad-env': (n) =>
    `{\n  "build": {\n    "env": {\n${Array.from({ length: n }, (_, i) => `      "VAR_${i}": "a\\u0000${i}"`).join(',\n')}\n    }\n  }\n}\n`,
};

/** Parses and validates `text` once; returns the length of the error message (or 0). */
function readOnce(text) {
  try {
    load.parseConfigText(text, 'gohot.json');
    return 0;
  } catch (err) {
    if (err?.name !== 'GohotError') throw err;
    return err.message.length;
  }
}

/**
 * Wall time in ms of REPEATS runs after one warm-up run: the fastest (the least disturbed by
 * other load on the machine, so the ratio uses it) and the median.
 */
function timeMs(text) {
  readOnce(text);
  const times = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    readOnce(text);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { minMs: times[0], medianMs: times[Math.floor(times.length / 2)] };
}

const results = [];
for (const [name, make] of Object.entries(scenarios)) {
  const row = { scenario: name, sizes: {} };
  for (const n of SIZES) {
    const text = make(n);
    const { minMs, medianMs } = timeMs(text);
    row.sizes[n] = {
      bytes: text.length,
      minMs: Number(minMs.toFixed(2)),
      medianMs: Number(medianMs.toFixed(2)),
    };
  }
  const [a, b] = SIZES;
  if (a !== undefined && b !== undefined) {
    row.ratio = Number((row.sizes[b].minMs / row.sizes[a].minMs).toFixed(2));
    row.sizeRatio = b / a;
  }
  results.push(row);
}

console.log(JSON.stringify({ bench: 'config-validate', repeats: REPEATS, results }));
console.log('');
console.log(
  ['scenario'.padEnd(14), ...SIZES.map((n) => `${n} keys`.padStart(14)), 'ratio'.padStart(8)].join(
    ' ',
  ),
);
for (const r of results) {
  console.log(
    [
      r.scenario.padEnd(14),
      ...SIZES.map((n) => `${r.sizes[n].minMs.toFixed(1)} ms`.padStart(14)),
      String(r.ratio ?? '').padStart(8),
    ].join(' '),
  );
}
