import type { Baseline, FileFacts } from '../classify/content-delta.js';
import type { GoFileFacts } from '../go/file-facts.js';

/** How many contents of one file keep their Go tokens (the baseline, the latest, a few in between). */
const FACTS_PER_FILE = 4;

/**
 * What the last build saw of every file a change touched: the content hash (or that the file
 * was absent), and the Go tokens of contents that were read. A change is compared with this,
 * not with the previous event, so a batch's net effect decides: a file deleted and re-created
 * with the same bytes, or an edit undone before the build, is no change.
 *
 * A file is pinned the first time a change names it, to the content the watcher had before
 * that change (`before`); a build that finishes (built or failed, not cancelled) moves the
 * pins of its files to what it read. Tokens are kept per content hash, so a pin whose content
 * was never read (edited before gohot read it) has no tokens and the change is not taken for a
 * comment edit.
 *
 * While a build runs (`begin` .. `commit`/`abandon`), a change of one of its files is compared
 * with what that build read, not with the last finished build: an edit undone during the
 * build is then a change. A file whose change needed a build while one ran may have been read
 * by it at any content: a build that finishes leaves it without a baseline, so the next batch
 * builds it. A build input that changed under a build without needing one (a comment edit) is
 * noted too: a failed build with such files is built again rather than believed.
 */
export class BaselineStore {
  /** path -> content hash the last build saw, 'absent', or 'unknown'. */
  readonly #pins = new Map<string, string>();
  /** path -> content hash -> tokens, a few per file. */
  readonly #tokens = new Map<string, Map<string, GoFileFacts>>();
  /** What the running build read, by path (undefined: absent); undefined when none runs. */
  #building: ReadonlyMap<string, FileFacts | undefined> | undefined;
  /** Files whose change needed a build while one ran. */
  readonly #changedDuringBuild = new Set<string>();
  /** Build inputs that changed while a build ran without needing a build (comment edits). */
  readonly #quietDuringBuild = new Set<string>();

  /** The baseline of `path`; pins it to `before` (the watcher's previous hash) on first sight. */
  baseline(path: string, before: string | 'absent' | undefined): Baseline {
    if (this.#building?.has(path)) {
      const read = this.#building.get(path);
      return read === undefined ? 'absent' : read;
    }
    let pin = this.#pins.get(path);
    if (pin === undefined) {
      if (before === undefined) return undefined;
      pin = before;
      this.#pins.set(path, pin);
    }
    if (pin === ABSENT) return 'absent';
    if (pin === UNKNOWN) return undefined;
    return { hash: pin, go: this.#tokens.get(path)?.get(pin) };
  }

  /** Remembers the tokens of content read now (called for every read, seeds included). */
  remember(path: string, facts: FileFacts | undefined): void {
    if (facts?.go === undefined) return;
    let byHash = this.#tokens.get(path);
    if (byHash === undefined) {
      byHash = new Map();
      this.#tokens.set(path, byHash);
    }
    byHash.delete(facts.hash);
    byHash.set(facts.hash, facts.go);
    const pin = this.#pins.get(path);
    for (const hash of byHash.keys()) {
      if (byHash.size <= FACTS_PER_FILE) break;
      if (hash !== pin) byHash.delete(hash);
    }
  }

  /** A build starts that read these contents (undefined: the file did not exist). */
  begin(read: ReadonlyMap<string, FileFacts | undefined>): void {
    this.#building = read;
    this.#changedDuringBuild.clear();
  }

  /** A change of `path` needs a build; noted when one runs (see the class comment). */
  needsBuild(path: string): void {
    if (this.#building !== undefined) this.#changedDuringBuild.add(path);
  }

  /**
   * A build input changed without needing a build (a comment edit); noted when a build runs:
   * that build may have read it half-written.
   */
  changedQuietly(path: string): void {
    if (this.#building !== undefined) this.#quietDuringBuild.add(path);
  }

  /**
   * Build inputs that changed under the running build without needing a build by
   * themselves. When that build fails, its errors may come from reading them half-written.
   */
  changedUnderBuild(): readonly string[] {
    return [...this.#quietDuringBuild];
  }

  /** The running build was cancelled (or never ran): the baseline stays the last build's. */
  abandon(): void {
    this.#building = undefined;
    this.#changedDuringBuild.clear();
    this.#quietDuringBuild.clear();
  }

  /** A finished build read these contents (undefined: the file did not exist). */
  commit(read: ReadonlyMap<string, FileFacts | undefined>): void {
    for (const [path, facts] of read) {
      this.#pins.set(path, facts === undefined ? ABSENT : facts.hash);
      this.remember(path, facts);
    }
    for (const path of this.#changedDuringBuild) this.#pins.set(path, UNKNOWN);
    this.abandon();
  }

  /** True once some content of `path` had its tokens read. */
  hasTokens(path: string): boolean {
    return (this.#tokens.get(path)?.size ?? 0) > 0;
  }

  /** Number of pinned files (for inspect and tests). */
  get size(): number {
    return this.#pins.size;
  }
}

const ABSENT = 'absent';
/** Pinned, but what the last build read is not known (it ran while the file changed). */
const UNKNOWN = '?unknown';
