import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Name prefix of cookie files; such files are never reported as changes. */
export const COOKIE_PREFIX = '.gohot-cookie-';

/** True for a file name written by a {@link CookieJar} (of any gohot process). */
export function isCookieName(name: string): boolean {
  return name.startsWith(COOKIE_PREFIX);
}

/**
 * How far a cookie's event must have got: `arrived` = the native listener saw it (so every
 * earlier event was read too, inotify delivers in order); `delivered` = the event queue
 * processed it (so every earlier change went to onChanges).
 */
export type CookieStage = 'arrived' | 'delivered';

/** Result of one round trip. */
export type CookieOutcome = 'seen' | 'timeout' | 'unwritable' | 'closed';

interface Waiter {
  readonly arrived: (outcome: CookieOutcome) => void;
  readonly delivered: (outcome: CookieOutcome) => void;
  /** The cookie file, removed by close() if its round trip has not removed it yet. */
  readonly path: string;
}

/**
 * Writes uniquely named cookie files and waits for the native backend to report them
 * (watchman's cookies). Used by `sync()` and as the start-up canary that proves inotify
 * events arrive for a root at all.
 */
export class CookieJar {
  readonly #prefix: string;
  readonly #waiters = new Map<string, Waiter>();
  #next = 0;
  #closed = false;

  constructor(pid: number = process.pid) {
    // The random part keeps two watchers of one process on one root apart.
    this.#prefix = `${COOKIE_PREFIX}${pid}-${randomBytes(3).toString('hex')}-`;
  }

  /** True while a round trip waits for this cookie name. */
  isPending(name: string): boolean {
    return this.#waiters.has(name);
  }

  /** Called by the native backend when a cookie's event reached `stage`. */
  observe(name: string, stage: CookieStage): void {
    const waiter = this.#waiters.get(name);
    if (waiter === undefined) return;
    if (stage === 'arrived') waiter.arrived('seen');
    else {
      waiter.arrived('seen');
      waiter.delivered('seen');
    }
  }

  /**
   * Creates a cookie in `dir` and waits up to `timeoutMs` for its event to arrive; for stage
   * 'delivered' then also until the queue has processed it (however long the work before it
   * takes: the timeout only tests whether events come at all). Removes the file; never rejects.
   */
  async roundTrip(dir: string, timeoutMs: number, stage: CookieStage): Promise<CookieOutcome> {
    if (this.#closed) return 'closed';
    const name = `${this.#prefix}${this.#next++}`;
    const path = join(dir, name);
    let arrived!: (outcome: CookieOutcome) => void;
    let delivered!: (outcome: CookieOutcome) => void;
    const arrival = new Promise<CookieOutcome>((resolve) => {
      arrived = resolve;
    });
    const delivery = new Promise<CookieOutcome>((resolve) => {
      delivered = resolve;
    });
    this.#waiters.set(name, { arrived, delivered, path });
    try {
      await writeFile(path, '');
    } catch {
      this.#waiters.delete(name);
      return 'unwritable';
    }
    // close() ran while the file was being written: it could not remove it, so do it here.
    if (this.#closed) {
      rmSync(path, { force: true });
      return 'closed';
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<CookieOutcome>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    let outcome = await Promise.race([arrival, timedOut]);
    clearTimeout(timer);
    if (outcome === 'seen' && stage === 'delivered') outcome = await delivery;
    this.#waiters.delete(name);
    await rm(path, { force: true }).catch(() => undefined);
    return outcome;
  }

  /**
   * Ends every pending round trip with 'closed' and removes their files at once (a process
   * that exits right after close() must not leave cookies in the user's project); later round
   * trips return 'closed' at once.
   */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.values()) {
      try {
        rmSync(waiter.path, { force: true });
      } catch {
        // a directory that went away took the cookie with it
      }
      waiter.arrived('closed');
      waiter.delivered('closed');
    }
    this.#waiters.clear();
  }
}
