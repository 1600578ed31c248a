import { lstatSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import type { WatchObservation } from './types.js';

/**
 * Keeps the watcher inside its roots: a directory or file whose real path (symlinks resolved)
 * lies outside every watch root is not walked or tracked (a symlink to GOROOT or to `/` would
 * otherwise be hashed whole and rebuild on edits there). Observed once per path and target
 * (only for a path that is a symlink itself: the files below a symlinked directory are
 * covered by its observation). Links that stay inside a root are left alone.
 */
export class LinkBoundary {
  readonly #roots: readonly string[];
  readonly #observe: (observation: WatchObservation) => void;
  /** The roots' real paths, refreshed before anything is judged outside (a root may move). */
  #realRoots: readonly string[];
  /** Path -> the real path it was noted with. */
  readonly #noted = new Map<string, string>();

  constructor(roots: readonly string[], observe: (observation: WatchObservation) => void) {
    this.#roots = roots;
    this.#observe = observe;
    this.#realRoots = this.#resolveRoots();
  }

  /**
   * True when `path` (a symlink, or a path through one) resolves outside every root: it is
   * not to be walked (`directory`) or tracked (`file`). A path that cannot be resolved is not
   * outside: whoever asked finds out it is missing.
   */
  excludes(path: string, kind: 'directory' | 'file'): boolean {
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch {
      return false;
    }
    if (this.#inside(real)) return false;
    this.#realRoots = this.#resolveRoots();
    if (this.#inside(real)) return false;
    if (this.#noted.get(path) !== real && isSymlink(path)) {
      this.#noted.set(path, real);
      this.#observe({ type: 'link-outside-roots', path, target: real, kind });
    }
    return true;
  }

  #inside(real: string): boolean {
    return this.#realRoots.some((root) => isInsideDir(real, root));
  }

  #resolveRoots(): string[] {
    const out = new Set(this.#roots);
    for (const root of this.#roots) {
      try {
        out.add(realpathSync.native(root));
      } catch {
        // missing for now: the lexical path still counts
      }
    }
    return [...out];
  }
}

/** True when absolute `path` is `dir` or below it (lexically). */
export function isInsideDir(path: string, dir: string): boolean {
  if (path === dir) return true;
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
