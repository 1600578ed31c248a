import { describe, expect, it } from 'vitest';
import {
  EVENTS_SCHEMA,
  eventSchemaErrors,
  schemaEventTypes,
} from '../../test/helpers/event-schema.js';
import type { Batch } from '../schedule/scheduler.js';
import type { Decision, SessionEvent } from './events.js';
import { EVENTS_SCHEMA_VERSION, JSON_PROJECTIONS, jsonHeader, toJsonEvent } from './json-events.js';
import { TEST_JSON_PROJECTIONS } from './test-json-events.js';

const batch: Batch = {
  generation: 3,
  triggers: [{ kind: 'change', files: ['/m/a.go'] }, { kind: 'manual' }],
  files: ['/m/a.go'],
};
const root = { root: '/m', backend: 'native', reason: { by: 'fs', fsType: 'ext4' } } as const;
const err = { code: 'CONFIG_INVALID', message: 'Bad.', hint: undefined };

/**
 * One realistic event of every type. Typed as a record of every SessionEvent type: an event
 * type added later without a sample here does not compile, and the tests below then check
 * its projection against the published schema.
 */
const SAMPLES = {
  started: {
    type: 'started',
    time: 1,
    goVersion: 'go1.26.8',
    moduleRoot: '/m',
    mainPackage: '.',
    configSource: undefined,
    runDir: '/run/gohot/m-1',
    roots: [
      root,
      {
        root: '/lib',
        backend: 'poll',
        reason: { by: 'forced', forcedBy: '--poll' },
        pollIntervalMs: 500,
      },
    ],
    trackedFiles: 3,
    polledSubtrees: 0,
  },
  decision: {
    type: 'decision',
    time: 2,
    stage: 'classify',
    action: 'rebuild',
    subject: '/m/a.go',
    reason: { by: 'package-source', pkg: 'example.com/m', role: 'go', edit: 'code' },
    change: { path: '/m/a.go', kind: 'modified', via: 'event' },
    relist: false,
  },
  watch: {
    type: 'watch',
    time: 3,
    observation: { type: 'switched-to-polling', root: '/m', misses: 3, intervalMs: 500 },
  },
  'build-started': { type: 'build-started', time: 4, generation: 3, files: ['/m/a.go'] },
  'build-failed': {
    type: 'build-failed',
    time: 5,
    batch,
    diagnostics: [
      { file: '/m/a.go', line: 3, column: 9, message: 'undefined: x', importPath: 'example.com/m' },
      {
        file: undefined,
        line: undefined,
        column: undefined,
        message: 'go: killed',
        importPath: undefined,
      },
    ],
    text: './a.go:3:9: undefined: x\n',
    durationMs: 120.5,
    keptPid: 42,
  },
  reloaded: {
    type: 'reloaded',
    time: 6,
    batch,
    buildMs: 300,
    restartMs: 20,
    pid: 43,
    first: false,
    timings: { quietWindowMs: 10, buildMs: 300, stopMs: 12, startMs: 3, readyMs: undefined },
    ready: { status: 'timed-out', how: 'http', timeoutMs: 30_000 },
  },
  'build-progress': {
    type: 'build-progress',
    time: 5.5,
    generation: 2,
    done: 40,
    total: undefined,
    elapsedMs: 2500,
  },
  'rule-started': { type: 'rule-started', time: 5.1, generation: 2, rule: 'templ' },
  'rule-failed': {
    type: 'rule-failed',
    time: 5.2,
    batch,
    rule: 'templ',
    end: { status: 'exited', code: 1 },
    text: 'page.templ:3: bad\n',
    durationMs: 40,
    keptPid: 42,
  },
  'rule-cancelled': {
    type: 'rule-cancelled',
    time: 5.25,
    generation: 2,
    rule: 'templ',
    reason: { by: 'shutdown' },
  },
  'hook-output': {
    type: 'hook-output',
    time: 5.3,
    hook: 'beforeStart',
    stream: 'stdout',
    text: 'migrated',
  },
  'hook-failed': {
    type: 'hook-failed',
    time: 5.4,
    hook: 'beforeStart',
    command: ['./migrate'],
    end: { status: 'timed-out', timeoutMs: 120_000 },
    keptPid: 42,
  },
  'app-stopping': { type: 'app-stopping', time: 5.6, pid: 42, signal: 'SIGTERM' },
  'app-stopped': { type: 'app-stopped', time: 5.7, pid: 42, durationMs: 12, sigkill: false },
  'app-started': { type: 'app-started', time: 5.8, pid: 43 },
  'app-ready': { type: 'app-ready', time: 5.9, pid: 43, how: 'tcp', ms: 35 },
  ended: { type: 'ended', time: 99 },
  'assets-changed': { type: 'assets-changed', time: 9.5, files: ['/m/static/app.css'] },
  'sockets-held': {
    type: 'sockets-held',
    time: 1.4,
    sockets: [
      { name: 'listen0', host: '127.0.0.1', port: 8080 },
      { name: 'metrics', host: '::1', port: 9090 },
    ],
  },
  'proxy-listening': {
    type: 'proxy-listening',
    time: 1.5,
    url: 'http://127.0.0.1:3000/',
    target: 'http://127.0.0.1:8080/',
  },
  restarted: { type: 'restarted', time: 7, batch, restartMs: 15, pid: 44 },
  'app-exited': {
    type: 'app-exited',
    time: 8,
    pid: 44,
    exit: { kind: 'ended', app: { kind: 'exited', code: 3 } },
  },
  'orphan-reaped': { type: 'orphan-reaped', time: 9, appPid: 10, gohotPid: 11 },
  'config-reloaded': {
    type: 'config-reloaded',
    time: 10,
    changed: ['watch.patterns', 'run.listen'],
    atNextStart: ['run.listen'],
  },
  'config-rejected': { type: 'config-rejected', time: 11, error: err },
  'main-kept': { type: 'main-kept', time: 12, error: err, main: './cmd/api' },
  'roots-changed': { type: 'roots-changed', time: 13, roots: ['/m', '/lib'] },
  'model-listed': {
    type: 'model-listed',
    time: 14,
    packages: 187,
    editable: 1,
    files: 2,
    errors: [{ importPath: 'example.com/m/x', message: 'no Go files' }],
    durationMs: 290,
    first: true,
  },
  tiers: {
    type: 'tiers',
    time: 15,
    hot: 3,
    cold: 0,
    pollIntervals: { hotMs: 500, coldMs: 2000 },
    first: true,
  },
  'model-kept': {
    type: 'model-kept',
    time: 16,
    reason: { by: 'list-failed', error: undefined },
    kept: true,
  },
  failed: { type: 'failed', time: 17, during: 'cycle', generation: 3, error: err },
  stopping: { type: 'stopping', time: 18, reason: { by: 'signal', signal: 'SIGINT' } },
  'watcher-started': {
    type: 'watcher-started',
    time: 19,
    roots: [root],
    watchedDirs: 4,
    trackedFiles: 3,
    polledTrees: 0,
    durationMs: 141,
  },
  'watcher-stopped': {
    type: 'watcher-stopped',
    time: 20,
    roots: ['/m'],
    watchedDirs: 4,
    misses: 0,
  },
  'changes-observed': {
    type: 'changes-observed',
    time: 21,
    changes: [{ path: '/m/a.go', kind: 'modified', via: 'reconcile', before: 'abc' }],
  },
  'model-list-started': { type: 'model-list-started', time: 22, first: true },
  'build-finished': {
    type: 'build-finished',
    time: 23,
    generation: 3,
    durationMs: 300,
    output: '/run/gohot/m-1/app',
  },
  'build-trace': {
    type: 'build-trace',
    time: 24,
    generation: 3,
    spans: [{ name: 'Running build command', startUs: 0, durationUs: 250_000, lane: 0 }],
  },
} satisfies { readonly [K in SessionEvent['type']]: Extract<SessionEvent, { type: K }> };

/** Decisions of the other stages: their subjects are generations and triggers, not paths. */
const MORE_DECISIONS: SessionEvent[] = [
  {
    type: 'decision',
    time: 30,
    stage: 'schedule',
    action: 'queue',
    subject: { kind: 'config', cause: 'roots-changed' },
    reason: { quietWindowMs: 10 },
  },
  { type: 'decision', time: 31, stage: 'schedule', action: 'start', subject: 3, batch },
  {
    type: 'decision',
    time: 32,
    stage: 'build',
    action: 'cancel',
    subject: 3,
    reason: { by: 'superseded', trigger: { kind: 'manual' } },
    durationMs: 12,
  },
  {
    type: 'decision',
    time: 33,
    stage: 'build',
    action: 'keep',
    subject: 3,
    reason: { by: 'identical-binary', contentId: 'aaa' },
    batch,
    pid: 43,
    durationMs: 200,
  },
  {
    type: 'decision',
    time: 34,
    stage: 'watch',
    action: 'skip-dir',
    subject: '/m/.git',
    reason: { by: 'hidden', name: '.git' },
  },
  { type: 'decision', time: 35, stage: 'schedule', action: 'finish', subject: 3, outcome: 'done' },
];

/** Every decision action; one added to Decision without being listed here does not compile. */
const ACTIONS = {
  'skip-dir': true,
  'skip-file': true,
  'skip-unchanged': true,
  rebuild: true,
  'relist-then-decide': true,
  'restart-only': true,
  'reload-only': true,
  ignore: true,
  'reload-config': true,
  'refresh-project': true,
  queue: true,
  start: true,
  cancel: true,
  keep: true,
  requeue: true,
  hold: true,
  retry: true,
  finish: true,
  skip: true,
  drop: true,
  restart: true,
} satisfies Record<Decision['action'], true>;

const validate = eventSchemaErrors();
const project = (e: SessionEvent) => toJsonEvent(e, { cwd: '/m' });

describe('the published event stream', () => {
  it('has a projection and a schema entry for every event type, and nothing else', () => {
    const types = Object.keys(SAMPLES).sort();
    expect(Object.keys(JSON_PROJECTIONS).sort()).toEqual(types);
    // `gohot test` publishes its own types in the same schema (test-json-events.test.ts).
    const published = ['header', ...types, ...Object.keys(TEST_JSON_PROJECTIONS)].sort();
    expect(schemaEventTypes().sort()).toEqual(published);
    const listed = (EVENTS_SCHEMA as unknown as { oneOf: { $ref: string }[] }).oneOf.map((r) =>
      r.$ref.replace('#/$defs/', ''),
    );
    expect(listed.sort()).toEqual(published);
  });

  it('the schema lists every decision action', () => {
    const decision = EVENTS_SCHEMA.$defs.decision!.properties!.action as { enum: string[] };
    expect([...decision.enum].sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it.each(Object.values(SAMPLES) as SessionEvent[])('$type validates against the schema', (e) => {
    const json = project(e);
    expect(json.type).toBe(e.type);
    expect(json.time).toBe(e.time);
    expect(validate(JSON.parse(JSON.stringify(json)))).toBeUndefined();
  });

  it.each(MORE_DECISIONS)('decision $stage/$action validates against the schema', (e) => {
    expect(validate(JSON.parse(JSON.stringify(project(e))))).toBeUndefined();
  });

  it('the header validates and anchors monotonic time to the wall clock', () => {
    const h = jsonHeader('0.1.0', () => 1234.5);
    expect(validate(h)).toBeUndefined();
    expect(h.schemaVersion).toBe(EVENTS_SCHEMA_VERSION);
    expect(h.time).toBe(1234.5);
    expect(new Date(h.wallClock).getTime()).toBe(h.wallClockMs);
  });

  it('the schema rejects what the projection must never publish', () => {
    const failed = JSON.parse(JSON.stringify(project(SAMPLES['build-failed'])));
    // Internal objects leaking through (the whole batch) are not part of the shape.
    expect(validate({ ...failed, batch })).toMatch(/additional properties/);
    expect(validate({ ...failed, diagnostics: [{ file: 'a.go' }] })).toMatch(/required/);
  });

  it('build errors carry file, line, column and message, absolute paths, null when unknown', () => {
    const json = project(SAMPLES['build-failed']);
    expect(json.diagnostics).toEqual([
      { file: '/m/a.go', line: 3, column: 9, message: 'undefined: x', importPath: 'example.com/m' },
      { file: null, line: null, column: null, message: 'go: killed', importPath: null },
    ]);
  });

  it('a decision names its subject by kind and says it in words', () => {
    const json = project(MORE_DECISIONS[2]!);
    expect(json).toMatchObject({
      stage: 'build',
      action: 'cancel',
      generation: 3,
      path: null,
      reason: { by: 'superseded' },
      durationMs: 12,
    });
    expect(json.text).toMatch(/build #3 cancelled after 12 ms/);
    // The watcher's internal hash of the file before the change is not published.
    expect(project(SAMPLES['changes-observed']).changes).toEqual([
      { path: '/m/a.go', kind: 'modified', via: 'reconcile' },
    ]);
  });
});
