import { lstatSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Snapshot } from './snapshot.js';

/**
 * What became of a watch root's directory: `same` = still the directory the snapshot knows,
 * `gone` = missing or not a directory, `replaced` = another directory stands there (or the
 * same inode number after the root was deleted or moved away and back).
 */
export type RootState = 'same' | 'gone' | 'replaced';

/**
 * Looks at a root directory (synchronously). `renamed`: an event said the root itself was deleted or moved;
 * libuv names such an event after the directory, so a child of the same name looks alike.
 */
export function lookAtRoot(root: string, snapshot: Snapshot, renamed: boolean): RootState {
  const st = statOrUndefined(root);
  if (st === undefined || !st.isDirectory()) return 'gone';
  if (snapshot.dirKey(root) !== `${st.dev}:${st.ino}`) return 'replaced';
  if (!renamed) return 'same';
  // rm -rf root && mkdir root: ext4 often hands the new directory the old inode number. Only a
  // child with the root's name makes the event mean something else.
  const child = join(root, basename(root));
  if (snapshot.hasDir(child) || snapshot.hasFile(child)) return 'same';
  return lstatOrUndefined(child) === undefined ? 'replaced' : 'same';
}

// Synchronous, like the scanner's stats: a thread-pool round trip costs more than the call.
function statOrUndefined(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Calls `tick` once per `arm()`, after a delay that starts at `firstMs` and doubles with each
 * arm up to `maxMs`. The timer is unref'd; `reset()` cancels it and starts over.
 */
export class Backoff {
  readonly #firstMs: number;
  readonly #maxMs: number;
  readonly #tick: () => void;
  #delayMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(firstMs: number, maxMs: number, tick: () => void) {
    this.#firstMs = firstMs;
    this.#maxMs = maxMs;
    this.#tick = tick;
    this.#delayMs = firstMs;
  }

  arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#tick();
    }, this.#delayMs);
    this.#timer.unref();
    this.#delayMs = Math.min(this.#delayMs * 2, this.#maxMs);
  }

  reset(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#delayMs = this.#firstMs;
  }
}
