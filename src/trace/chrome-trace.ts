import path from 'node:path';
import type { GoTraceSpan } from '../go/debug-trace.js';
import type { SessionEvent } from '../report/events.js';
import type { ClosableReporter } from '../report/fan-out.js';
import type { JsonHeader } from '../report/json-events.js';
import type { BufferedSink } from './buffered-sink.js';

/** The tracks of a Chrome trace: one per pipeline stage, plus the session's own. */
export const CHROME_TRACKS = {
  session: 0,
  watch: 1,
  classify: 2,
  schedule: 3,
  model: 4,
  build: 5,
  run: 6,
} as const;

type Track = keyof typeof CHROME_TRACKS;

/** go's worker lanes get tids from here on (lane 0 is tid 100), below the build track. */
export const GO_LANE_TID = 100;

/** One event of the Chrome Trace Event Format, as gohot writes it. */
export interface ChromeEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: 'X' | 'i' | 'M';
  /** Microseconds (of gohot's monotonic clock). */
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  /** Scope of an instant: the thread (track). */
  readonly s?: 't';
  readonly args?: Record<string, unknown>;
}

const PID = 1;
const us = (ms: number) => Math.round(ms * 1000);

/**
 * Writes events as a Chrome trace (`{"otherData":...,"traceEvents":[...]}`), which Perfetto
 * and chrome://tracing open as a timeline: spans (`X`) for the watcher's start, go list,
 * builds, cycles and restarts, instants (`i`) for everything else, one track per stage, and
 * the go command's own spans (`build-trace`) on lanes under the build track, aligned to the
 * start of their build. The array is written as events come; `close()` ends it.
 */
export function createChromeTraceReporter(
  sink: BufferedSink,
  header: JsonHeader,
): ClosableReporter {
  let first = true;
  const put = (e: ChromeEvent) => {
    sink.append(`${first ? '' : ',\n'}${JSON.stringify(e)}`);
    first = false;
  };
  const otherData = {
    schemaVersion: header.schemaVersion,
    gohotVersion: header.gohotVersion,
    // ts (µs) of the moment wallClockMs was read: date = wallClockMs + (ts - anchorTs) / 1000.
    anchorTs: us(header.time),
    wallClockMs: header.wallClockMs,
    wallClock: header.wallClock,
  };
  sink.append(`{"otherData":${JSON.stringify(otherData)},"traceEvents":[\n`);
  const meta = (name: string, tid: number, args: Record<string, unknown>) =>
    put({ name, ph: 'M', ts: 0, pid: PID, tid, args });
  meta('process_name', 0, { name: `gohot (pid ${header.pid})` });
  for (const [track, tid] of Object.entries(CHROME_TRACKS)) {
    meta('thread_name', tid, { name: track });
    meta('thread_sort_index', tid, { sort_index: tid });
  }

  const span = (track: Track, name: string, startMs: number, endMs: number, args = {}) =>
    put({
      name,
      cat: track,
      ph: 'X',
      ts: us(startMs),
      dur: Math.max(0, us(endMs) - us(startMs)),
      pid: PID,
      tid: CHROME_TRACKS[track],
      args,
    });
  const instant = (track: Track, name: string, timeMs: number, args = {}) =>
    put({
      name,
      cat: track,
      ph: 'i',
      s: 't',
      ts: us(timeMs),
      pid: PID,
      tid: CHROME_TRACKS[track],
      args,
    });

  const buildStarts = new Map<number, number>();
  const cycleStarts = new Map<number, number>();
  let listStart: number | undefined;
  const lanes = new Set<number>();
  const goSpans = (generation: number, spans: readonly GoTraceSpan[], at: number) => {
    const base = buildStarts.get(generation) ?? at;
    for (const s of spans) {
      const tid = GO_LANE_TID + s.lane;
      if (!lanes.has(s.lane)) {
        lanes.add(s.lane);
        meta('thread_name', tid, { name: `go build (lane ${s.lane})` });
        meta('thread_sort_index', tid, { sort_index: CHROME_TRACKS.build * 10 + s.lane });
      }
      put({
        name: s.name,
        cat: 'go',
        ph: 'X',
        ts: Math.round(us(base) + s.startUs),
        dur: Math.round(s.durationUs),
        pid: PID,
        tid,
        args: { generation },
      });
    }
  };
  const endBuild = (generation: number, time: number, durationMs: number, outcome: string) => {
    const start = buildStarts.get(generation) ?? time - durationMs;
    buildStarts.delete(generation);
    return (args: Record<string, unknown>) =>
      span('build', `build #${generation} ${outcome}`, start, time, { generation, ...args });
  };

  return {
    report(e: SessionEvent) {
      switch (e.type) {
        case 'watcher-started':
          span('watch', 'watcher ready', e.time - e.durationMs, e.time, {
            roots: e.roots.map((r) => `${r.root} (${r.backend})`),
            watchedDirs: e.watchedDirs,
            trackedFiles: e.trackedFiles,
            polledTrees: e.polledTrees,
          });
          return;
        case 'watcher-stopped':
          instant('watch', 'watcher stopped', e.time, { ...e, time: undefined });
          return;
        case 'watch':
          instant('watch', e.observation.type, e.time, { observation: e.observation });
          return;
        case 'changes-observed':
          instant('watch', `${e.changes.length} change(s)`, e.time, {
            changes: e.changes.map((c) => `${c.kind} ${c.path} (${c.via})`),
          });
          return;
        case 'decision':
          if (e.stage === 'schedule' && e.action === 'start') {
            cycleStarts.set(e.subject, e.time);
            instant('schedule', `cycle #${e.subject} starts`, e.time, {
              files: e.batch.files,
              triggers: e.batch.triggers.map((t) => t.kind),
            });
          } else if (e.stage === 'schedule' && e.action === 'finish') {
            const start = cycleStarts.get(e.subject) ?? e.time;
            cycleStarts.delete(e.subject);
            span('schedule', `cycle #${e.subject} ${e.outcome}`, start, e.time);
          } else if (e.stage === 'build' && e.action === 'cancel') {
            endBuild(e.subject, e.time, e.durationMs ?? 0, 'cancelled')({ reason: e.reason });
          } else if (e.stage === 'build' && (e.action === 'keep' || e.action === 'restart')) {
            instant('run', `${e.action} app`, e.time, { reason: e.reason });
          } else {
            const name =
              typeof e.subject === 'string'
                ? `${e.action} ${path.basename(e.subject)}`
                : `${e.action} #${typeof e.subject === 'number' ? e.subject : e.subject.kind}`;
            instant(e.stage, name, e.time, { ...e, time: undefined, type: undefined });
          }
          return;
        case 'model-list-started':
          listStart = e.time;
          return;
        case 'model-listed':
          span('model', 'go list', listStart ?? e.time - e.durationMs, e.time, {
            packages: e.packages,
            editable: e.editable,
            files: e.files,
            errors: e.errors.length,
          });
          listStart = undefined;
          return;
        case 'model-kept':
          span('model', `go list: ${e.reason.by}`, listStart ?? e.time, e.time, {
            reason: e.reason,
            kept: e.kept,
          });
          listStart = undefined;
          return;
        case 'build-started':
          buildStarts.set(e.generation, e.time);
          return;
        case 'build-trace':
          goSpans(e.generation, e.spans, e.time);
          return;
        case 'build-finished':
          endBuild(e.generation, e.time, e.durationMs, 'built')({ output: e.output });
          return;
        case 'build-failed':
          endBuild(
            e.batch.generation,
            e.time,
            e.durationMs,
            'failed',
          )({
            diagnostics: e.diagnostics.length,
            first: e.diagnostics[0]?.message,
          });
          return;
        case 'reloaded':
          span(
            'run',
            `${e.first ? 'start' : 'restart'} pid ${e.pid}`,
            e.time - e.restartMs,
            e.time,
            {
              generation: e.batch.generation,
            },
          );
          return;
        case 'restarted':
          span('run', `restart pid ${e.pid} (no build)`, e.time - e.restartMs, e.time, {
            generation: e.batch.generation,
          });
          return;
        case 'app-exited':
          instant('run', `app pid ${e.pid} exited`, e.time, { end: e.exit.app });
          return;
        case 'tiers':
        case 'roots-changed':
          instant('watch', e.type, e.time, { ...e, time: undefined });
          return;
        default:
          instant('session', e.type, e.time, { ...e, time: undefined });
      }
    },
    close() {
      sink.close('\n],"displayTimeUnit":"ms"}\n');
    },
  };
}
