import path from 'node:path';
import type { TestRunReason } from '../go/test-graph.js';
import { outputPosition, type TestFailure } from '../go/test-json.js';
import type { CancelReason } from '../schedule/scheduler.js';
import { describeCancel } from './describe.js';
import type { SessionEvent } from './events.js';
import {
  type JsonEvent,
  jsonBatch,
  jsonDiagnostic,
  jsonRoot,
  jsonTrigger,
  type ProjectionContext,
  toJsonEvent,
} from './json-events.js';
import type { PackageRun, TestEventBody, TestSessionEvent } from './test-events.js';

type TestEvent = TestEventBody & { readonly time: number };

type Projection<K extends TestEvent['type']> = (
  event: Extract<TestEvent, { type: K }>,
  ctx: ProjectionContext,
) => Record<string, unknown>;

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const runReason = (r: TestRunReason) => ({
  by: r.by,
  pkg: r.by === 'all' ? null : r.pkg,
  via: r.by === 'imports' ? r.via : null,
});

/**
 * The `file:line` positions in test output, absolute: `t.Error` lines name a file relative to
 * the package directory, stack frames an absolute one. Relative ones without a directory are
 * left out (they cannot be opened).
 */
export function outputPositions(lines: readonly string[], dir: string | undefined) {
  const positions: { file: string; line: number; message: string }[] = [];
  for (const l of lines) {
    const pos = outputPosition(l);
    if (pos === undefined) continue;
    const file = path.isAbsolute(pos.file)
      ? pos.file
      : dir === undefined
        ? undefined
        : path.join(dir, pos.file);
    if (file !== undefined) positions.push({ file, line: pos.line, message: pos.message });
  }
  return positions;
}

const failure = (f: TestFailure, dir: string | undefined) => ({
  test: f.test,
  output: [...f.output],
  positions: outputPositions(f.output, dir),
  hasFailedSubtests: f.hasFailedSubtests,
});

const packageRun = (p: PackageRun) => ({
  pkg: p.pkg,
  dir: orNull(p.dir),
  outcome: p.outcome,
  cached: p.cached,
  elapsedMs: p.elapsedMs,
  passed: p.passed,
  failed: p.failed,
  skipped: p.skipped,
  reason: runReason(p.reason),
  failures: p.failures.map((f) => failure(f, p.dir)),
  output: [...p.output],
  positions: outputPositions(p.output, p.dir),
});

const cancelReason = (r: CancelReason) =>
  r.by === 'superseded'
    ? { by: r.by, trigger: jsonTrigger(r.trigger) }
    : { by: r.by, trigger: null };

/**
 * How each event type of `gohot test` is published (docs/events.md#gohot-test): one entry per
 * type, checked by the compiler and by a test against schema/events.schema.json.
 */
export const TEST_JSON_PROJECTIONS = {
  'test-session-started': (e) => ({
    goVersion: e.goVersion,
    moduleRoot: e.moduleRoot,
    patterns: [...e.patterns],
    configSource: orNull(e.configSource),
    roots: e.roots.map(jsonRoot),
    trackedFiles: e.trackedFiles,
  }),
  'test-run-started': (e) => ({
    ...jsonBatch(e.batch),
    request: e.plan.request,
    run: [...e.plan.selection.run].map(([pkg, reason]) => ({ pkg, reason: runReason(reason) })),
    skipped: [...e.plan.selection.skipped],
    commands: e.commands.map((c) => [...c]),
  }),
  'test-run-finished': (e) => {
    const sum = (k: 'passed' | 'failed' | 'skipped') => e.packages.reduce((n, p) => n + p[k], 0);
    return {
      ...jsonBatch(e.batch),
      request: e.request,
      packages: e.packages.map(packageRun),
      skipped: [...e.skipped],
      counts: { passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped') },
      diagnostics: e.diagnostics.map(jsonDiagnostic),
      durationMs: e.durationMs,
    };
  },
  'test-run-cancelled': (e, ctx) => ({
    generation: e.generation,
    reason: cancelReason(e.reason),
    durationMs: e.durationMs,
    text: describeCancel(e.reason, ctx.cwd),
  }),
  'test-run-skipped': (e) => ({
    ...jsonBatch(e.batch),
    reason: {
      by: e.reason.by,
      files: 'files' in e.reason ? [...e.reason.files] : [],
    },
  }),
  'test-run-not-started': (e) => ({ generation: e.generation, message: e.message }),
} satisfies { readonly [K in TestEvent['type']]: Projection<K> };

const isTestEvent = (event: TestSessionEvent): event is TestEvent =>
  Object.hasOwn(TEST_JSON_PROJECTIONS, event.type);

/**
 * The published form of a `gohot test` event: its own projection, or the one `gohot run`
 * publishes for the events both share (decisions, watcher observations, go list).
 */
export function toTestJsonEvent(event: TestSessionEvent, ctx: ProjectionContext): JsonEvent {
  if (!isTestEvent(event)) return toJsonEvent(event as SessionEvent, ctx);
  const project = TEST_JSON_PROJECTIONS[event.type] as Projection<typeof event.type>;
  return { type: event.type, time: event.time, ...project(event as never, ctx) };
}
