/**
 * The schedule stage: turns a stream of triggers into one cycle at a time.
 *
 * - A trailing quiet window collects triggers into one batch (`0` really means 0: the batch
 *   starts in the same turn of the event loop, after the current synchronous work).
 * - Leading edge (`leadingEdge`): a lone save, a change after a quiet window with nothing
 *   else going on, starts its cycle at once instead of waiting the window out. The window
 *   then runs alongside the young cycle: any trigger, or write of a build input, within it
 *   cancels the cycle (whatever the keep policy says; not counted as a cancellation in a
 *   row), and what follows waits for the trailing window as usual. A save of one file builds
 *   without the wait; a save of several costs one go build killed young. The cycle is told
 *   until when it can be cancelled so (`provisionalUntil`) and waits for that before
 *   anything it cannot undo: with a window longer than a build, a save of several files is
 *   still one restart.
 * - A trigger that arrives while a cycle runs aborts that cycle's AbortSignal at once: its
 *   result is stale. The cycle decides how far it honours the abort (a build is killed; a
 *   restart in progress completes). Bounded, so a steady stream of saves still builds: a
 *   cycle that has run for CANCEL_POLICY.maxAgeMs, or that would be the
 *   CANCEL_POLICY.maxConsecutive-th cancellation in a row, is kept and finishes; everything
 *   that arrived meanwhile gets exactly one follow-up cycle.
 * - A cycle that reports itself cancelled gives its triggers back: they join the next batch,
 *   so the changes that caused it are never lost.
 * - Cycles never overlap. Every decision is reported with a reason.
 */

/** Why a cycle should run; a value, `report/` words it. */
export type Trigger =
  /**
   * Files changed; absolute paths. `deletes`: some were deleted, which a checkout or an
   * editor's delete-and-write often follows with the same bytes: the batch waits for
   * {@link DELETION_SETTLE_MS} of quiet so it sees the net effect.
   */
  | {
      readonly kind: 'change';
      readonly files: readonly string[];
      readonly deletes?: boolean;
      /** A Go file of it looks half-written: it never starts on the leading edge. */
      readonly incomplete?: boolean;
    }
  /** Files that only need the app restarted with the binary it has (`watch.restartOnly`). */
  | { readonly kind: 'restart'; readonly files: readonly string[] }
  /**
   * The user asked (r + Enter). `scope` is what `gohot test` runs: every selected package,
   * only the failed tests, or the last selection again. @default the last selection
   */
  | { readonly kind: 'manual'; readonly scope?: 'all' | 'failed' | 'last' }
  /** The config changed, or the Go project (watch roots) did. */
  | { readonly kind: 'config'; readonly cause: 'config-changed' | 'roots-changed' }
  | { readonly kind: 'start' };

/** Why a running cycle was aborted; the AbortSignal's reason, passed through to the cycle. */
export type CancelReason =
  | { readonly by: 'superseded'; readonly trigger: Trigger }
  /** A cycle started on the leading edge, and build inputs were written within its window. */
  | { readonly by: 'inputs-written' }
  | { readonly by: 'shutdown' };

/** Reads a signal's abort reason as the scheduler set it (a shutdown when it is foreign). */
export function cancelReasonOf(signal: AbortSignal): CancelReason {
  const reason: unknown = signal.reason;
  if (typeof reason === 'object' && reason !== null && 'by' in reason) {
    const by = (reason as { by: unknown }).by;
    if (by === 'superseded' || by === 'inputs-written' || by === 'shutdown') {
      return reason as CancelReason;
    }
  }
  return { by: 'shutdown' };
}

/** What one cycle works on. */
export interface Batch {
  /** 1, 2, 3 ... one per started cycle. */
  readonly generation: number;
  readonly triggers: readonly Trigger[];
  /** Unique files of all triggers, in arrival order. */
  readonly files: readonly string[];
}

/**
 * When a new trigger no longer cancels the running cycle. A cold build of a real service
 * takes minutes and a save every few seconds would otherwise restart it forever; the go build
 * cache keeps finished packages, so a young cancelled build loses little.
 */
export const CANCEL_POLICY: CancelPolicy = { maxAgeMs: 3000, maxConsecutive: 3 };

/** When a newer trigger stops cancelling the running cycle. */
export interface CancelPolicy {
  /** A cycle this old is kept. */
  readonly maxAgeMs: number;
  /** The cycle that would be this many cancellations in a row is kept. */
  readonly maxConsecutive: number;
}

/**
 * The least quiet window of a batch with deletions. `git checkout` and `git stash` delete
 * and re-create files within milliseconds; waiting this long after the last event sees the
 * files back, and the net effect (same bytes: nothing) decides instead of the deletion.
 */
export const DELETION_SETTLE_MS = 100;

/**
 * How long writes of build inputs that need no build by themselves (comment edits, such as
 * the 499 regenerated files of a checkout) may hold back a due batch. A build that starts
 * while a checkout is still writing reads half-written files; this bound keeps a steady
 * stream of such writes from holding the build back for ever.
 */
export const ACTIVITY_HOLD_MAX_MS = 1000;

/**
 * The least quiet window after such a write. A checkout writes file after file, but on a busy
 * machine it pauses for longer than a 10 ms quiet window between two of them.
 */
export const ACTIVITY_QUIET_MS = 50;

/** Why a running cycle was kept although a newer trigger arrived. */
export type KeepReason =
  | { readonly by: 'age'; readonly ageMs: number }
  | { readonly by: 'streak'; readonly cancelled: number };

/** How a cycle ended: `cancelled` hands its triggers back to the next batch. */
export type CycleOutcome = 'done' | 'cancelled';

/** When a cycle's batch was waiting, measured by the scheduler's monotonic clock. */
export interface CycleTiming {
  /** From the first trigger of the batch seen to the cycle's start (the quiet window, and any wait for a busy cycle). */
  readonly waitedMs: number;
  /**
   * A cycle started on the leading edge: until this time (the scheduler's clock,
   * performance.now() by default) any input cancels it, so it must not do anything it cannot
   * undo (restart the app, report a failure, take its reads as the baseline) before then.
   */
  readonly provisionalUntil?: number;
}

/** A scheduler decision, for --verbose and the trace. */
export type SchedulerDecision =
  | { readonly type: 'queued'; readonly trigger: Trigger; readonly quietWindowMs: number }
  | { readonly type: 'superseded'; readonly generation: number; readonly reason: CancelReason }
  | { readonly type: 'kept'; readonly generation: number; readonly reason: KeepReason }
  | {
      readonly type: 'started';
      readonly batch: Batch;
      /**
       * Started at once on the leading edge: any input within `quietWindowMs` cancels it (0
       * for the first build and a key press; undefined for a cycle that waited its window).
       */
      readonly leadingEdge?: { readonly quietWindowMs: number };
    }
  | { readonly type: 'finished'; readonly generation: number; readonly outcome: CycleOutcome }
  | { readonly type: 'requeued'; readonly generation: number; readonly triggers: number }
  /** Build inputs are still being written: the pending batch waits a quiet window more. */
  | { readonly type: 'held'; readonly generation: number; readonly maxHoldMs: number }
  | { readonly type: 'failed'; readonly generation: number; readonly error: unknown };

/** Options of createScheduler. */
export interface SchedulerOptions {
  /**
   * Trailing quiet window before a batch starts; 0 = start in the same tick. A function is
   * read at every trigger, so a config reload takes effect without a new scheduler.
   */
  readonly quietWindowMs: number | (() => number);
  /**
   * Start a lone change at once (see the module comment). Read at every trigger, like
   * `quietWindowMs`. @default false
   */
  readonly leadingEdge?: boolean | (() => boolean);
  /** Runs one cycle. Must settle; should resolve 'cancelled' when it honoured the abort. */
  readonly runCycle: (
    batch: Batch,
    signal: AbortSignal,
    timing: CycleTiming,
  ) => Promise<CycleOutcome>;
  readonly onDecision?: (decision: SchedulerDecision) => void;
  /** When a newer trigger keeps the running cycle. @default CANCEL_POLICY */
  readonly cancelPolicy?: CancelPolicy;
  /** Monotonic clock in ms (tests pass the fake one). @default performance.now */
  readonly now?: () => number;
}

/** The scheduler's public face. */
export interface Scheduler {
  push(trigger: Trigger): void;
  /**
   * A build input was written without needing a build by itself (a comment edit): a pending
   * batch waits for a quiet window without such writes too, for at most
   * {@link ACTIVITY_HOLD_MAX_MS} from the first such write.
   */
  activity(): void;
  /** Resolves when nothing is pending, waiting or running. */
  whenIdle(): Promise<void>;
  /** Aborts the running cycle, drops pending triggers, waits for the cycle to settle. */
  close(): Promise<void>;
}

interface Running {
  readonly generation: number;
  readonly controller: AbortController;
  readonly batch: Batch;
  readonly settled: Promise<void>;
  readonly startedAt: number;
  /** When the first trigger of its batch was seen. */
  readonly since: number;
  /** Set once the cycle was kept despite a newer trigger (decided once per cycle). */
  kept: boolean;
  /** Started on the leading edge: until this time, any input cancels it. */
  readonly provisionalUntil: number;
}

/** Creates a scheduler. See the module comment for the policy. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  return new SchedulerImpl(options);
}

class SchedulerImpl implements Scheduler {
  readonly #options: SchedulerOptions;
  #pending: Trigger[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #microtaskQueued = false;
  /** True once the quiet window of the pending triggers has passed. */
  #due = false;
  #running: Running | undefined;
  #generation = 0;
  #closed = false;
  #idleWaiters: Array<() => void> = [];
  /** Cycles cancelled in a row by newer triggers; a finished cycle resets it. */
  #cancelStreak = 0;
  /** When the first of the pending triggers was seen. */
  #pendingSince: number | undefined;
  /** When writes of build inputs first held the pending batch back (see activity()). */
  #holdSince: number | undefined;
  /** Until when writes of build inputs hold the pending batch (see ACTIVITY_QUIET_MS). */
  #activityUntil = 0;
  /** When the last changed file or write of a build input arrived (the leading edge needs quiet). */
  #lastInputAt = Number.NEGATIVE_INFINITY;
  /** The pending batch starts on the leading edge once the current synchronous work is done. */
  #leading = false;

  readonly #now: () => number;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  push(trigger: Trigger): void {
    if (this.#closed) return;
    const now = this.#now();
    const leading = this.#isLeadingEdge(trigger, now);
    // Files written: the start, a key press or a config reload are no burst of saves.
    if (trigger.kind === 'change' || trigger.kind === 'restart') this.#lastInputAt = now;
    if (this.#pending.length === 0) this.#pendingSince = now;
    this.#pending.push(trigger);
    this.#emit({ type: 'queued', trigger, quietWindowMs: this.#quietWindowMs() });
    const running = this.#running;
    const manual = trigger.kind === 'manual';
    if (running && this.#cancelProvisional(running, { by: 'superseded', trigger }, now)) {
      // Its window had not passed: a plain cancellation, not one of a streak.
    } else if (running && !running.controller.signal.aborted && (manual || !running.kept)) {
      // The user asking (r + Enter) always wins: the way out of a build that hangs.
      const keep = manual ? undefined : this.#keepReason(running);
      if (keep) {
        running.kept = true;
        this.#emit({ type: 'kept', generation: running.generation, reason: keep });
      } else {
        const reason: CancelReason = { by: 'superseded', trigger };
        this.#cancelStreak++;
        running.controller.abort(reason);
        this.#emit({ type: 'superseded', generation: running.generation, reason });
      }
    }
    if (leading) {
      this.#startLeading();
      return;
    }
    this.#leading = false;
    this.#armQuietWindow();
  }

  /**
   * A trigger starts on the leading edge when nothing else is going on: no cycle runs,
   * nothing is pending, no input arrived within the quiet window, no writes hold batches
   * back, and it is a change without deletions (those wait to see the files come back) and
   * without a Go file that looks half-written (an editor still writing it), a
   * restart-only change, a key press or the first build.
   */
  #isLeadingEdge(trigger: Trigger, now: number): boolean {
    const opt = this.#options.leadingEdge;
    if (!(typeof opt === 'function' ? opt() : (opt ?? false))) return false;
    if (this.#running !== undefined || this.#pending.length > 0 || this.#activityUntil > now) {
      return false;
    }
    if (now - this.#lastInputAt < this.#configuredQuietMs()) return false;
    if (trigger.kind === 'change') return trigger.deletes !== true && trigger.incomplete !== true;
    return trigger.kind === 'restart' || trigger.kind === 'manual' || trigger.kind === 'start';
  }

  /**
   * Starts the pending batch once the synchronous work that pushed it is done, so triggers
   * and writes reported in the same pass join it, or keep it from starting at once.
   */
  #startLeading(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#leading = true;
    if (this.#microtaskQueued) return;
    this.#microtaskQueued = true;
    queueMicrotask(() => {
      this.#microtaskQueued = false;
      const held = this.#activityUntil > this.#now();
      const deletes = this.#pending.some((t) => t.kind === 'change' && t.deletes === true);
      if (!this.#leading || held || deletes) {
        this.#leading = false;
        this.#armQuietWindow();
        return;
      }
      this.#onQuiet();
    });
  }

  /** Cancels `running` if it started on the leading edge and its window has not passed. */
  #cancelProvisional(running: Running, reason: CancelReason, now: number): boolean {
    if (running.controller.signal.aborted || now >= running.provisionalUntil) return false;
    running.controller.abort(reason);
    this.#emit({ type: 'superseded', generation: running.generation, reason });
    return true;
  }

  activity(): void {
    if (this.#closed) return;
    const now = this.#now();
    this.#lastInputAt = now;
    const running = this.#running;
    if (running) this.#cancelProvisional(running, { by: 'inputs-written' }, now);
    // A leading-edge cycle cancelled gives its triggers back once it has settled: the writes
    // hold them from now on all the same.
    const windingDown =
      running?.controller.signal.aborted === true && running.provisionalUntil > running.startedAt;
    if (this.#pending.length === 0 && !windingDown) return;
    if (this.#holdSince !== undefined && now - this.#holdSince >= ACTIVITY_HOLD_MAX_MS) return;
    if (this.#holdSince === undefined) {
      this.#holdSince = now;
      const generation = this.#generation + 1;
      this.#emit({ type: 'held', generation, maxHoldMs: ACTIVITY_HOLD_MAX_MS });
    }
    this.#activityUntil = now + ACTIVITY_QUIET_MS;
    if (this.#pending.length > 0) this.#armQuietWindow();
  }

  #keepReason(running: Running): KeepReason | undefined {
    const ageMs = this.#now() - running.startedAt;
    const policy = this.#options.cancelPolicy ?? CANCEL_POLICY;
    if (ageMs >= policy.maxAgeMs) return { by: 'age', ageMs };
    if (this.#cancelStreak + 1 >= policy.maxConsecutive) {
      return { by: 'streak', cancelled: this.#cancelStreak };
    }
    return undefined;
  }

  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#pending = [];
    this.#pendingSince = undefined;
    this.#due = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const running = this.#running;
    if (running) {
      const reason: CancelReason = { by: 'shutdown' };
      running.controller.abort(reason);
      await running.settled;
    }
    this.#notifyIdle();
  }

  #armQuietWindow(): void {
    this.#due = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const quietMs = this.#quietWindowMs();
    if (quietMs <= 0) {
      // 0 means 0: no timer clamp (setTimeout(0) waits >= 1 ms); triggers pushed in the
      // same synchronous run still coalesce because the microtask runs after them.
      if (this.#microtaskQueued) return;
      this.#microtaskQueued = true;
      queueMicrotask(() => {
        this.#microtaskQueued = false;
        this.#onQuiet();
      });
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onQuiet();
    }, quietMs);
  }

  #onQuiet(): void {
    if (!this.#closed && this.#pending.length > 0) {
      this.#due = true;
      this.#startIfPossible();
    }
    if (this.#isIdle()) this.#notifyIdle();
  }

  #startIfPossible(): void {
    if (this.#closed || this.#running || !this.#due || this.#pending.length === 0) return;
    this.#due = false;
    const triggers = this.#pending;
    this.#pending = [];
    this.#holdSince = undefined;
    this.#activityUntil = 0;
    const batch: Batch = {
      generation: ++this.#generation,
      triggers,
      files: [
        ...new Set(
          triggers.flatMap((t) => (t.kind === 'change' || t.kind === 'restart' ? t.files : [])),
        ),
      ],
    };
    const controller = new AbortController();
    const leading = this.#leading;
    this.#leading = false;
    // The first build and a key press build what is there: nothing to wait for after them.
    const provisional = leading && !triggers.some((t) => t.kind === 'start' || t.kind === 'manual');
    const quietWindowMs = provisional ? this.#configuredQuietMs() : 0;
    this.#emit({ type: 'started', batch, ...(leading ? { leadingEdge: { quietWindowMs } } : {}) });
    const startedAt = this.#now();
    const since = this.#pendingSince ?? startedAt;
    this.#pendingSince = undefined;
    const provisionalUntil = startedAt + quietWindowMs;
    const settled = this.#run(batch, controller, {
      waitedMs: startedAt - since,
      ...(provisional ? { provisionalUntil } : {}),
    });
    this.#running = {
      generation: batch.generation,
      controller,
      batch,
      settled,
      startedAt,
      since,
      kept: false,
      provisionalUntil,
    };
  }

  async #run(batch: Batch, controller: AbortController, timing: CycleTiming): Promise<void> {
    let outcome: CycleOutcome = 'done';
    try {
      outcome = await this.#options.runCycle(batch, controller.signal, timing);
    } catch (error) {
      this.#emit({ type: 'failed', generation: batch.generation, error });
    }
    const since = this.#running?.since;
    this.#running = undefined;
    if (outcome === 'done') {
      this.#cancelStreak = 0;
      // Writes that held a cancelled cycle's triggers hold nothing now: none came back.
      if (this.#pending.length === 0) {
        this.#holdSince = undefined;
        this.#activityUntil = 0;
      }
    }
    this.#emit({ type: 'finished', generation: batch.generation, outcome });
    if (outcome === 'cancelled' && !this.#closed) {
      // The cancelled cycle's changes were never applied: they belong to the next batch.
      this.#pending = [...batch.triggers, ...this.#pending];
      // Its triggers were seen first: the wait counts from them.
      if (since !== undefined) this.#pendingSince = Math.min(since, this.#pendingSince ?? since);
      this.#emit({
        type: 'requeued',
        generation: batch.generation,
        triggers: batch.triggers.length,
      });
      // Nothing new arrived? Then nothing restarts the quiet window: run again now. A cycle
      // cancelled by writes waits for them to end.
      if (this.#timer === undefined && !this.#microtaskQueued) {
        if (this.#activityUntil > this.#now()) this.#armQuietWindow();
        else this.#due = true;
      }
    }
    this.#startIfPossible();
    if (this.#isIdle()) this.#notifyIdle();
  }

  #isIdle(): boolean {
    return (
      this.#running === undefined &&
      (this.#closed || this.#pending.length === 0) &&
      this.#timer === undefined &&
      !this.#microtaskQueued
    );
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #configuredQuietMs(): number {
    const q = this.#options.quietWindowMs;
    return typeof q === 'function' ? q() : q;
  }

  #quietWindowMs(): number {
    const configured = this.#configuredQuietMs();
    const deletes = this.#pending.some((t) => t.kind === 'change' && t.deletes === true);
    const held = Math.max(0, this.#activityUntil - this.#now());
    return Math.max(deletes ? Math.max(configured, DELETION_SETTLE_MS) : configured, held);
  }

  #emit(decision: SchedulerDecision): void {
    this.#options.onDecision?.(decision);
  }
}
