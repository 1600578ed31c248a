// What tracing costs per event, and that it costs nothing when off: the same realistic
// events (a reload: changes observed, classified, queued, built, restarted; plus watcher
// decisions) go through the session's emitter to
//   noop      a reporter that does nothing (the floor: stamping and dispatch only)
//   before    the terminal reporter alone, without the events added for the trace
//             (changes-observed, build-finished): what gohot did before it had a trace
//   off       the terminal reporter alone, as gohot runs without --trace (the default)
//   ndjson    the terminal reporter plus an NDJSON trace file (--trace f)
//   chrome    the terminal reporter plus a Chrome trace file (--trace f --trace-format chrome)
//   json      the --reporter json stream (to a no-op stdout) instead of the terminal
// all in the same run, alternating, as ratios against `off` and `noop`.
//
//   npm run build && node bench/trace-cost.mjs [--events=20000] [--rounds=15]
//
// The terminal's lines go to a function that drops them (the cost of a TTY is not gohot's);
// trace files are written to a private temp directory and flushed as gohot does.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const EVENTS = Number(args.events ?? 20000);
const ROUNDS = Number(args.rounds ?? 15);

let mod;
try {
  mod = {
    ...(await import('../dist/report/events.js')),
    ...(await import('../dist/report/terminal.js')),
    ...(await import('../dist/report/fan-out.js')),
    ...(await import('../dist/report/json-events.js')),
    ...(await import('../dist/report/json-reporter.js')),
    ...(await import('../dist/trace/open-trace.js')),
  };
} catch (err) {
  console.error(
    `Cannot import the compiled reporters from dist/ (${err.message}). Run \`npm run build\` first.`,
  );
  process.exit(1);
}
const { createEmitter, createTerminalReporter, fanOut, jsonHeader, createJsonReporter, openTrace } =
  mod;

const root = '/src/app';
const file = `${root}/internal/api/handler.go`;
const batch = (g) => ({
  generation: g,
  triggers: [{ kind: 'change', files: [file] }],
  files: [file],
});
/** One reload's events, as the session emits them, for generation g. */
function reload(g) {
  const change = { path: file, kind: 'modified', via: 'event' };
  return [
    {
      type: 'decision',
      stage: 'watch',
      action: 'skip-file',
      subject: `${root}/.handler.go.swp`,
      reason: { by: 'no-match' },
    },
    { type: 'changes-observed', changes: [change] },
    {
      type: 'decision',
      stage: 'classify',
      action: 'rebuild',
      subject: file,
      reason: {
        by: 'package-source',
        pkg: 'example.com/app/internal/api',
        role: 'go',
        edit: 'code',
      },
      change,
      relist: false,
    },
    {
      type: 'decision',
      stage: 'schedule',
      action: 'queue',
      subject: { kind: 'change', files: [file] },
      reason: { quietWindowMs: 10 },
    },
    { type: 'decision', stage: 'schedule', action: 'start', subject: g, batch: batch(g) },
    { type: 'build-started', generation: g, files: [file] },
    { type: 'build-finished', generation: g, durationMs: 412, output: '/run/gohot/app-1/app' },
    {
      type: 'decision',
      stage: 'build',
      action: 'restart',
      subject: g,
      reason: { by: 'binary-changed', from: 'a', to: 'b' },
    },
    { type: 'reloaded', batch: batch(g), buildMs: 412, restartMs: 35, pid: 4242, first: false },
    { type: 'decision', stage: 'schedule', action: 'finish', subject: g, outcome: 'done' },
  ];
}
/** The event types the trace added; `before` leaves them out. */
const ADDED = new Set(['changes-observed', 'build-finished']);
const perReload = reload(1).length;
const reloads = Math.ceil(EVENTS / perReload);

const dir = mkdtempSync(join(tmpdir(), 'gohot-bench-trace-'));
const header = jsonHeader('bench');
const terminal = () => createTerminalReporter({ write: () => {}, color: false, cwd: root });
const variants = {
  noop: () => ({ reporter: { report() {} }, close() {} }),
  before: () => ({ reporter: terminal(), close() {}, only: (e) => !ADDED.has(e.type) }),
  off: () => ({ reporter: terminal(), close() {} }),
  ndjson: () => {
    const t = openTrace(
      { file: join(dir, 'trace.ndjson'), format: 'ndjson' },
      header,
      root,
      () => {},
    );
    return { reporter: fanOut([terminal(), t]), close: () => t.close() };
  },
  chrome: () => {
    const t = openTrace(
      { file: join(dir, 'trace.json'), format: 'chrome' },
      header,
      root,
      () => {},
    );
    return { reporter: fanOut([terminal(), t]), close: () => t.close() };
  },
  json: () => {
    const j = createJsonReporter({ header, cwd: root, write: () => {} });
    return { reporter: j, close: () => j.close() };
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** CPU µs per reload of one round of `name` (the file is opened and closed inside the round). */
function round(name) {
  const cpu0 = process.cpuUsage();
  const v = variants[name]();
  const emit = createEmitter(v.reporter);
  const only = v.only ?? (() => true);
  for (let g = 1; g <= reloads; g++) for (const e of reload(g)) if (only(e)) emit(e);
  v.close();
  const d = process.cpuUsage(cpu0);
  return (d.user + d.system) / reloads;
}

for (const name of Object.keys(variants)) round(name); // warm-up
const samples = Object.fromEntries(Object.keys(variants).map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++)
  for (const name of Object.keys(variants)) samples[name].push(round(name));
rmSync(dir, { recursive: true, force: true });

const us = Object.fromEntries(Object.entries(samples).map(([n, xs]) => [n, median(xs)]));
const result = {
  bench: 'trace-cost',
  cpu: cpus()[0]?.model,
  events: reloads * perReload,
  rounds: ROUNDS,
  eventsPerReload: perReload,
  cpuUsPerReload: Object.fromEntries(Object.entries(us).map(([n, v]) => [n, Number(v.toFixed(3))])),
  ratioToOff: Object.fromEntries(
    Object.entries(us).map(([n, v]) => [n, Number((v / us.off).toFixed(2))]),
  ),
  ratioToNoop: Object.fromEntries(
    Object.entries(us).map(([n, v]) => [n, Number((v / us.noop).toFixed(2))]),
  ),
};
console.log(JSON.stringify(result));
console.log('\nvariant  CPU µs/reload   x off   x noop');
for (const n of Object.keys(us)) {
  console.log(
    `${n.padEnd(9)} ${us[n].toFixed(3).padStart(12)} ${result.ratioToOff[n].toFixed(2).padStart(7)} ${result.ratioToNoop[n].toFixed(2).padStart(8)}`,
  );
}
console.log(
  `\nWithout --trace gohot runs "off": ${us.off.toFixed(1)} µs of CPU per reload of ${perReload} events, ${result.ratioToOff.before}x of that before the trace's events existed ("before").`,
);
