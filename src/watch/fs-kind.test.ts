import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackend } from '../report/describe.js';
import { decideFsBackend } from './fs-kind.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/mountinfo');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
// Fixtures describe other machines: look paths up lexically, not through this machine's symlinks.
const LEXICAL = { resolveSymlinks: false } as const;

const FROM_HOST = '(no inotify events from the host)';
const FROM_CLIENTS = '(edits made on the server or by other clients produce no inotify events)';
const FUSE =
  '(served by a user-space process; edits not made through this mount produce no inotify events)';

describe('decideFsBackend on real-world mount tables', () => {
  it.each([
    // Docker container: overlay root, bind mounts from an ext4 host.
    ['docker-container.txt', '/go/src/app', 'native: overlay'],
    ['docker-container.txt', '/app/cmd/api', 'native: ext4'],
    ['docker-container.txt', '/srv/My Projects/web', 'native: ext4'],
    ['docker-container.txt', '/tmp/build', 'native: tmpfs'],
    // Docker Desktop on macOS: host folders shared into the VM.
    [
      'docker-desktop-mac.txt',
      '/src',
      `polling: Docker Desktop file share (fakeowner) mount at /src ${FROM_HOST}`,
    ],
    ['docker-desktop-mac.txt', '/tools/gen', `polling: fuse.grpcfuse mount at /tools ${FUSE}`],
    ['docker-desktop-mac.txt', '/go/pkg/mod/x', 'native: ext4'],
    // WSL2: Windows drives over 9p, Linux side on ext4/tmpfs.
    ['wsl2.txt', '/mnt/c/Users/erin/go/api', `polling: 9p mount at /mnt/c ${FROM_HOST}`],
    ['wsl2.txt', '/mnt/c', `polling: 9p mount at /mnt/c ${FROM_HOST}`],
    ['wsl2.txt', '/mnt/d/src', `polling: 9p mount at /mnt/d ${FROM_HOST}`],
    ['wsl2.txt', '/mnt/wsl/shared', 'native: tmpfs'],
    ['wsl2.txt', '/home/erin/go/api', 'native: ext4'],
    // NFS home directory behind autofs, an NFSv3 scratch space and an SMB share.
    ['nfs-home.txt', '/home/alice/go/api', `polling: nfs4 mount at /home/alice ${FROM_CLIENTS}`],
    ['nfs-home.txt', '/scratch/api', `polling: nfs mount at /scratch ${FROM_CLIENTS}`],
    ['nfs-home.txt', '/srv/share/api', `polling: SMB (cifs) mount at /srv/share ${FROM_CLIENTS}`],
    ['nfs-home.txt', '/var/lib/api', 'native: xfs'],
    ['nfs-home.txt', '/opt/api', 'native: ext4'],
    // Laptop: btrfs, an sshfs mount, a USB stick via ntfs-3g (fuseblk), a gocryptfs vault.
    [
      'sshfs-laptop.txt',
      '/home/bob/remote/build-box/api',
      `polling: fuse.sshfs mount at /home/bob/remote/build-box ${FUSE}`,
    ],
    ['sshfs-laptop.txt', '/home/bob/remote', 'native: btrfs'],
    ['sshfs-laptop.txt', '/home/bob/src/api', 'native: btrfs'],
    ['sshfs-laptop.txt', '/media/bob/USB DISK/api', 'native: fuseblk'],
    [
      'sshfs-laptop.txt',
      '/home/bob/vault/api',
      `polling: fuse.gocryptfs mount at /home/bob/vault ${FUSE}`,
    ],
    ['sshfs-laptop.txt', '/tmp/x', 'native: tmpfs'],
    // Plain host: ext4, xfs, zfs, btrfs, overlay, and /mnt/c next to /mnt/cd.
    ['ext4-host.txt', '/home/dave/go/api', 'native: ext4'],
    ['ext4-host.txt', '/srv/api', 'native: xfs'],
    ['ext4-host.txt', '/tank/projects/api', 'native: zfs'],
    ['ext4-host.txt', '/data/api', 'native: btrfs'],
    ['ext4-host.txt', '/srv/docker/overlay2/1a2b3c4d5e6f/merged/app', 'native: overlay'],
    ['ext4-host.txt', '/mnt/c/api', 'native: ext4'],
    ['ext4-host.txt', '/mnt/cd/api', 'native: iso9660'],
    // This machine.
    ['this-machine.txt', '/work/main', 'native: ext4'],
  ])('%s: %s -> %s', async (name, path, reason) => {
    const decision = await decideFsBackend(path, fixture(name), LEXICAL);
    expect(describeBackend(decision)).toBe(reason);
    expect(decision.backend).toBe(reason.startsWith('polling: ') ? 'poll' : 'native');
  });
});

describe('decideFsBackend by file system type', () => {
  const table = (fsType: string, source = 'src') =>
    `27 1 254:0 / / rw - ext4 /dev/vda rw\n40 27 0:40 / /w rw - ${fsType} ${source} rw\n`;

  it.each([
    ['nfs', 'poll'],
    ['nfs4', 'poll'],
    ['cifs', 'poll'],
    ['smb3', 'poll'],
    ['smbfs', 'poll'],
    ['9p', 'poll'],
    ['virtiofs', 'poll'],
    ['vboxsf', 'poll'],
    ['vmhgfs', 'poll'],
    ['prl_fs', 'poll'],
    ['fakeowner', 'poll'],
    ['fuse', 'poll'],
    ['fuse.sshfs', 'poll'],
    ['fuse.rclone', 'poll'],
    ['fuse.vmhgfs-fuse', 'poll'],
    ['fuse.glusterfs', 'poll'],
    ['davfs', 'poll'],
    ['ceph', 'poll'],
    ['glusterfs', 'poll'],
    ['lustre', 'poll'],
    ['afs', 'poll'],
    ['ext4', 'native'],
    ['ext3', 'native'],
    ['xfs', 'native'],
    ['btrfs', 'native'],
    ['tmpfs', 'native'],
    ['overlay', 'native'],
    ['zfs', 'native'],
    ['f2fs', 'native'],
    ['vfat', 'native'],
    ['fuseblk', 'native'],
    // Names that only look like the remote ones must not match by prefix.
    ['nfsd', 'native'],
    ['fusectl', 'native'],
  ])('%s -> %s', async (fsType, backend) => {
    const decision = await decideFsBackend('/w/project', table(fsType), LEXICAL);
    expect(decision.backend).toBe(backend);
    if (backend === 'native') expect(describeBackend(decision)).toBe(`native: ${fsType}`);
    else
      expect(describeBackend(decision)).toMatch(
        new RegExp(`^polling: .*\\b${fsType.replace('.', '\\.')}\\b.* mount at /w \\(.+\\)$`),
      );
  });

  it('never mentions an interval (the watcher adds it)', async () => {
    const decision = await decideFsBackend('/w', table('nfs4'), LEXICAL);
    expect(describeBackend(decision)).not.toMatch(/\d+ ?m?s\b|every/);
  });

  it('says native and why when the path is on no listed mount', async () => {
    const decision = await decideFsBackend('/x', '40 1 0:40 / /w rw - nfs4 a:/b rw\n', LEXICAL);
    expect(decision).toEqual({ backend: 'native', reason: { by: 'unknown-fs' } });
    expect(describeBackend(decision)).toBe('native: unknown file system (not in mountinfo)');
  });

  it('says native with the platform when there is no mountinfo at all (off Linux)', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...platform, value: 'darwin' });
    try {
      expect(await decideFsBackend('/Users/x')).toEqual({
        backend: 'native',
        reason: { by: 'no-mountinfo', platform: 'darwin' },
      });
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});

describe('decideFsBackend on this machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gohot-fs-kind-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the live mount table and agrees with findmnt(8)', async () => {
    for (const path of [dir, import.meta.dirname, '/dev/shm']) {
      const fsType = execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '--target', path], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')[0];
      const decision = await decideFsBackend(path);
      // This machine has only local file systems (see test/fixtures/mountinfo/this-machine.txt).
      expect(decision).toEqual({ backend: 'native', reason: { by: 'fs', fsType } });
    }
  });

  it('resolves symlinks before looking up the mount', async () => {
    mkdirSync(join(dir, 'real/sub'), { recursive: true });
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    // A made-up table where only the symlink's target is on 9p.
    const text = `27 1 254:0 / / rw - ext4 /dev/vda rw\n40 27 0:40 / ${join(dir, 'real')} rw - 9p C:\\134 rw\n`;
    const viaLink = await decideFsBackend(join(dir, 'link/sub'), text);
    expect(viaLink.backend).toBe('poll');
    expect(describeBackend(viaLink)).toBe(`polling: 9p mount at ${join(dir, 'real')} ${FROM_HOST}`);
    // A root that does not exist yet resolves through its closest existing ancestor.
    expect((await decideFsBackend(join(dir, 'link/new/deeper'), text)).backend).toBe('poll');
    // Without resolution the link's own path is on ext4.
    expect((await decideFsBackend(join(dir, 'link/sub'), text, LEXICAL)).backend).toBe('native');
  });
});

describe('describeBackend with a poll interval (the start-up line)', () => {
  it.each([
    [
      { by: 'remote-fs', fsType: '9p', mountPoint: '/mnt/c', why: 'host' } as const,
      500,
      'polling every 500ms: 9p mount at /mnt/c (no inotify events from the host)',
    ],
    [
      {
        by: 'remote-fs',
        fsType: 'cifs',
        label: 'SMB',
        mountPoint: '/home',
        why: 'other-clients',
      } as const,
      2000,
      'polling every 2000ms: SMB (cifs) mount at /home (edits made on the server or by other clients produce no inotify events)',
    ],
    [{ by: 'forced', forcedBy: '--poll' } as const, 100, 'polling every 100ms: forced by --poll'],
  ])('%j every %d ms', (reason, ms, expected) => {
    expect(describeBackend({ backend: 'poll', reason, pollIntervalMs: ms })).toBe(expected);
  });

  it('names no interval for native roots', () => {
    expect(describeBackend({ backend: 'native', reason: { by: 'fs', fsType: 'ext4' } })).toBe(
      'native: ext4',
    );
  });
});
