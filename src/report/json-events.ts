import type { Diagnostic } from '../go/types.js';
import type { RunEnd } from '../run/runner.js';
import type { AppEnd } from '../run/types.js';
import type { Batch, Trigger } from '../schedule/scheduler.js';
import type { RootStatus } from '../watch/types.js';
import { describeDecision, describeObservation } from './describe.js';
import type { ErrorInfo, SessionEvent } from './events.js';

/**
 * Version of the published event shapes (schema/events.schema.json, docs/events.md). A field
 * added keeps it; a field removed or changed in meaning raises it.
 */
export const EVENTS_SCHEMA_VERSION = 1;

/** A published event: its type, its monotonic time (ms) and the fields of that type. */
export type JsonEvent = { readonly type: string; readonly time: number } & Record<string, unknown>;

/** The first line of an event stream or NDJSON trace: version and wall-clock anchor. */
export interface JsonHeader {
  readonly type: 'header';
  readonly schemaVersion: number;
  readonly gohotVersion: string;
  /** The monotonic time (ms, performance.now()) at which `wallClockMs` was read. */
  readonly time: number;
  /** Milliseconds since the Unix epoch at `time`: date = wallClockMs + (t - time). */
  readonly wallClockMs: number;
  /** `wallClockMs` as an ISO 8601 date. */
  readonly wallClock: string;
  readonly pid: number;
}

/** The header line, read from the clocks now. */
export function jsonHeader(
  gohotVersion: string,
  now: () => number = () => performance.now(),
): JsonHeader {
  const wallClockMs = Date.now();
  return {
    type: 'header',
    schemaVersion: EVENTS_SCHEMA_VERSION,
    gohotVersion,
    time: now(),
    wallClockMs,
    wallClock: new Date(wallClockMs).toISOString(),
    pid: process.pid,
  };
}

/** What a projection may need besides the event: the directory `text` fields are relative to. */
export interface ProjectionContext {
  readonly cwd: string;
}

type Projection<K extends SessionEvent['type']> = (
  event: Extract<SessionEvent, { type: K }>,
  ctx: ProjectionContext,
) => Record<string, unknown>;

/** A value of plain data as JSON would carry it (undefined fields dropped). */
const plain = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

const error = (e: ErrorInfo) => ({
  code: orNull(e.code),
  message: e.message,
  hint: orNull(e.hint),
});

const root = (r: RootStatus) => ({
  root: r.root,
  backend: r.backend,
  reason: plain(r.reason),
  pollIntervalMs: orNull(r.pollIntervalMs),
});

const diagnostic = (d: Diagnostic) => ({
  file: orNull(d.file),
  line: orNull(d.line),
  column: orNull(d.column),
  message: d.message,
  importPath: orNull(d.importPath),
});

const trigger = (t: Trigger) => ({
  kind: t.kind,
  files: 'files' in t ? [...t.files] : [],
  cause: 'cause' in t ? t.cause : null,
});

const batch = (b: Batch) => ({
  generation: b.generation,
  files: [...b.files],
  triggers: b.triggers.map(trigger),
});

/** How a rule or hook command ended (a cancelled one has its own event). */
const commandEnd = (e: Exclude<RunEnd, { status: 'cancelled' }>) => ({
  status: e.status,
  code: e.status === 'exited' ? e.code : null,
  signal: e.status === 'killed' ? e.signal : null,
  timeoutMs: e.status === 'timed-out' ? e.timeoutMs : null,
  error: e.status === 'not-started' ? String(e.error) : null,
});

const appEnd = (a: AppEnd) =>
  a.kind === 'exited'
    ? { kind: 'exited', code: a.code, signal: null }
    : { kind: 'killed', code: null, signal: a.signal };

/**
 * How each SessionEvent type is published: one entry per type, checked by the compiler
 * (a new event type without a projection does not build) and by a test against the schema.
 */
export const JSON_PROJECTIONS = {
  started: (e) => ({
    goVersion: e.goVersion,
    moduleRoot: e.moduleRoot,
    mainPackage: e.mainPackage,
    configSource: orNull(e.configSource),
    runDir: e.runDir,
    roots: e.roots.map(root),
    trackedFiles: e.trackedFiles,
    polledSubtrees: e.polledSubtrees,
  }),
  decision: (e, ctx) => {
    const subject = e.subject;
    return {
      stage: e.stage,
      action: e.action,
      path: typeof subject === 'string' ? subject : null,
      generation: typeof subject === 'number' ? subject : null,
      trigger: typeof subject === 'object' ? trigger(subject) : null,
      reason: 'reason' in e ? plain(e.reason) : null,
      change:
        'change' in e ? { path: e.change.path, kind: e.change.kind, via: e.change.via } : null,
      batch: 'batch' in e ? batch(e.batch) : null,
      durationMs: 'durationMs' in e ? orNull(e.durationMs) : null,
      text: describeDecision(e, ctx.cwd),
    };
  },
  watch: (e, ctx) => {
    const { level, text } = describeObservation(e.observation, ctx.cwd);
    return { observation: plain(e.observation), level, text };
  },
  'build-started': (e) => ({ generation: e.generation, files: [...e.files] }),
  'build-failed': (e) => ({
    generation: e.batch.generation,
    files: [...e.batch.files],
    diagnostics: e.diagnostics.map(diagnostic),
    text: e.text,
    durationMs: e.durationMs,
    keptPid: orNull(e.keptPid),
  }),
  'rule-started': (e) => ({ generation: e.generation, rule: e.rule }),
  'rule-failed': (e) => ({
    generation: e.batch.generation,
    files: [...e.batch.files],
    rule: e.rule,
    end: commandEnd(e.end),
    text: e.text,
    durationMs: e.durationMs,
    keptPid: orNull(e.keptPid),
  }),
  'rule-cancelled': (e) => ({ generation: e.generation, rule: e.rule, reason: plain(e.reason) }),
  'hook-output': (e) => ({ hook: e.hook, stream: e.stream, text: e.text }),
  'hook-failed': (e) => ({
    hook: e.hook,
    command: [...e.command],
    end: commandEnd(e.end),
    keptPid: orNull(e.keptPid),
  }),
  reloaded: (e) => ({
    generation: e.batch.generation,
    files: [...e.batch.files],
    rulesMs: orNull(e.rulesMs),
    buildMs: e.buildMs,
    restartMs: e.restartMs,
    pid: e.pid,
    first: e.first,
    timings: { ...e.timings, readyMs: orNull(e.timings.readyMs) },
    ready: {
      status: e.ready.status,
      how: 'how' in e.ready ? e.ready.how : null,
      ms: 'ms' in e.ready ? e.ready.ms : null,
      timeoutMs: 'timeoutMs' in e.ready ? e.ready.timeoutMs : null,
    },
  }),
  'build-progress': (e) => ({
    generation: e.generation,
    done: e.done,
    total: orNull(e.total),
    elapsedMs: e.elapsedMs,
  }),
  'app-stopping': (e) => ({ pid: e.pid, signal: e.signal }),
  'app-stopped': (e) => ({ pid: e.pid, durationMs: e.durationMs, sigkill: e.sigkill }),
  'app-started': (e) => ({ pid: e.pid }),
  'app-ready': (e) => ({ pid: e.pid, how: e.how, ms: e.ms }),
  ended: () => ({}),
  'assets-changed': (e) => ({ files: [...e.files] }),
  'proxy-listening': (e) => ({ url: e.url, target: e.target }),
  'sockets-held': (e) => ({ sockets: e.sockets.map((s) => ({ ...s })) }),
  restarted: (e) => ({
    generation: e.batch.generation,
    files: [...e.batch.files],
    restartMs: e.restartMs,
    pid: e.pid,
  }),
  'app-exited': (e) => ({ pid: e.pid, end: appEnd(e.exit.app) }),
  'orphan-reaped': (e) => ({ appPid: e.appPid, gohotPid: e.gohotPid }),
  'config-reloaded': (e) => ({ changed: [...e.changed], atNextStart: [...e.atNextStart] }),
  'config-rejected': (e) => ({ error: error(e.error) }),
  'main-kept': (e) => ({ error: error(e.error), main: e.main }),
  'roots-changed': (e) => ({ roots: [...e.roots] }),
  'model-listed': (e) => ({
    packages: e.packages,
    editable: e.editable,
    files: e.files,
    errors: e.errors.map((x) => ({ importPath: x.importPath, message: x.message })),
    durationMs: e.durationMs,
    first: e.first,
  }),
  tiers: (e) => ({
    hot: e.hot,
    cold: e.cold,
    pollIntervals: e.pollIntervals
      ? { hotMs: e.pollIntervals.hotMs, coldMs: e.pollIntervals.coldMs }
      : null,
    first: e.first,
  }),
  'model-kept': (e) => ({
    reason: { by: e.reason.by, error: orNull(e.reason.error) },
    kept: e.kept,
  }),
  failed: (e) => ({
    during: e.during,
    generation: orNull(e.generation),
    error: error(e.error),
  }),
  stopping: (e) => ({ reason: plain(e.reason) }),
  'watcher-started': (e) => ({
    roots: e.roots.map(root),
    watchedDirs: e.watchedDirs,
    trackedFiles: e.trackedFiles,
    polledTrees: e.polledTrees,
    durationMs: e.durationMs,
  }),
  'watcher-stopped': (e) => ({
    roots: [...e.roots],
    watchedDirs: e.watchedDirs,
    misses: e.misses,
  }),
  'changes-observed': (e) => ({
    changes: e.changes.map((c) => ({ path: c.path, kind: c.kind, via: c.via })),
  }),
  'model-list-started': (e) => ({ first: e.first }),
  'build-finished': (e) => ({
    generation: e.generation,
    durationMs: e.durationMs,
    output: e.output,
  }),
  'build-trace': (e) => ({
    generation: e.generation,
    spans: e.spans.map((s) => ({
      name: s.name,
      startUs: s.startUs,
      durationUs: s.durationUs,
      lane: s.lane,
    })),
  }),
} satisfies { readonly [K in SessionEvent['type']]: Projection<K> };

/** The published form of `event` (docs/events.md): absolute paths, no internal objects. */
export function toJsonEvent(event: SessionEvent, ctx: ProjectionContext): JsonEvent {
  const project = JSON_PROJECTIONS[event.type] as Projection<typeof event.type>;
  return { type: event.type, time: event.time, ...project(event as never, ctx) };
}

/** The shared parts of published events, for the projections of `gohot test` (test-json-events.ts). */
export {
  batch as jsonBatch,
  diagnostic as jsonDiagnostic,
  root as jsonRoot,
  trigger as jsonTrigger,
};
