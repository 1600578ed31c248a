import { sep } from 'node:path';
import type { NameList } from './name-list.js';
import type { Snapshot, Verdict } from './snapshot.js';
import {
  lstatOrUndefined,
  type ScanHooks,
  statOrUndefined,
  type TreeScanner,
} from './tree-scanner.js';
import type { WatchFilter } from './types.js';

/**
 * Re-applies a filter that answers differently now to what the snapshot knows, without
 * reporting anything (Watcher.refilter): known files first, at once (`retier`), then the
 * directories of each tree (`refilterTree`), then the hashes left to record (`complete`).
 */
export class FilterChange {
  readonly #snapshot: Snapshot;
  readonly #filter: WatchFilter;
  readonly #scanner: TreeScanner;

  constructor(snapshot: Snapshot, filter: WatchFilter, scanner: TreeScanner) {
    this.#snapshot = snapshot;
    this.#filter = filter;
    this.#scanner = scanner;
  }

  /**
   * Gives every known file the filter's verdict of now (Snapshot.rebaseline): synchronously,
   * except for files being verified at the moment; resolves when those have theirs too.
   */
  retier(): Promise<void> {
    const snapshot = this.#snapshot;
    const waits: Promise<void>[] = [];
    snapshot.forEachFile((path, was) => {
      const verdict = this.#filter.file(path);
      const tier = verdict.tracked ? (verdict.tier ?? 'hot') : undefined;
      if (tier === was) return;
      const wait = snapshot.rebaseline(path, tier);
      if (wait !== undefined) waits.push(wait);
    });
    return Promise.all(waits).then(() => undefined);
  }

  /**
   * Re-applies the filter to the known directories of the tree at `root`: directories no
   * longer watched are forgotten with everything below (`hooks.leaveDir` releases their
   * watches); what their listings held that was ignored (see ListingStamp) and the filter lets
   * in now is walked and recorded like a start-up walk, hot files' hashes deferred (see
   * Snapshot.complete). Only names the watcher has seen are let in silently: a file created
   * since is left to the event or sweep that finds it, and reported. Known files are left
   * alone: `retier` gave them their new verdicts already.
   */
  async refilterTree(root: string, hooks: ScanHooks): Promise<void> {
    const snapshot = this.#snapshot;
    const scanner = this.#scanner;
    for (const dir of snapshot.dirsUnder(root)) {
      await scanner.yieldIfDue();
      if (scanner.stopped) return;
      if (!snapshot.hasDir(dir)) continue;
      if (dir !== root && !this.#filter.dir(dir).watched) {
        this.#forgetTree(dir, hooks);
        continue;
      }
      // Covered by another pass (a subtree polled instead of watched): judged there.
      if (dir !== root && hooks.skipDir?.(dir)) continue;
      const stamp = snapshot.listing(dir)?.stamp;
      if (stamp === undefined || stamp.ignored.size === 0) continue;
      const letIn = new Set<string>();
      for (const name of stamp.ignored) {
        if (await this.#letIn(dir, name, hooks, stamp.others)) letIn.add(name);
      }
      if (letIn.size > 0) snapshot.unignore(dir, (name) => !letIn.has(name));
    }
  }

  /** Records the deferred hashes of `paths` (Snapshot.complete); changes found go to `out`. */
  async complete(paths: readonly string[], out: Verdict[]): Promise<void> {
    for (const path of paths) {
      await this.#scanner.yieldIfDue();
      if (this.#scanner.stopped) return;
      const kind = await this.#snapshot.complete(path);
      if (kind !== undefined) out.push({ path, kind });
    }
  }

  /**
   * Walks or records an ignored entry of `dir` the filter lets in now; true when it is no
   * longer to be kept as ignored (let in, known already, or gone).
   */
  async #letIn(
    dir: string,
    name: string,
    hooks: ScanHooks,
    others: NameList | undefined,
  ): Promise<boolean> {
    const snapshot = this.#snapshot;
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const abs = prefix + name;
    if (snapshot.hasDir(abs) || snapshot.hasFile(abs)) return true;
    // Listed as a plain file: only the file verdict can let it in, no stat while it does not.
    // On the benchmark's large tree every refilter stat'ed ~50,000 docs and scripts for nothing.
    if (others !== undefined && !others.has(name) && !this.#filter.file(abs).tracked) return false;
    const st = statOrUndefined(abs);
    if (st === undefined) return true;
    if (st.isDirectory()) {
      if (!this.#filter.dir(abs).watched || this.#scanner.leavesRoots(abs, 'directory')) {
        return false;
      }
      await this.#scanner.baseline(abs, hooks, false);
      return true;
    }
    if (!st.isFile()) return false;
    const verdict = this.#filter.file(abs);
    if (!verdict.tracked || this.#scanner.leavesRoots(abs, 'file')) return false;
    const isLink = lstatOrUndefined(abs)?.isSymbolicLink() === true;
    snapshot.recordWalk(dir, name, prefix, verdict.tier ?? 'hot', isLink, false);
    return true;
  }

  /** A directory the filter no longer lets in: forgotten with everything below, silently. */
  #forgetTree(dir: string, hooks: ScanHooks): void {
    const snapshot = this.#snapshot;
    for (const file of snapshot.filesUnder(dir)) void snapshot.rebaseline(file, undefined);
    for (const d of snapshot.dirsUnder(dir)) {
      hooks.leaveDir?.(d);
      snapshot.forgetDir(d);
    }
    snapshot.ignore(dir);
  }
}
