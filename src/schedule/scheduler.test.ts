import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACTIVITY_HOLD_MAX_MS,
  ACTIVITY_QUIET_MS,
  type Batch,
  CANCEL_POLICY,
  type CycleOutcome,
  cancelReasonOf,
  createScheduler,
  DELETION_SETTLE_MS,
  type SchedulerDecision,
  type Trigger,
} from './scheduler.js';

function change(file: string): Trigger {
  return { kind: 'change', files: [`/m/${file}`] };
}

/** A cycle that stays "building" until released or aborted, like a real go build. */
function controllableCycles() {
  const batches: Batch[] = [];
  const releases: Array<() => void> = [];
  const runCycle = (batch: Batch, signal: AbortSignal): Promise<CycleOutcome> => {
    batches.push(batch);
    return new Promise((resolve) => {
      releases.push(() => resolve('done'));
      signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
    });
  };
  return { batches, releases, runCycle };
}

/** A scheduler with no quiet window on the fake clock, recording every decision. */
function recordingScheduler() {
  const cycles = controllableCycles();
  const decisions: SchedulerDecision[] = [];
  const s = createScheduler({
    quietWindowMs: 0,
    runCycle: cycles.runCycle,
    onDecision: (d) => decisions.push(d),
    now: () => Date.now(),
  });
  return { cycles, decisions, s };
}

describe('scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells each cycle how long its batch waited since its first trigger was seen', async () => {
    const waited: number[] = [];
    const cycles = controllableCycles();
    const s = createScheduler({
      quietWindowMs: 50,
      now: () => Date.now(),
      runCycle: (batch, signal, timing) => {
        waited.push(timing.waitedMs);
        return cycles.runCycle(batch, signal);
      },
    });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(30);
    // A second save restarts the quiet window; the wait counts from the first.
    s.push(change('b.go'));
    await vi.advanceTimersByTimeAsync(50);
    expect(waited).toEqual([80]);
    // A trigger while the cycle runs cancels it; the requeued batch counts from a.go again.
    s.push(change('c.go'));
    await vi.advanceTimersByTimeAsync(50);
    expect(waited).toEqual([80, 130]);
    cycles.releases[1]!();
    await s.whenIdle();
  });

  it('a batch with deletions waits DELETION_SETTLE_MS for the files to come back', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 10, runCycle: cycles.runCycle });
    s.push({ kind: 'change', files: ['/m/a.go'], deletes: true });
    await vi.advanceTimersByTimeAsync(DELETION_SETTLE_MS - 1);
    expect(cycles.batches).toHaveLength(0);
    s.push({ kind: 'change', files: ['/m/a.go'] });
    await vi.advanceTimersByTimeAsync(DELETION_SETTLE_MS - 1);
    expect(cycles.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(cycles.batches.map((b) => b.files)).toEqual([['/m/a.go']]);
    // Without deletions, the configured window alone.
    cycles.releases[0]?.();
    s.push({ kind: 'restart', files: ['/m/app.yaml'] });
    await vi.advanceTimersByTimeAsync(10);
    expect(cycles.batches.map((b) => b.files)).toEqual([['/m/a.go'], ['/m/app.yaml']]);
  });

  // Regression: a checkout's 499 comment-only rewrites were no triggers, so the build of its
  // one real change started 10 ms in and read files git had not finished writing.
  it('writes of build inputs that need no build hold a pending batch back, up to a bound', async () => {
    const cycles = controllableCycles();
    const decisions: SchedulerDecision[] = [];
    const s = createScheduler({
      quietWindowMs: 10,
      runCycle: cycles.runCycle,
      onDecision: (d) => decisions.push(d),
      now: () => Date.now(),
    });
    s.activity();
    expect(decisions).toEqual([]);
    s.push(change('greeting.go'));
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(8);
      s.activity();
    }
    // A checkout pauses for longer than a 10 ms quiet window on a busy machine.
    await vi.advanceTimersByTimeAsync(ACTIVITY_QUIET_MS - 1);
    expect(cycles.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(cycles.batches).toHaveLength(1);
    expect(decisions.filter((d) => d.type === 'held')).toEqual([
      { type: 'held', generation: 1, maxHoldMs: ACTIVITY_HOLD_MAX_MS },
    ]);
    cycles.releases[0]!();
    await s.whenIdle();

    // A steady stream of such writes cannot hold a batch for ever.
    const since = Date.now();
    s.push(change('greeting.go'));
    for (let t = 0; t < ACTIVITY_HOLD_MAX_MS * 3 && cycles.batches.length < 2; t += 5) {
      await vi.advanceTimersByTimeAsync(5);
      s.activity();
    }
    expect(cycles.batches).toHaveLength(2);
    expect(Date.now() - since).toBeGreaterThanOrEqual(ACTIVITY_HOLD_MAX_MS);
    expect(Date.now() - since).toBeLessThanOrEqual(ACTIVITY_HOLD_MAX_MS + ACTIVITY_QUIET_MS + 10);
    cycles.releases[1]!();
    await s.whenIdle();
  });

  it('waits for the trailing quiet window before starting', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 50, runCycle: cycles.runCycle });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(49);
    expect(cycles.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(cycles.batches).toHaveLength(1);
  });

  it('restarts the window on every trigger (trailing edge) and coalesces them into one batch', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 50, runCycle: cycles.runCycle });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(40);
    s.push(change('b.go'));
    await vi.advanceTimersByTimeAsync(40);
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(49);
    expect(cycles.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(cycles.batches).toHaveLength(1);
    expect(cycles.batches[0]?.files).toEqual(['/m/a.go', '/m/b.go']);
    expect(cycles.batches[0]?.triggers).toHaveLength(3);
  });

  it('a quiet window of 0 starts in the same tick without any timer', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 0, runCycle: cycles.runCycle });
    s.push(change('a.go'));
    s.push(change('b.go'));
    expect(cycles.batches).toHaveLength(0);
    await Promise.resolve();
    expect(cycles.batches).toHaveLength(1);
    expect(cycles.batches[0]?.files).toEqual(['/m/a.go', '/m/b.go']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a change during a cycle aborts it and the next batch includes the cancelled triggers', async () => {
    const cycles = controllableCycles();
    const decisions: SchedulerDecision[] = [];
    const s = createScheduler({
      quietWindowMs: 20,
      runCycle: cycles.runCycle,
      onDecision: (d) => decisions.push(d),
    });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(20);
    expect(cycles.batches).toHaveLength(1);
    s.push(change('b.go'));
    await vi.advanceTimersByTimeAsync(0);
    expect(decisions.some((d) => d.type === 'superseded' && d.generation === 1)).toBe(true);
    // The new cycle still waits for the quiet window of the new change.
    expect(cycles.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(cycles.batches).toHaveLength(2);
    expect(cycles.batches[1]?.files).toEqual(['/m/a.go', '/m/b.go']);
    expect(cycles.batches[1]?.generation).toBe(2);
  });

  it('coalesces three rapid restarts during a running cycle into exactly one more cycle', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 10, runCycle: cycles.runCycle });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(10);
    s.push(change('b.go'));
    await vi.advanceTimersByTimeAsync(3);
    s.push(change('c.go'));
    await vi.advanceTimersByTimeAsync(3);
    s.push(change('d.go'));
    await vi.advanceTimersByTimeAsync(10);
    expect(cycles.batches).toHaveLength(2);
    cycles.releases[1]?.();
    await s.whenIdle();
    expect(cycles.batches).toHaveLength(2);
    expect(cycles.batches[1]?.files).toEqual(['/m/a.go', '/m/b.go', '/m/c.go', '/m/d.go']);
  });

  it('never overlaps cycles: a cycle that ignores the abort is awaited before the next starts', async () => {
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const s = createScheduler({
      quietWindowMs: 5,
      // Like a restart in progress: it completes even when aborted.
      runCycle: (batch) =>
        new Promise<CycleOutcome>((resolve) => {
          started.push(batch.generation);
          finish.push(() => resolve('done'));
        }),
    });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(5);
    s.push(change('b.go'));
    await vi.advanceTimersByTimeAsync(50);
    expect(started).toEqual([1]);
    finish[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([1, 2]);
  });

  it('a cycle that completes is not repeated, and whenIdle resolves', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 5, runCycle: cycles.runCycle });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(5);
    cycles.releases[0]?.();
    await s.whenIdle();
    await vi.advanceTimersByTimeAsync(100);
    expect(cycles.batches).toHaveLength(1);
  });

  it('a cycle that throws is reported and does not wedge the scheduler', async () => {
    const decisions: SchedulerDecision[] = [];
    let calls = 0;
    const s = createScheduler({
      quietWindowMs: 0,
      runCycle: async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return 'done';
      },
      onDecision: (d) => decisions.push(d),
    });
    s.push(change('a.go'));
    await s.whenIdle();
    s.push(change('b.go'));
    await s.whenIdle();
    expect(calls).toBe(2);
    expect(decisions.filter((d) => d.type === 'failed')).toHaveLength(1);
  });

  it('close aborts the running cycle, drops pending triggers and starts nothing more', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 10, runCycle: cycles.runCycle });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(10);
    const closing = s.close();
    s.push(change('b.go'));
    await closing;
    await vi.advanceTimersByTimeAsync(100);
    expect(cycles.batches).toHaveLength(1);
  });

  it('a storm of 500 triggers spread over time results in one cycle after it settles', async () => {
    const cycles = controllableCycles();
    const s = createScheduler({ quietWindowMs: 30, runCycle: cycles.runCycle });
    for (let i = 0; i < 500; i++) {
      s.push(change(`f${i}.go`));
      await vi.advanceTimersByTimeAsync(i % 7);
    }
    expect(cycles.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(30);
    expect(cycles.batches).toHaveLength(1);
    expect(cycles.batches[0]?.files).toHaveLength(500);
  });

  // Regression: a cycle cancelled because gohot was stopping was reported as "a newer change
  // makes it stale": the abort reason was thrown away.
  it('passes the abort reason through: superseded by a trigger, or shutdown', async () => {
    const reasons: unknown[] = [];
    const runCycle = (_b: Batch, signal: AbortSignal): Promise<CycleOutcome> =>
      new Promise((resolve) =>
        signal.addEventListener(
          'abort',
          () => {
            reasons.push(cancelReasonOf(signal));
            resolve('cancelled');
          },
          { once: true },
        ),
      );
    const s = createScheduler({ quietWindowMs: 0, runCycle });
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(0);
    s.push(change('b.go'));
    await vi.advanceTimersByTimeAsync(0);
    await s.close();
    expect(reasons).toEqual([{ by: 'superseded', trigger: change('b.go') }, { by: 'shutdown' }]);
  });

  it('reads a foreign abort reason as a shutdown', () => {
    const c = new AbortController();
    c.abort(new Error('x'));
    expect(cancelReasonOf(c.signal)).toEqual({ by: 'shutdown' });
  });

  // Regression: at 20 saves/s for 30 s, 576 builds were started and 574 killed, and no new
  // version ran until the saves stopped. Cancellation is bounded by a streak and by age.
  it('a steady stream of triggers cannot cancel forever: the Nth cycle in a row is kept', async () => {
    const { cycles, decisions, s } = recordingScheduler();
    for (let i = 0; i < 20; i++) {
      s.push(change(`f${i}.go`));
      await vi.advanceTimersByTimeAsync(50);
    }
    const superseded = decisions.filter((d) => d.type === 'superseded');
    expect(superseded).toHaveLength(CANCEL_POLICY.maxConsecutive - 1);
    const kept = decisions.find((d) => d.type === 'kept');
    expect(kept).toEqual({
      type: 'kept',
      generation: CANCEL_POLICY.maxConsecutive,
      reason: { by: 'streak', cancelled: CANCEL_POLICY.maxConsecutive - 1 },
    });
    // The kept cycle finishes; everything that arrived meanwhile is exactly one more cycle.
    const runningBefore = cycles.batches.length;
    cycles.releases.at(-1)?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(cycles.batches).toHaveLength(runningBefore + 1);
    expect(cycles.batches.at(-1)?.files).toContain('/m/f19.go');
  });

  it('a cycle that has run for maxAgeMs is kept, however few cancellations came before', async () => {
    const { cycles, decisions, s } = recordingScheduler();
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(CANCEL_POLICY.maxAgeMs);
    s.push(change('b.go'));
    s.push(change('c.go'));
    expect(decisions.filter((d) => d.type === 'superseded')).toEqual([]);
    expect(decisions.filter((d) => d.type === 'kept')).toEqual([
      { type: 'kept', generation: 1, reason: { by: 'age', ageMs: CANCEL_POLICY.maxAgeMs } },
    ]);
    cycles.releases[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(cycles.batches.map((b) => b.files)).toEqual([['/m/a.go'], ['/m/b.go', '/m/c.go']]);
  });

  // Found in review: a kept build that hangs (go blocked on a FIFO) could never be replaced.
  it('a manual rebuild cancels even a kept cycle', async () => {
    const { decisions, s } = recordingScheduler();
    s.push(change('a.go'));
    await vi.advanceTimersByTimeAsync(CANCEL_POLICY.maxAgeMs);
    s.push(change('b.go'));
    expect(decisions.filter((d) => d.type === 'kept')).toHaveLength(1);
    s.push({ kind: 'manual' });
    expect(decisions.filter((d) => d.type === 'superseded')).toEqual([
      {
        type: 'superseded',
        generation: 1,
        reason: { by: 'superseded', trigger: { kind: 'manual' } },
      },
    ]);
  });

  describe('leading edge', () => {
    /** A 20 ms window with the leading edge on, on the fake clock. */
    function leadingScheduler(extra: { maxConsecutive?: number } = {}) {
      const cycles = controllableCycles();
      const decisions: SchedulerDecision[] = [];
      const s = createScheduler({
        quietWindowMs: 20,
        leadingEdge: true,
        runCycle: cycles.runCycle,
        onDecision: (d) => decisions.push(d),
        now: () => Date.now(),
        cancelPolicy:
          extra.maxConsecutive === undefined
            ? undefined
            : { maxAgeMs: 60_000, maxConsecutive: extra.maxConsecutive },
      });
      return { cycles, decisions, s };
    }

    it('a lone change starts in the same tick, with no timer, and says so', async () => {
      const { cycles, decisions, s } = leadingScheduler();
      s.push(change('a.go'));
      expect(cycles.batches).toHaveLength(0);
      await Promise.resolve();
      expect(cycles.batches.map((b) => b.files)).toEqual([['/m/a.go']]);
      expect(vi.getTimerCount()).toBe(0);
      expect(decisions[1]).toMatchObject({ type: 'started', leadingEdge: { quietWindowMs: 20 } });
    });

    it('is off unless asked for: the window is waited out', async () => {
      const cycles = controllableCycles();
      const s = createScheduler({ quietWindowMs: 20, runCycle: cycles.runCycle });
      s.push(change('a.go'));
      await vi.advanceTimersByTimeAsync(19);
      expect(cycles.batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(cycles.batches).toHaveLength(1);
    });

    it('a change within the window cancels the young cycle, even when the keep policy would keep it', async () => {
      // maxConsecutive 1: every ordinary cancellation would be refused.
      const { cycles, decisions, s } = leadingScheduler({ maxConsecutive: 1 });
      s.push(change('a.go'));
      await vi.advanceTimersByTimeAsync(5);
      expect(cycles.batches).toHaveLength(1);
      s.push(change('b.go'));
      expect(decisions.filter((d) => d.type === 'superseded')).toHaveLength(1);
      expect(decisions.filter((d) => d.type === 'kept')).toEqual([]);
      // What follows waits for the trailing window, then builds both files once.
      await vi.advanceTimersByTimeAsync(19);
      expect(cycles.batches).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(cycles.batches.map((b) => b.files)).toEqual([['/m/a.go'], ['/m/a.go', '/m/b.go']]);
      expect(decisions.filter((d) => d.type === 'started').at(-1)).not.toHaveProperty(
        'leadingEdge',
      );
      // Not a cancellation in a row: the follow-up cycle is an ordinary one, and with
      // maxConsecutive 1 a change during it is kept, as for any cycle.
      await vi.advanceTimersByTimeAsync(30);
      s.push(change('c.go'));
      expect(decisions.filter((d) => d.type === 'kept')).toHaveLength(1);
    });

    it('after its window the cycle is an ordinary one: a later change follows the keep policy', async () => {
      const { cycles, decisions, s } = leadingScheduler({ maxConsecutive: 1 });
      s.push(change('a.go'));
      await vi.advanceTimersByTimeAsync(20);
      expect(cycles.batches).toHaveLength(1);
      s.push(change('b.go'));
      expect(decisions.filter((d) => d.type === 'superseded')).toEqual([]);
      expect(decisions.filter((d) => d.type === 'kept')).toHaveLength(1);
    });

    it('a write of a build input within the window cancels the young cycle, which then waits for the writes to end', async () => {
      const { cycles, decisions, s } = leadingScheduler();
      s.push(change('a.go'));
      await vi.advanceTimersByTimeAsync(2);
      expect(cycles.batches).toHaveLength(1);
      s.activity();
      expect(decisions.filter((d) => d.type === 'superseded')).toEqual([
        { type: 'superseded', generation: 1, reason: { by: 'inputs-written' } },
      ]);
      // The writes go on for a while; the batch starts ACTIVITY_QUIET_MS after the last.
      await vi.advanceTimersByTimeAsync(30);
      s.activity();
      await vi.advanceTimersByTimeAsync(ACTIVITY_QUIET_MS - 1);
      expect(cycles.batches).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(cycles.batches.map((b) => b.files)).toEqual([['/m/a.go'], ['/m/a.go']]);
      expect(cycles.batches[1]?.generation).toBe(2);
    });

    it('no leading edge after recent input, for deletions, or for a second trigger in the same pass', async () => {
      const { cycles, decisions, s } = leadingScheduler();
      // A write that needs no build by itself, then a change 5 ms later: a checkout going on.
      s.activity();
      await vi.advanceTimersByTimeAsync(5);
      s.push(change('a.go'));
      await Promise.resolve();
      expect(cycles.batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(20);
      expect(cycles.batches).toHaveLength(1);
      expect(decisions.find((d) => d.type === 'started')).not.toHaveProperty('leadingEdge');
      cycles.releases[0]?.();
      await vi.advanceTimersByTimeAsync(100);

      s.push({ kind: 'change', files: ['/m/gone.go'], deletes: true });
      await vi.advanceTimersByTimeAsync(DELETION_SETTLE_MS - 1);
      expect(cycles.batches).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(cycles.batches).toHaveLength(2);
      cycles.releases[1]?.();
      await vi.advanceTimersByTimeAsync(100);

      // Two files reported in one pass: a save of several files waits for the window.
      s.push(change('b.go'));
      s.push(change('c.go'));
      await Promise.resolve();
      expect(cycles.batches).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(20);
      expect(cycles.batches.at(-1)?.files).toEqual(['/m/b.go', '/m/c.go']);
    });

    it('tells a leading-edge cycle until when it can be cancelled; other cycles are not told', async () => {
      const timings: Array<number | undefined> = [];
      const cycles = controllableCycles();
      const s = createScheduler({
        quietWindowMs: 20,
        leadingEdge: true,
        now: () => Date.now(),
        runCycle: (batch, signal, timing) => {
          timings.push(
            timing.provisionalUntil === undefined
              ? undefined
              : timing.provisionalUntil - Date.now(),
          );
          return cycles.runCycle(batch, signal);
        },
      });
      s.push(change('a.go'));
      await vi.advanceTimersByTimeAsync(5);
      s.push(change('b.go'));
      await vi.advanceTimersByTimeAsync(20);
      expect(timings).toEqual([20, undefined]);
    });

    it('writes that cancel a young cycle hold its batch back for at most ACTIVITY_HOLD_MAX_MS from the first of them', async () => {
      // A cycle that takes 600 ms to notice its abort.
      const batches: Batch[] = [];
      const s = createScheduler({
        quietWindowMs: 20,
        leadingEdge: true,
        now: () => Date.now(),
        runCycle: (batch, signal) => {
          batches.push(batch);
          return new Promise((resolve) =>
            signal.addEventListener('abort', () => setTimeout(() => resolve('cancelled'), 600), {
              once: true,
            }),
          );
        },
      });
      s.push(change('a.go'));
      await vi.advanceTimersByTimeAsync(2);
      const first = Date.now();
      // Writes every 20 ms, for ever.
      const writer = setInterval(() => s.activity(), 20);
      s.activity();
      while (batches.length < 2) await vi.advanceTimersByTimeAsync(10);
      clearInterval(writer);
      expect(Date.now() - first).toBeGreaterThanOrEqual(ACTIVITY_HOLD_MAX_MS);
      expect(Date.now() - first).toBeLessThan(ACTIVITY_HOLD_MAX_MS + ACTIVITY_QUIET_MS + 20);
    });

    it('a cycle cancelled by writes that still ends done leaves no hold behind', async () => {
      const decisions: SchedulerDecision[] = [];
      const batches: Batch[] = [];
      const s = createScheduler({
        quietWindowMs: 20,
        leadingEdge: true,
        now: () => Date.now(),
        onDecision: (d) => decisions.push(d),
        // Ends done however it is aborted.
        runCycle: (batch, signal) => {
          batches.push(batch);
          return new Promise((resolve) =>
            signal.addEventListener('abort', () => resolve('done'), { once: true }),
          );
        },
      });
      s.push(change('a.go'));
      await vi.advanceTimersByTimeAsync(2);
      s.activity();
      await vi.advanceTimersByTimeAsync(5000);
      const held = decisions.filter((d) => d.type === 'held').length;
      // A later batch with deletions, and writes during its settle time: they hold it again.
      s.push({ kind: 'change', files: ['/m/b.go'], deletes: true });
      await vi.advanceTimersByTimeAsync(DELETION_SETTLE_MS - 10);
      s.activity();
      expect(decisions.filter((d) => d.type === 'held')).toHaveLength(held + 1);
      // The write armed the window again: the deletions' settle time, from the write.
      await vi.advanceTimersByTimeAsync(DELETION_SETTLE_MS - 1);
      expect(batches).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toHaveLength(2);
    });

    it('a change with a half-written Go file waits for the window', async () => {
      const { cycles, decisions, s } = leadingScheduler();
      s.push({ kind: 'change', files: ['/m/a.go'], incomplete: true });
      await vi.advanceTimersByTimeAsync(19);
      expect(cycles.batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(cycles.batches).toHaveLength(1);
      expect(decisions.find((d) => d.type === 'started')).not.toHaveProperty('leadingEdge');
    });

    it('a write reported in the same pass as the change keeps it from starting at once', async () => {
      const { cycles, s } = leadingScheduler();
      s.push(change('a.go'));
      s.activity();
      await Promise.resolve();
      expect(cycles.batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(ACTIVITY_QUIET_MS);
      expect(cycles.batches).toHaveLength(1);
    });
  });
});
