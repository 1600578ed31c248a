import { describe, expect, it } from 'vitest';
import {
  EVENTS_SCHEMA,
  eventSchemaErrors,
  schemaEventTypes,
} from '../../test/helpers/event-schema.js';
import type { Batch } from '../schedule/scheduler.js';
import type { TestEventBody, TestSessionEvent } from './test-events.js';
import { TEST_JSON_PROJECTIONS, toTestJsonEvent } from './test-json-events.js';
import { createTestJsonReporter } from './test-json-reporter.js';

const batch: Batch = {
  generation: 2,
  triggers: [{ kind: 'change', files: ['/m/a/a.go'] }],
  files: ['/m/a/a.go'],
};
const root = { root: '/m', backend: 'native', reason: { by: 'fs', fsType: 'ext4' } } as const;

/**
 * One realistic event of every `gohot test` type. Typed as a record of every type: a type
 * added later without a sample here does not compile, and the tests below then check its
 * projection against the published schema.
 */
const SAMPLES = {
  'test-session-started': {
    type: 'test-session-started',
    time: 1,
    goVersion: 'go1.26.8',
    moduleRoot: '/m',
    patterns: ['./...'],
    configSource: undefined,
    roots: [root],
    trackedFiles: 9,
  },
  'test-run-started': {
    type: 'test-run-started',
    time: 2,
    batch,
    plan: {
      action: 'run',
      request: 'changes',
      selection: {
        run: new Map([
          ['ex/a', { by: 'changed', pkg: 'ex/a' }],
          ['ex/c', { by: 'imports', pkg: 'ex/a', via: 'ex/b' }],
        ]),
        skipped: ['ex/d'],
      },
      invocations: [{ packages: ['ex/a', 'ex/c'], run: undefined }],
    },
    commands: [['test', '-json', 'ex/a', 'ex/c']],
  },
  'test-run-finished': {
    type: 'test-run-finished',
    time: 3,
    batch,
    request: 'changes',
    packages: [
      {
        pkg: 'ex/a',
        dir: '/m/a',
        reason: { by: 'changed', pkg: 'ex/a' },
        outcome: 'fail',
        cached: false,
        elapsedMs: 5,
        passed: 1,
        failed: 1,
        skipped: 0,
        failures: [
          {
            pkg: 'ex/a',
            test: 'TestDouble',
            output: ['    a_test.go:11: Double() = 2, want 3', '\t/m/a/a.go:7 +0x28', 'more'],
            hasFailedSubtests: false,
          },
        ],
        output: [],
      },
      {
        pkg: 'ex/c',
        dir: undefined,
        reason: { by: 'all' },
        outcome: 'build-failed',
        cached: false,
        elapsedMs: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
        failures: [],
        output: ['    c_test.go:3: cannot be placed without a directory'],
      },
    ],
    skipped: ['ex/d'],
    diagnostics: [
      { file: '/m/c/c_test.go', line: 3, column: 9, message: 'undefined: x', importPath: 'ex/c' },
    ],
    durationMs: 1234,
  },
  'test-run-cancelled': {
    type: 'test-run-cancelled',
    time: 4,
    generation: 2,
    reason: { by: 'superseded', trigger: { kind: 'change', files: ['/m/a/a.go'] } },
    durationMs: 40,
  },
  'test-run-skipped': {
    type: 'test-run-skipped',
    time: 5,
    batch,
    reason: { by: 'nothing-affected', files: ['/m/README.md'] },
  },
  'test-run-not-started': {
    type: 'test-run-not-started',
    time: 6,
    generation: 3,
    message: 'go test could not be started: spawn go ENOENT.',
  },
} satisfies { readonly [K in TestEventBody['type']]: Extract<TestSessionEvent, { type: K }> };

const validate = eventSchemaErrors();
const project = (e: TestSessionEvent) =>
  JSON.parse(JSON.stringify(toTestJsonEvent(e, { cwd: '/m' }))) as Record<string, unknown>;

describe('the published events of gohot test', () => {
  it('has a projection and a schema entry for every test event type', () => {
    const types = Object.keys(SAMPLES).sort();
    expect(Object.keys(TEST_JSON_PROJECTIONS).sort()).toEqual(types);
    expect(schemaEventTypes().filter((t) => t.startsWith('test-'))).toEqual(
      expect.arrayContaining(types),
    );
    const listed = (EVENTS_SCHEMA as unknown as { oneOf: { $ref: string }[] }).oneOf.map((r) =>
      r.$ref.replace('#/$defs/', ''),
    );
    expect(listed).toEqual(expect.arrayContaining(types));
  });

  it.each(Object.values(SAMPLES) as TestSessionEvent[])('$type validates', (e) => {
    const json = project(e);
    expect(json.type).toBe(e.type);
    expect(json.time).toBe(e.time);
    expect(validate(json)).toBeUndefined();
  });

  it('a failed test carries its package, name, output and absolute file:line positions', () => {
    const json = project(SAMPLES['test-run-finished']);
    expect(json.counts).toEqual({ passed: 1, failed: 1, skipped: 0 });
    const [a, c] = json.packages as Record<string, unknown>[];
    expect(a).toMatchObject({ pkg: 'ex/a', outcome: 'fail', reason: { by: 'changed' } });
    expect(a!.failures).toEqual([
      {
        test: 'TestDouble',
        output: ['    a_test.go:11: Double() = 2, want 3', '\t/m/a/a.go:7 +0x28', 'more'],
        positions: [
          { file: '/m/a/a_test.go', line: 11, message: 'Double() = 2, want 3' },
          { file: '/m/a/a.go', line: 7, message: '' },
        ],
        hasFailedSubtests: false,
      },
    ]);
    // A relative position without the package's directory cannot be opened: left out.
    expect(c!.positions).toEqual([]);
    expect(json.diagnostics).toEqual([
      { file: '/m/c/c_test.go', line: 3, column: 9, message: 'undefined: x', importPath: 'ex/c' },
    ]);
  });

  it('a run names the packages it runs with their reasons, and those it skips', () => {
    expect(project(SAMPLES['test-run-started'])).toMatchObject({
      generation: 2,
      files: ['/m/a/a.go'],
      request: 'changes',
      run: [
        { pkg: 'ex/a', reason: { by: 'changed', pkg: 'ex/a', via: null } },
        { pkg: 'ex/c', reason: { by: 'imports', pkg: 'ex/a', via: 'ex/b' } },
      ],
      skipped: ['ex/d'],
    });
  });

  it('the schema rejects internal objects leaking through', () => {
    const json = project(SAMPLES['test-run-finished']);
    expect(validate({ ...json, batch })).toMatch(/additional properties/);
    expect(validate({ ...json, packages: [{ pkg: 'ex/a' }] })).toMatch(/required/);
  });

  it('the stream is the header, then shared and test events, one per line', () => {
    const lines: string[] = [];
    const header = {
      type: 'header',
      schemaVersion: 1,
      gohotVersion: '0.1.0',
      time: 0,
      wallClockMs: 0,
      wallClock: new Date(0).toISOString(),
      pid: 1,
    } as const;
    const r = createTestJsonReporter({ header, cwd: '/m', write: (t) => lines.push(t) });
    r.report(SAMPLES['test-run-not-started']);
    r.report({ type: 'ended', time: 7 });
    r.close();
    r.report(SAMPLES['test-run-not-started']);
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    const parsed = lines.map((l) => JSON.parse(l) as { type: string });
    expect(parsed.map((p) => p.type)).toEqual(['header', 'test-run-not-started', 'ended']);
    for (const p of parsed) expect(validate(p)).toBeUndefined();
  });
});
