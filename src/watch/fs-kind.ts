import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { findMountFor, type MountEntry, parseMountinfo, readMountinfo } from './mountinfo-linux.js';
import type { BackendKind, BackendReason, RemoteWhy } from './types.js';

/** Which backend a root's file system needs, and why (`report/` words the reason). */
export interface FsBackendDecision {
  readonly backend: BackendKind;
  readonly reason: BackendReason;
}

/** Options of decideFsBackend beyond the signature the watcher uses. */
export interface DecideFsBackendOptions {
  /**
   * Resolve symlinks in the path on this machine before looking up its mount. Turn off only
   * when `mountinfoText` describes another machine (test fixtures). @default true
   */
  readonly resolveSymlinks?: boolean;
}

interface RemoteFs {
  /** What a human calls it, when the fs type alone is cryptic. */
  readonly label?: string;
  /** Why its changes are invisible to inotify. */
  readonly why: RemoteWhy;
}

const FROM_OTHER_CLIENTS = 'other-clients';
const FROM_THE_HOST = 'host';

// File systems whose changes can come from somewhere inotify does not see (another machine,
// the VM host, a user-space server). inotify only reports operations that pass through this
// kernel's VFS. [docs/facts.md#remote-file-systems; air #274 #359 #134 #197 #360]
const REMOTE_FS: Readonly<Record<string, RemoteFs>> = {
  nfs: { why: FROM_OTHER_CLIENTS },
  nfs4: { why: FROM_OTHER_CLIENTS },
  cifs: { label: 'SMB', why: FROM_OTHER_CLIENTS },
  smb3: { label: 'SMB', why: FROM_OTHER_CLIENTS },
  smbfs: { label: 'SMB', why: FROM_OTHER_CLIENTS },
  ceph: { label: 'CephFS', why: FROM_OTHER_CLIENTS },
  glusterfs: { why: FROM_OTHER_CLIENTS },
  lustre: { why: FROM_OTHER_CLIENTS },
  afs: { why: FROM_OTHER_CLIENTS },
  davfs: { label: 'WebDAV', why: FROM_OTHER_CLIENTS },
  // WSL2 /mnt/c (drvfs), QEMU/Lima/Podman shares.
  '9p': { why: FROM_THE_HOST },
  // Lima, Colima, Podman machine, Kata and WSL's experimental drvfs share host folders over
  // virtiofs. It is FUSE over virtio: host-side edits reach the guest's page cache but not its
  // fsnotify (the FUSE fsnotify-forwarding patches were never merged), so poll.
  // [crc-org/vfkit#126, containers/podman#22343, lima-vm/lima#615]
  virtiofs: { why: FROM_THE_HOST },
  vboxsf: { label: 'VirtualBox shared folder', why: FROM_THE_HOST },
  vmhgfs: { label: 'VMware shared folder', why: FROM_THE_HOST },
  prl_fs: { label: 'Parallels shared folder', why: FROM_THE_HOST },
  // Docker Desktop's bind mounts of host folders (macOS/Windows): event forwarding from the
  // host is best effort: deletes are not forwarded (docker/desktop-linux#99), WSL2 shares
  // often forward nothing (docker/for-win#12766). Polling is the safe side. [air #274 #359]
  fakeowner: { label: 'Docker Desktop file share', why: FROM_THE_HOST },
};

// FUSE on a local block device (ntfs-3g, exfat-fuse): every write goes through this kernel.
const LOCAL_FUSE = new Set(['fuseblk']);

const FUSE_WHY = 'user-space';

function remoteFs(fsType: string): RemoteFs | undefined {
  const known = REMOTE_FS[fsType];
  if (known) return known;
  if (LOCAL_FUSE.has(fsType)) return undefined;
  // fuse.sshfs, fuse.rclone, fuse.grpcfuse (Docker Desktop), fuse.vmhgfs-fuse, plain fuse ...
  if (fsType === 'fuse' || fsType.startsWith('fuse.')) return { why: FUSE_WHY };
  return undefined;
}

/** The decision for a path on a known mount: poll for remote-ish file systems, else native. */
export function decideForMount(mount: MountEntry): FsBackendDecision {
  const remote = remoteFs(mount.fsType);
  if (remote === undefined)
    return { backend: 'native', reason: { by: 'fs', fsType: mount.fsType } };
  return {
    backend: 'poll',
    reason: {
      by: 'remote-fs',
      fsType: mount.fsType,
      ...(remote.label ? { label: remote.label } : {}),
      mountPoint: mount.mountPoint,
      why: remote.why,
    },
  };
}

// realpath of the longest existing ancestor, plus the rest: a root may not exist yet.
async function resolveReal(path: string): Promise<string> {
  const abs = resolve(path);
  const rest: string[] = [];
  let dir = abs;
  for (;;) {
    try {
      return join(await realpath(dir), ...rest.reverse());
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return abs;
      rest.push(basename(dir));
      dir = parent;
    }
  }
}

/**
 * Decides whether `path` can be watched with inotify or must be polled, from the type of the
 * file system it lives on (the mount in /proc/self/mountinfo with the longest mount point
 * prefix, after resolving symlinks). Network, VM-shared and FUSE file systems poll, because
 * edits made outside this kernel produce no event; a canary file cannot detect that, since
 * our own writes do produce events. Reads /proc/self/mountinfo when `mountinfoText` is not
 * given; off Linux (no mountinfo) it always says native.
 *
 * The reason is a value: the file system type, or the remote file system with its mount
 * point and why its changes are invisible (see `describeBackend` in report/).
 */
export async function decideFsBackend(
  path: string,
  mountinfoText?: string,
  options: DecideFsBackendOptions = {},
): Promise<FsBackendDecision> {
  const text = mountinfoText ?? (await readMountinfo());
  if (text === undefined) {
    return { backend: 'native', reason: { by: 'no-mountinfo', platform: process.platform } };
  }
  const target = options.resolveSymlinks === false ? resolve(path) : await resolveReal(path);
  const mount = findMountFor(parseMountinfo(text), target);
  if (mount === undefined) {
    return { backend: 'native', reason: { by: 'unknown-fs' } };
  }
  return decideForMount(mount);
}
