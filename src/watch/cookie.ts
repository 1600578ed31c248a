import { randomBytes } from 'node:crypto';
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
  readonly stage: CookieStage;
  readonly resolve: (outcome: CookieOutcome) => void;
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
    if (waiter === undefined || waiter.stage !== stage) return;
    this.#waiters.delete(name);
    waiter.resolve('seen');
  }

  /**
   * Creates a cookie in `dir`, waits up to `timeoutMs` for its event to reach `stage`, then
   * removes the file. Never rejects.
   */
  async roundTrip(dir: string, timeoutMs: number, stage: CookieStage): Promise<CookieOutcome> {
    if (this.#closed) return 'closed';
    const name = `${this.#prefix}${this.#next++}`;
    const path = join(dir, name);
    const seen = new Promise<CookieOutcome>((resolve) => {
      this.#waiters.set(name, { stage, resolve });
    });
    try {
      await writeFile(path, '');
    } catch {
      this.#waiters.delete(name);
      return 'unwritable';
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<CookieOutcome>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    const outcome = await Promise.race([seen, timedOut]);
    clearTimeout(timer);
    this.#waiters.delete(name);
    await rm(path, { force: true }).catch(() => undefined);
    return outcome;
  }

  /** Ends every pending round trip with 'closed'; later ones return 'closed' at once. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.values()) waiter.resolve('closed');
    this.#waiters.clear();
  }
}
