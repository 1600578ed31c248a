import { dirname, sep } from 'node:path';
import type { Verdict } from './snapshot.js';
import type { TreeScanner } from './tree-scanner.js';

// Polling may use at most a tenth of the wall clock per kind of sweep: a sweep of 40 ms allows
// the default 500 ms interval, a sweep of 400 ms (100,000 hot files) stretches it to 3.6 s.
const MAX_DUTY_DIVISOR = 10;

/**
 * Full sweeps (every directory listed: cold files' existence, new entries anywhere) come this
 * many poll intervals apart; the sweeps in between list only the hot and warm directories and
 * stat the hot files (TreeScanner.sweep).
 */
export const COLD_POLL_FACTOR = 10;

/**
 * A directory a sweep found changed (or new) stays warm, listed by every sweep, until it has
 * been left alone for this many poll intervals (30 s at the default 500 ms); then it is listed
 * by full sweeps only, unless it holds a hot file.
 */
export const WARM_POLL_FACTOR = 60;

/** Options of {@link Poller}. */
export interface PollerOptions {
  readonly scanner: TreeScanner;
  /** Pause between the end of one sweep and the start of the next. */
  readonly intervalMs: number;
  readonly onVerdicts: (verdicts: readonly Verdict[]) => void;
  /** A sweep of one tree failed (its other trees' changes are still delivered). */
  readonly onError?: (err: unknown) => void;
}

/**
 * The poll backend: sweeps a set of directory trees (poll roots, and native subtrees that
 * fell back to polling) with the scanner, a full sweep every {@link COLD_POLL_FACTOR}
 * intervals and a hot one at the others. One sweep at a time; the timer is unref'd and only
 * runs after `start()`.
 *
 * Latency contract, with I = {@link effectiveIntervalMs} (the configured interval, stretched
 * on trees too big to sweep that often) and C = {@link effectiveColdIntervalMs}
 * ({@link COLD_POLL_FACTOR} x I, stretched the same way), each plus the time of one sweep:
 *
 * - within I: an edit, creation, deletion or rename of a hot file (edits that keep size and
 *   mtime are caught by the racy-clean rule and content hashes, see Snapshot.verify); a new,
 *   removed or renamed entry in a hot directory (the root of a tree, a directory holding a
 *   hot file, an ancestor of one) or in a warm one (its listing changed, or it appeared,
 *   within the last {@link WARM_POLL_FACTOR} x I);
 * - within C: a new, removed or renamed entry anywhere else (cold files are tracked by
 *   existence only: their edits are never reported by polling).
 *
 * `sweep()` (the watcher's sync) is a full sweep: whatever it finds is seen at once.
 */
export class Poller {
  readonly #options: PollerOptions;
  readonly #trees = new Set<string>();
  #chain: Promise<void> = Promise.resolve();
  /** A sweep queued behind the running one; callers of sweep() share it. */
  #queued: Promise<void> | undefined;
  /** The queued sweep is to be a full one. */
  #queuedFull = false;
  #timer: NodeJS.Timeout | undefined;
  #lastHotSweepMs = 0;
  #lastFullSweepMs = 0;
  /** performance.now() at the end of the last full sweep (or the initial walk). */
  #lastFullAt = 0;
  #started = false;
  #closed = false;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  /**
   * The pause actually used between sweeps: the configured interval, stretched so sweeping
   * takes at most 1/MAX_DUTY_DIVISOR of the time on trees too big to sweep that often.
   */
  get effectiveIntervalMs(): number {
    return Math.max(
      this.#options.intervalMs,
      Math.round(this.#lastHotSweepMs * (MAX_DUTY_DIVISOR - 1)),
    );
  }

  /** The time between full sweeps, stretched the same way by their own duration. */
  get effectiveColdIntervalMs(): number {
    return Math.max(
      this.#options.intervalMs * COLD_POLL_FACTOR,
      Math.round(this.#lastFullSweepMs * (MAX_DUTY_DIVISOR - 1)),
    );
  }

  get treeCount(): number {
    return this.#trees.size;
  }

  /** True when `dir` is one of the polled trees or below one (O(depth), asked per directory). */
  covers(dir: string): boolean {
    for (let p = dir; ; p = dirname(p)) {
      if (this.#trees.has(p)) return true;
      if (dirname(p) === p) return false;
    }
  }

  /** Polls the tree at `dir` from now on (trees below it are merged into it). */
  add(dir: string): void {
    if (this.covers(dir)) return;
    for (const tree of this.#trees) if (tree.startsWith(dir + sep)) this.#trees.delete(tree);
    this.#trees.add(dir);
  }

  /** Stops polling the tree at `dir` (it is no longer watched). */
  remove(dir: string): void {
    this.#trees.delete(dir);
  }

  /** The polled trees. */
  trees(): string[] {
    return [...this.#trees];
  }

  /** Starts the periodic sweeps (after the initial walk, so start-up files are not reported). */
  start(): void {
    this.#started = true;
    this.#lastFullAt = performance.now();
    this.#arm();
  }

  /**
   * Resolves after a sweep that started after this call has finished; a full one (every
   * directory listed) unless `full` is false.
   */
  sweep(full = true): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (full) this.#queuedFull = true;
    if (this.#queued !== undefined) return this.#queued;
    const run = this.#chain.then(async () => {
      this.#queued = undefined;
      const isFull = this.#queuedFull;
      this.#queuedFull = false;
      await this.#sweepOnce(isFull);
    });
    this.#queued = run;
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Runs `fn` between sweeps: no sweep runs until it has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    this.#chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#chain;
  }

  async #sweepOnce(full: boolean): Promise<void> {
    if (this.#closed) return;
    const out: Verdict[] = [];
    const started = performance.now();
    const warmForMs = this.effectiveIntervalMs * WARM_POLL_FACTOR;
    // One tree that cannot be read must not cost the others their changes.
    const results = await Promise.allSettled(
      [...this.#trees].map((tree) => this.#options.scanner.sweep(tree, out, full, {}, warmForMs)),
    );
    for (const r of results) {
      if (r.status === 'rejected') this.#options.onError?.(r.reason);
    }
    const ended = performance.now();
    if (full) {
      this.#lastFullSweepMs = ended - started;
      this.#lastFullAt = ended;
    } else this.#lastHotSweepMs = ended - started;
    if (!this.#closed && out.length > 0) this.#options.onVerdicts(out);
  }

  #arm(): void {
    if (this.#closed || !this.#started) return;
    this.#timer = setTimeout(() => {
      // Due a little early rather than a whole interval late.
      const sinceFull = performance.now() - this.#lastFullAt + this.#options.intervalMs / 2;
      this.sweep(sinceFull >= this.effectiveColdIntervalMs).then(
        () => this.#arm(),
        () => this.#arm(),
      );
    }, this.effectiveIntervalMs);
    this.#timer.unref();
  }
}
