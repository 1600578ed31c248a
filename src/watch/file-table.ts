import type { FileTier } from './types.js';

/** The stat fields a file record keeps (a `fs.Stats` has them); -1 when not recorded. */
export interface StatFields {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly mode: number;
}

/** What the snapshot remembers about one tracked file, as a plain value. */
export interface FileEntry extends StatFields {
  readonly tier: FileTier;
  /**
   * Content hash, or `!<errno>` when the file could not be read; undefined when not hashed
   * (a cold file, or a hot file whose hash is deferred).
   */
  readonly hash: string | undefined;
  /** Wall clock just before the stat this entry was made from; 0 for {@link LISTED}. */
  readonly recordedAtMs: number;
}

/**
 * A handle of one file's record in a {@link FileTable}: a slot number, or {@link LISTED}.
 * Valid until the record is removed.
 */
export type FileRef = number;

/**
 * The handle of a cold file known from a directory listing only: no stat recorded, so no
 * slot either. Its stat never matches a real one.
 */
export const LISTED: FileRef = -1;

/**
 * The handle of a hot file known from a start-up walk's listing whose stat is not taken yet
 * (the native backend takes it after ready(), see NativeTree): no slot either. Its stat never
 * matches a real one, so any look at it before then is a change.
 */
export const PENDING: FileRef = -2;

/** True for a handle without a slot ({@link LISTED}, {@link PENDING}). */
function noSlot(ref: FileRef): boolean {
  return ref < 0;
}

// Per slot: size, mtimeMs, ctimeMs, ino, mode, recordedAtMs (all exact in a float64).
const STRIDE = 6;
const INITIAL_SLOTS = 256;
// Per slot in #flags.
const FREE = 0;
const COLD = 1;
const HOT = 2;

/**
 * The records of tracked files, struct-of-arrays: the stat fields of every file in one
 * Float64Array and its tier in a byte, so a record costs 49 bytes outside the JS heap plus
 * its hash (hot files), instead of an object with six boxed numbers on the heap: on a tree of
 * 100,000 files, that difference is what the heap has to grow by (bench/footprint.mjs).
 * Slots of removed records are reused.
 */
export class FileTable {
  #stats = new Float64Array(INITIAL_SLOTS * STRIDE);
  #flags = new Uint8Array(INITIAL_SLOTS);
  /** Content hash per slot (see FileEntry.hash); kept packed: one element per slot ever used. */
  readonly #hashes: (string | undefined)[] = [];
  readonly #free: number[] = [];
  /** Slots in use. */
  #count = 0;

  /** How many records are stored. */
  get size(): number {
    return this.#count;
  }

  /** Stores a new record; returns its slot. */
  add(tier: FileTier, st: StatFields, hash: string | undefined, recordedAtMs: number): FileRef {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#hashes.length;
      this.#hashes.push(undefined);
      if (slot === this.#flags.length) this.#grow();
    }
    this.#count++;
    this.set(slot, tier, st, hash, recordedAtMs);
    return slot;
  }

  /** Overwrites the record in `slot`. */
  set(
    slot: FileRef,
    tier: FileTier,
    st: StatFields,
    hash: string | undefined,
    recordedAtMs: number,
  ): void {
    const i = slot * STRIDE;
    const stats = this.#stats;
    stats[i] = st.size;
    stats[i + 1] = st.mtimeMs;
    stats[i + 2] = st.ctimeMs;
    stats[i + 3] = st.ino;
    stats[i + 4] = st.mode;
    stats[i + 5] = recordedAtMs;
    this.#flags[slot] = tier === 'hot' ? HOT : COLD;
    this.#hashes[slot] = hash;
  }

  /** Changes a record's tier, keeping its stat; a cold record keeps no hash. */
  setTier(ref: FileRef, tier: FileTier): void {
    if (noSlot(ref)) return;
    this.#flags[ref] = tier === 'hot' ? HOT : COLD;
    if (tier === 'cold') this.#hashes[ref] = undefined;
  }

  /** Frees a record's slot for reuse. */
  remove(ref: FileRef): void {
    if (noSlot(ref) || this.#flags[ref] === FREE) return;
    this.#flags[ref] = FREE;
    this.#hashes[ref] = undefined;
    this.#free.push(ref);
    this.#count--;
  }

  /** The record's tier ('cold' for {@link LISTED}, 'hot' for {@link PENDING}). */
  tier(ref: FileRef): FileTier {
    if (ref === PENDING) return 'hot';
    return ref !== LISTED && this.#flags[ref] === HOT ? 'hot' : 'cold';
  }

  /** The record's content hash, if one is recorded (see FileEntry.hash). */
  hash(ref: FileRef): string | undefined {
    return noSlot(ref) ? undefined : this.#hashes[ref];
  }

  /** The recorded mtime (-1 for {@link LISTED} and {@link PENDING}). */
  mtimeMs(ref: FileRef): number {
    return noSlot(ref) ? -1 : this.#stats[ref * STRIDE + 1]!;
  }

  /** Wall clock just before the recorded stat was taken (0 without a slot). */
  recordedAtMs(ref: FileRef): number {
    return noSlot(ref) ? 0 : this.#stats[ref * STRIDE + 5]!;
  }

  /** True when a fresh stat matches the recorded one (size, times, inode, mode). */
  sameStat(ref: FileRef, st: StatFields): boolean {
    if (noSlot(ref)) return false;
    const i = ref * STRIDE;
    const stats = this.#stats;
    return (
      stats[i] === st.size &&
      stats[i + 1] === st.mtimeMs &&
      stats[i + 2] === st.ctimeMs &&
      stats[i + 3] === st.ino &&
      stats[i + 4] === st.mode
    );
  }

  /** The record as a plain value (-1 stat fields for {@link LISTED} and {@link PENDING}). */
  entry(ref: FileRef): FileEntry {
    if (noSlot(ref)) {
      return {
        tier: ref === PENDING ? 'hot' : 'cold',
        size: -1,
        mtimeMs: -1,
        ctimeMs: -1,
        ino: -1,
        mode: -1,
        hash: undefined,
        recordedAtMs: 0,
      };
    }
    const i = ref * STRIDE;
    const stats = this.#stats;
    return {
      tier: this.tier(ref),
      size: stats[i]!,
      mtimeMs: stats[i + 1]!,
      ctimeMs: stats[i + 2]!,
      ino: stats[i + 3]!,
      mode: stats[i + 4]!,
      hash: this.#hashes[ref],
      recordedAtMs: stats[i + 5]!,
    };
  }

  #grow(): void {
    const slots = this.#flags.length * 2;
    const stats = new Float64Array(slots * STRIDE);
    stats.set(this.#stats);
    this.#stats = stats;
    const flags = new Uint8Array(slots);
    flags.set(this.#flags);
    this.#flags = flags;
  }
}
