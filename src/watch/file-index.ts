import { sep } from 'node:path';
import {
  type FileEntry,
  type FileRef,
  FileTable,
  LISTED,
  PENDING,
  type StatFields,
} from './file-table.js';
import { NameList } from './name-list.js';
import type { FileTier } from './types.js';

export type { FileEntry, FileRef, StatFields } from './file-table.js';
export { LISTED, PENDING } from './file-table.js';

/** What a file's handle tells (see {@link FileIndex.records}). */
export type FileRecords = Pick<
  FileTable,
  'tier' | 'hash' | 'mtimeMs' | 'recordedAtMs' | 'sameStat' | 'entry'
>;

/** When a directory's listing was last read whole, and what was in it besides the index. */
export interface ListingStamp {
  /** The directory's mtime and ctime from a stat taken just before the listing was read. */
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** Wall clock just before that stat. */
  readonly recordedAtMs: number;
  /**
   * Names in the listing that are neither tracked files nor known directories (untracked
   * files, skipped directories, links leading out of the roots): what a changed filter may
   * let in.
   */
  readonly ignored: NameList;
  /**
   * The names of `ignored` that were not plain files (directories, links, others), when the
   * reader of the listing told them apart; undefined: any of them may be a directory. A name
   * ignored as a plain file can only be let in as a file (refilter.ts), by its name.
   */
  readonly others: NameList | undefined;
  /** The listing held a symbolic link: its target can change with no trace in the stat. */
  readonly hasLinks: boolean;
}

/** The tracked files and known subdirectories directly in one directory, by name. */
export interface DirListing {
  /** `dev:ino` of a known directory, undefined when it is not known (see DirNode). */
  readonly key: string | undefined;
  /** The tracked files by name, each with the handle of its record (FileIndex.records). */
  readonly files: ReadonlyMap<string, FileRef>;
  /** How many of `files` are hot. */
  readonly hot: number;
  readonly subdirs: ReadonlySet<string>;
  /** Set when the listing was read whole; dropped when the directory is forgotten. */
  readonly stamp: ListingStamp | undefined;
}

interface DirNode extends DirListing {
  /**
   * `dev:ino` of a known directory; undefined for a directory that is not (or no longer)
   * known but still holds tracked files (they are dropped when verified gone).
   */
  key: string | undefined;
  /** NO_FILES (shared) until a file is set. */
  files: Map<string, FileRef>;
  /** NO_SUBDIRS (shared) until a subdirectory is added. */
  subdirs: Set<string>;
  stamp: ListingStamp | undefined;
  hot: number;
}

// Most directories hold no subdirectory (the leaves of a tree), some no file: they share
// these until something is added (never to these).
const NO_FILES: Map<string, FileRef> = new Map();
const NO_SUBDIRS: Set<string> = new Set();

/**
 * The snapshot's index: per directory the tracked files (by name) and the known
 * subdirectories, with counts of hot and cold files. Keyed by directory and then by the
 * name a directory listing gives, so that a walk records a file without building and
 * hashing its absolute path into one big map, and a sweep compares a listing without
 * building paths for the files it only has to find there (bench/watcher-tiers.mjs). Paths
 * are absolute and normalized.
 */
export class FileIndex {
  readonly #nodes = new Map<string, DirNode>();
  readonly #dirByKey = new Map<string, string>();
  readonly #table = new FileTable();
  #files = 0;
  #hot = 0;
  /** Hot files whose hash is not recorded yet. */
  #unhashed = 0;
  /** Hot files whose stat is not recorded yet ({@link PENDING}). */
  #pending = 0;
  #dirs = 0;
  /** Bumped whenever the known directories, or which of them are cold-only, change. */
  #shape = 0;
  // The node of the last file set: a walk sets the files of one directory in a row.
  #lastDir: string | undefined;
  #lastNode: DirNode | undefined;

  get fileCount(): number {
    return this.#files;
  }

  get hotCount(): number {
    return this.#hot;
  }

  get dirCount(): number {
    return this.#dirs;
  }

  /** Changes whenever the known directories, or which of them are cold-only, change. */
  get shape(): number {
    return this.#shape;
  }

  /** How many hot files have no hash recorded yet. */
  get unhashedCount(): number {
    return this.#unhashed;
  }

  /** How many hot files have no stat recorded yet ({@link PENDING}). */
  get pendingCount(): number {
    return this.#pending;
  }

  /** The directories that hold a hot file without a recorded stat ({@link PENDING}). */
  dirsWithPending(): string[] {
    const out: string[] = [];
    if (this.#pending === 0) return out;
    for (const [dir, node] of this.#nodes) {
      if (node.hot === 0) continue;
      for (const ref of node.files.values()) {
        if (ref !== PENDING) continue;
        out.push(dir);
        break;
      }
    }
    return out;
  }

  /** What the handles of {@link DirListing.files} and {@link ref} stand for. */
  get records(): FileRecords {
    return this.#table;
  }

  /** Hot files whose hash is not recorded yet. */
  unhashed(): string[] {
    const out: string[] = [];
    if (this.#unhashed === 0) return out;
    const table = this.#table;
    for (const [dir, node] of this.#nodes) {
      if (node.hot === 0) continue;
      const prefix = withSep(dir);
      for (const [name, ref] of node.files) {
        if (table.tier(ref) === 'hot' && table.hash(ref) === undefined) out.push(prefix + name);
      }
    }
    return out;
  }

  /** The record of `path` as a plain value. */
  file(path: string): FileEntry | undefined {
    const ref = this.ref(path);
    return ref === undefined ? undefined : this.#table.entry(ref);
  }

  /** The handle of the record of `path`. */
  ref(path: string): FileRef | undefined {
    const i = path.lastIndexOf(sep);
    return this.#nodes.get(parentAt(path, i))?.files.get(path.slice(i + 1));
  }

  /** The files and known subdirectories directly in `dir`, if it holds any. */
  listing(dir: string): DirListing | undefined {
    return this.#nodes.get(dir);
  }

  /**
   * Records file `name` in `dir`: its tier, stat, hash and when the stat was taken. Without a
   * stat, a cold file known from the listing only ({@link LISTED}), or a hot one whose stat is
   * taken later ({@link PENDING}).
   */
  setFileIn(
    dir: string,
    name: string,
    tier: FileTier,
    st: StatFields | undefined,
    hash: string | undefined,
    recordedAtMs: number,
  ): void {
    let node = this.#lastDir === dir ? this.#lastNode : undefined;
    if (node === undefined) {
      node = this.#node(dir);
      this.#lastDir = dir;
      this.#lastNode = node;
    }
    const table = this.#table;
    const old = node.files.get(name);
    let ref: FileRef;
    if (old === undefined) {
      this.#files++;
      if (node.files.size === 0) this.#shape++;
    } else this.#uncount(node, old);
    if (st === undefined) {
      if (old !== undefined) table.remove(old);
      ref = tier === 'hot' ? PENDING : LISTED;
    } else if (old === undefined || old < 0) {
      ref = table.add(tier, st, hash, recordedAtMs);
    } else {
      table.set(old, tier, st, hash, recordedAtMs);
      ref = old;
    }
    if (ref !== old) {
      if (node.files === NO_FILES) node.files = new Map();
      node.files.set(name, ref);
    }
    this.#count(node, ref);
  }

  setFile(
    path: string,
    tier: FileTier,
    st: StatFields | undefined,
    hash: string | undefined,
    recordedAtMs: number,
  ): void {
    const i = path.lastIndexOf(sep);
    this.setFileIn(parentAt(path, i), path.slice(i + 1), tier, st, hash, recordedAtMs);
  }

  /** Makes a known file cold, keeping its stat and dropping its hash. */
  makeCold(path: string): void {
    const i = path.lastIndexOf(sep);
    const node = this.#nodes.get(parentAt(path, i));
    const ref = node?.files.get(path.slice(i + 1));
    if (node === undefined || ref === undefined || this.#table.tier(ref) === 'cold') return;
    this.#uncount(node, ref);
    // Without a stat to keep, a cold file is known from its listing only.
    if (ref === PENDING) node.files.set(path.slice(i + 1), LISTED);
    else this.#table.setTier(ref, 'cold');
    this.#count(node, ref === PENDING ? LISTED : ref);
  }

  /** Forgets `path`; false when it was not known. */
  deleteFile(path: string): boolean {
    const i = path.lastIndexOf(sep);
    const dir = parentAt(path, i);
    const node = this.#nodes.get(dir);
    const name = path.slice(i + 1);
    const old = node?.files.get(name);
    if (node === undefined || old === undefined) return false;
    node.files.delete(name);
    this.#files--;
    if (node.files.size === 0) this.#shape++;
    this.#uncount(node, old);
    this.#table.remove(old);
    this.#prune(dir, node);
    return true;
  }

  /**
   * Calls `fn` with every tracked file and its tier, live: a file changed or dropped by `fn`
   * or before its turn is seen as it is then.
   */
  forEachFile(fn: (path: string, tier: FileTier) => void): void {
    const table = this.#table;
    for (const [dir, node] of this.#nodes) {
      const prefix = withSep(dir);
      for (const [name, ref] of node.files) fn(prefix + name, table.tier(ref));
    }
  }

  /** True for a known directory that holds cold files and no hot one. */
  isColdOnly(dir: string): boolean {
    const node = this.#nodes.get(dir);
    return node !== undefined && node.key !== undefined && node.hot === 0 && node.files.size > 0;
  }

  hasDir(dir: string): boolean {
    return this.#nodes.get(dir)?.key !== undefined;
  }

  dirKey(dir: string): string | undefined {
    return this.#nodes.get(dir)?.key;
  }

  dirWithKey(key: string): string | undefined {
    return this.#dirByKey.get(key);
  }

  addDir(dir: string, key: string): void {
    const node = this.#node(dir);
    if (node.key === undefined) {
      this.#dirs++;
      this.#shape++;
    } else if (this.#dirByKey.get(node.key) === dir) this.#dirByKey.delete(node.key);
    node.key = key;
    this.#dirByKey.set(key, dir);
    const i = dir.lastIndexOf(sep);
    if (i >= 0 && dir.length > 1) {
      const parent = this.#node(parentAt(dir, i));
      if (parent.subdirs === NO_SUBDIRS) parent.subdirs = new Set();
      parent.subdirs.add(dir.slice(i + 1));
    }
  }

  /** Records that the listing of known directory `dir` was read whole (see ListingStamp). */
  stampListing(
    dir: string,
    mtimeMs: number,
    ctimeMs: number,
    recordedAtMs: number,
    ignored: readonly string[] | undefined,
    hasLinks: boolean,
    others?: readonly string[],
  ): void {
    const node = this.#nodes.get(dir);
    if (node?.key === undefined) return;
    const names = ignored === undefined ? NameList.EMPTY : NameList.ofListing(ignored);
    const otherNames = others === undefined ? undefined : NameList.ofListing(others);
    node.stamp = { mtimeMs, ctimeMs, recordedAtMs, ignored: names, others: otherNames, hasLinks };
  }

  /**
   * Notes an entry of `dir` that is not tracked (an event named it), for a later refilter;
   * `plainFile`: it is a regular file.
   */
  ignore(dir: string, name: string, plainFile: boolean): void {
    const stamp = this.#nodes.get(dir)?.stamp;
    if (stamp === undefined) return;
    const ignored = stamp.ignored.with(name);
    const others = plainFile ? stamp.others : stamp.others?.with(name);
    if (ignored === stamp.ignored && others === stamp.others) return;
    this.#nodes.get(dir)!.stamp = { ...stamp, ignored, others };
  }

  /** Forgets the ignored names of `dir` that `keep` rejects. */
  unignore(dir: string, keep: (name: string) => boolean): void {
    const node = this.#nodes.get(dir);
    const stamp = node?.stamp;
    if (node === undefined || stamp === undefined || stamp.ignored.size === 0) return;
    const ignored = stamp.ignored.filter(keep);
    if (ignored !== stamp.ignored)
      node.stamp = { ...stamp, ignored, others: stamp.others?.filter(keep) };
  }

  /** Forgets a directory's own record; files below stay until they are dropped. */
  forgetDir(dir: string): void {
    const node = this.#nodes.get(dir);
    if (node === undefined || node.key === undefined) return;
    if (this.#dirByKey.get(node.key) === dir) this.#dirByKey.delete(node.key);
    node.key = undefined;
    node.stamp = undefined;
    this.#dirs--;
    this.#shape++;
    const i = dir.lastIndexOf(sep);
    const parent = parentAt(dir, i);
    const parentNode = this.#nodes.get(parent);
    if (parentNode !== undefined && dir.length > 1) {
      parentNode.subdirs.delete(dir.slice(i + 1));
      this.#prune(parent, parentNode);
    }
    this.#prune(dir, node);
  }

  /** How many tracked files and known directories are directly in `dir`. */
  childCount(dir: string): number {
    const node = this.#nodes.get(dir);
    if (node === undefined) return 0;
    let n = node.files.size + node.subdirs.size;
    // A name can be a file and a directory at once for a moment (replaced, not verified yet).
    if (node.subdirs.size > 0) for (const name of node.subdirs) if (node.files.has(name)) n--;
    return n;
  }

  /** Tracked files and known directories directly in `dir`. */
  childrenOf(dir: string): string[] {
    const node = this.#nodes.get(dir);
    if (node === undefined) return [];
    const prefix = withSep(dir);
    const names = new Set([...node.files.keys(), ...node.subdirs]);
    return [...names].map((name) => prefix + name);
  }

  /** `dir` (when known) and every known directory below it, parents first. */
  dirsUnder(dir: string): string[] {
    const out: string[] = this.hasDir(dir) ? [dir] : [];
    for (let i = 0; i < out.length; i++) {
      const d = out[i]!;
      const prefix = withSep(d);
      for (const name of this.#nodes.get(d)?.subdirs ?? []) {
        if (this.hasDir(prefix + name)) out.push(prefix + name);
      }
    }
    return out;
  }

  /** Every tracked file below `dir`, through known directories. */
  filesUnder(dir: string): string[] {
    const files: string[] = [];
    const dirs = [dir];
    for (let d = dirs.pop(); d !== undefined; d = dirs.pop()) {
      const node = this.#nodes.get(d);
      if (node === undefined) continue;
      const prefix = withSep(d);
      for (const name of node.files.keys()) files.push(prefix + name);
      for (const name of node.subdirs) if (this.hasDir(prefix + name)) dirs.push(prefix + name);
    }
    return files;
  }

  #node(dir: string): DirNode {
    let node = this.#nodes.get(dir);
    if (node === undefined) {
      node = { key: undefined, files: NO_FILES, subdirs: NO_SUBDIRS, stamp: undefined, hot: 0 };
      this.#nodes.set(dir, node);
    }
    return node;
  }

  #count(node: DirNode, ref: FileRef): void {
    if (this.#table.tier(ref) !== 'hot') return;
    if (ref === PENDING) this.#pending++;
    this.#hot++;
    if (node.hot++ === 0) this.#shape++;
    if (this.#table.hash(ref) === undefined) this.#unhashed++;
  }

  #uncount(node: DirNode, ref: FileRef): void {
    if (this.#table.tier(ref) !== 'hot') return;
    if (ref === PENDING) this.#pending--;
    this.#hot--;
    if (--node.hot === 0) this.#shape++;
    if (this.#table.hash(ref) === undefined) this.#unhashed--;
  }

  /** Drops a node that is neither a known directory nor holds anything. */
  #prune(dir: string, node: DirNode): void {
    if (node.key !== undefined || node.files.size > 0 || node.subdirs.size > 0) return;
    this.#nodes.delete(dir);
    if (this.#lastNode === node) {
      this.#lastDir = undefined;
      this.#lastNode = undefined;
    }
  }
}

/** The parent of `path`, whose last separator is at `i` (the root for `/x`). */
function parentAt(path: string, i: number): string {
  return i === 0 ? sep : path.slice(0, i);
}

function withSep(dir: string): string {
  return dir.endsWith(sep) ? dir : dir + sep;
}
