import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';

/** One line of /proc/<pid>/mountinfo (see proc(5), "/proc/pid/mountinfo"). */
export interface MountEntry {
  /** Unique id of the mount (may be reused after umount). */
  readonly mountId: number;
  /** Id of the parent mount, or of itself for the root of this mount namespace's tree. */
  readonly parentId: number;
  /** `major:minor` of the device, e.g. `254:0`; `0:N` for virtual and network file systems. */
  readonly device: string;
  /** Directory of the file system that forms the root of this mount, e.g. `/` or `/home/me/src` for a bind mount. */
  readonly root: string;
  /** Where it is mounted, relative to this process's root, octal escapes decoded. */
  readonly mountPoint: string;
  /** Per-mount options, e.g. `["rw", "relatime"]`. */
  readonly mountOptions: readonly string[];
  /** Optional tagged fields before the `-` separator, e.g. `["shared:1", "master:2"]`. */
  readonly optionalFields: readonly string[];
  /** File system type, e.g. `ext4`, `nfs4`, `9p`, `fuse.sshfs`. */
  readonly fsType: string;
  /** Mount source, e.g. `/dev/vda1`, `server:/export`, `drvfs`, or `none`. */
  readonly source: string;
  /** Per-superblock options, e.g. `["rw", "vers=4.2"]`. */
  readonly superOptions: readonly string[];
}

// The kernel escapes space, tab, newline and backslash in paths as \ooo (fs/proc_namespace.c,
// mangle() / seq_escape with " \t\n\\"). Decode every \ooo, not only those four, to be safe.
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function splitOptions(field: string | undefined): string[] {
  return field === undefined || field === '' ? [] : field.split(',');
}

/** Parses one mountinfo line, or returns undefined when it is malformed. */
export function parseMountinfoLine(line: string): MountEntry | undefined {
  const fields = line.trim().split(/\s+/);
  // 6 fixed fields, 0..n optional fields, "-", then fs type and source (super options may be
  // missing on very old kernels).
  const sep = fields.indexOf('-', 6);
  if (sep < 6 || fields.length < sep + 3) return undefined;
  const [mountId, parentId, device, root, mountPoint, mountOptions] = fields;
  const id = Number(mountId);
  const parent = Number(parentId);
  if (!Number.isInteger(id) || !Number.isInteger(parent) || !/^\d+:\d+$/.test(device ?? '')) {
    return undefined;
  }
  return {
    mountId: id,
    parentId: parent,
    device: device!,
    root: unescapeOctal(root!),
    mountPoint: unescapeOctal(mountPoint!),
    mountOptions: splitOptions(mountOptions),
    optionalFields: fields.slice(6, sep),
    fsType: unescapeOctal(fields[sep + 1]!),
    source: unescapeOctal(fields[sep + 2]!),
    superOptions: splitOptions(fields[sep + 3]),
  };
}

/**
 * Parses the text of /proc/self/mountinfo into entries, in file order (which is mount
 * order: a later entry at the same mount point is stacked on top of an earlier one).
 * Malformed lines are skipped.
 */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseMountinfoLine(line);
    if (entry) entries.push(entry);
  }
  return entries;
}

function isUnder(path: string, mountPoint: string): boolean {
  if (mountPoint === '/') return true;
  return path === mountPoint || path.startsWith(`${mountPoint}/`);
}

/**
 * The mount an absolute path lives on: the entry whose mount point is the longest prefix of
 * the path on path-segment boundaries (`/mnt/c` holds `/mnt/c/x` but not `/mnt/cd`). Among
 * entries at the same mount point the last one wins, since it is stacked on top. The path is
 * normalized lexically; resolve symlinks before calling if they matter. A mount hidden by a
 * later mount on one of its ancestors is not detected (rare: it needs mounting over a
 * directory that already has mounts below it).
 */
export function findMountFor(
  mounts: readonly MountEntry[],
  absPath: string,
): MountEntry | undefined {
  const path = posix.resolve('/', absPath);
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    if (!isUnder(path, mount.mountPoint)) continue;
    if (best === undefined || mount.mountPoint.length >= best.mountPoint.length) best = mount;
  }
  return best;
}

/** Reads /proc/self/mountinfo; undefined off Linux or when it cannot be read. */
export async function readMountinfo(): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
}
