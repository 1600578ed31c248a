import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findMountFor,
  parseMountinfo,
  parseMountinfoLine,
  readMountinfo,
} from './mountinfo-linux.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/mountinfo');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('parseMountinfoLine', () => {
  it('parses the example from proc(5), with an optional field', () => {
    const line = '36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue';
    expect(parseMountinfoLine(line)).toEqual({
      mountId: 36,
      parentId: 35,
      device: '98:0',
      root: '/mnt1',
      mountPoint: '/mnt2',
      mountOptions: ['rw', 'noatime'],
      optionalFields: ['master:1'],
      fsType: 'ext3',
      source: '/dev/root',
      superOptions: ['rw', 'errors=continue'],
    });
  });

  it.each([
    ['no optional fields', '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw', []],
    ['one', '45 24 0:44 / /home rw shared:30 - autofs auto.home rw', ['shared:30']],
    [
      'several',
      '120 45 0:52 / /x rw shared:70 master:3 propagate_from:2 unbindable - nfs4 s:/e rw',
      ['shared:70', 'master:3', 'propagate_from:2', 'unbindable'],
    ],
  ])('collects optional fields up to the separator (%s)', (_, line, optional) => {
    const entry = parseMountinfoLine(line);
    expect(entry?.optionalFields).toEqual(optional);
    expect(entry?.mountPoint).toBe(line.split(' ')[4]);
  });

  it('keeps a "-" inside the root or mount point instead of taking it as the separator', () => {
    // The separator search starts after the 6 fixed fields, so "/-" paths are not mistaken.
    const entry = parseMountinfoLine('50 1 8:1 - /mnt/- rw - ext4 /dev/sda1 rw');
    expect(entry?.root).toBe('-');
    expect(entry?.mountPoint).toBe('/mnt/-');
    expect(entry?.fsType).toBe('ext4');
  });

  it.each([
    ['space', '/media/bob/USB\\040DISK', '/media/bob/USB DISK'],
    ['tab', '/mnt/a\\011b', '/mnt/a\tb'],
    ['newline', '/mnt/a\\012b', '/mnt/a\nb'],
    ['backslash', '/mnt/a\\134b', '/mnt/a\\b'],
    ['two escapes', '/srv/My\\040Big\\040Projects', '/srv/My Big Projects'],
  ])('decodes octal escapes in the mount point (%s)', (_, escaped, decoded) => {
    const entry = parseMountinfoLine(`49 28 8:17 / ${escaped} rw - vfat /dev/sdb1 rw`);
    expect(entry?.mountPoint).toBe(decoded);
  });

  it('decodes escapes in the source too (WSL2 "C:\\134")', () => {
    const entry = parseMountinfoLine(
      '80 62 0:52 / /mnt/c rw,noatime - 9p C:\\134 rw,aname=drvfs;path=C:\\;uid=1000',
    );
    expect(entry?.source).toBe('C:\\');
    expect(entry?.superOptions).toEqual(['rw', 'aname=drvfs;path=C:\\;uid=1000']);
  });

  it.each([
    ['empty', ''],
    ['no separator', '27 1 254:0 / / rw,relatime ext4 /dev/vda rw'],
    ['separator too early', '27 1 254:0 / - rw ext4 /dev/vda rw'],
    ['nothing after the separator', '27 1 254:0 / / rw -'],
    ['no source', '27 1 254:0 / / rw - ext4'],
    ['non-numeric id', 'x 1 254:0 / / rw - ext4 /dev/vda rw'],
    ['bad device', '27 1 254 / / rw - ext4 /dev/vda rw'],
  ])('rejects a malformed line (%s)', (_, line) => {
    expect(parseMountinfoLine(line)).toBeUndefined();
  });

  it('accepts a line without super options (very old kernels)', () => {
    expect(parseMountinfoLine('27 1 254:0 / / rw - ext4 /dev/vda')?.superOptions).toEqual([]);
  });
});

describe('parseMountinfo', () => {
  it.each([
    ['docker-container.txt', 26],
    ['docker-desktop-mac.txt', 14],
    ['wsl2.txt', 21],
    ['nfs-home.txt', 17],
    ['sshfs-laptop.txt', 15],
    ['ext4-host.txt', 19],
  ])('parses every line of %s', (name, count) => {
    const text = fixture(name);
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(count);
    expect(parseMountinfo(text)).toHaveLength(count);
  });

  it('parses every line of this machine (fixture copy and live file)', async () => {
    for (const text of [fixture('this-machine.txt'), await readMountinfo()]) {
      expect(text).toBeDefined();
      const lines = text!.split('\n').filter((l) => l.trim() !== '');
      const entries = parseMountinfo(text!);
      expect(entries).toHaveLength(lines.length);
      expect(entries.some((e) => e.mountPoint === '/')).toBe(true);
    }
  });

  it('skips malformed lines and blank lines but keeps the rest', () => {
    const text =
      '27 1 254:0 / / rw - ext4 /dev/vda rw\n\ngarbage\n28 27 0:5 / /tmp rw - tmpfs tmpfs rw\n';
    expect(parseMountinfo(text).map((e) => e.mountPoint)).toEqual(['/', '/tmp']);
  });
});

describe('findMountFor', () => {
  it.each([
    // [fixture, path, expected mount point, expected fs type]
    ['ext4-host.txt', '/home/dave/src/api', '/', 'ext4'],
    ['ext4-host.txt', '/', '/', 'ext4'],
    ['ext4-host.txt', '/mnt/c', '/mnt/c', 'ext4'],
    ['ext4-host.txt', '/mnt/c/x.go', '/mnt/c', 'ext4'],
    ['ext4-host.txt', '/mnt/cd', '/mnt/cd', 'iso9660'],
    ['ext4-host.txt', '/mnt/cd/x.go', '/mnt/cd', 'iso9660'],
    ['ext4-host.txt', '/mnt/cdrom/x', '/', 'ext4'],
    ['ext4-host.txt', '/mnt/c2/x', '/', 'ext4'],
    ['ext4-host.txt', '/tank/projects/api/main.go', '/tank/projects', 'zfs'],
    ['ext4-host.txt', '/tank/other', '/tank', 'zfs'],
    [
      'ext4-host.txt',
      '/srv/docker/overlay2/1a2b3c4d5e6f/merged/app',
      '/srv/docker/overlay2/1a2b3c4d5e6f/merged',
      'overlay',
    ],
    ['ext4-host.txt', '/srv/docker/overlay2/1a2b3c4d5e6f/diff', '/srv', 'xfs'],
    ['ext4-host.txt', '/tmp/gohot-x', '/tmp', 'tmpfs'],
    ['ext4-host.txt', '/tmp/../srv/x', '/srv', 'xfs'],
    ['ext4-host.txt', '/srv/', '/srv', 'xfs'],
    ['docker-container.txt', '/app/cmd/api/main.go', '/app', 'ext4'],
    ['docker-container.txt', '/application', '/', 'overlay'],
    ['docker-container.txt', '/go/src/app', '/', 'overlay'],
    ['docker-container.txt', '/srv/My Projects/web', '/srv/My Projects', 'ext4'],
    ['docker-container.txt', '/srv/My', '/', 'overlay'],
    ['docker-desktop-mac.txt', '/src/main.go', '/src', 'fakeowner'],
    ['docker-desktop-mac.txt', '/tools/x', '/tools', 'fuse.grpcfuse'],
    ['wsl2.txt', '/mnt/c/Users/erin/go/src/api', '/mnt/c', '9p'],
    ['wsl2.txt', '/mnt/d/work', '/mnt/d', '9p'],
    ['wsl2.txt', '/mnt/wsl/shared', '/mnt/wsl', 'tmpfs'],
    ['wsl2.txt', '/mnt/wslg/doc/x', '/mnt/wslg/doc', 'tmpfs'],
    ['wsl2.txt', '/home/erin/src/api', '/', 'ext4'],
    ['nfs-home.txt', '/home/alice/go/src/api', '/home/alice', 'nfs4'],
    ['nfs-home.txt', '/home/alicia', '/home', 'autofs'],
    ['nfs-home.txt', '/scratch/build', '/scratch', 'nfs'],
    ['nfs-home.txt', '/srv/share/proj', '/srv/share', 'cifs'],
    ['nfs-home.txt', '/var/lib/x', '/var', 'xfs'],
    [
      'sshfs-laptop.txt',
      '/home/bob/remote/build-box/api',
      '/home/bob/remote/build-box',
      'fuse.sshfs',
    ],
    ['sshfs-laptop.txt', '/home/bob/remote/other', '/home', 'btrfs'],
    ['sshfs-laptop.txt', '/media/bob/USB DISK/go', '/media/bob/USB DISK', 'fuseblk'],
    ['this-machine.txt', '/work/main', '/', 'ext4'],
    ['this-machine.txt', '/dev/pts/0', '/dev/pts', 'devpts'],
  ])('%s: %s is on %s (%s)', (name, path, mountPoint, fsType) => {
    const mount = findMountFor(parseMountinfo(fixture(name)), path);
    expect(mount?.mountPoint).toBe(mountPoint);
    expect(mount?.fsType).toBe(fsType);
  });

  it('prefers the last of several mounts at the same point (stacked on top)', () => {
    const mounts = parseMountinfo(
      [
        '27 1 254:0 / / rw - ext4 /dev/vda rw',
        '40 27 0:40 / /w rw - nfs4 a:/one rw',
        '41 40 0:41 / /w rw - tmpfs tmpfs rw',
      ].join('\n'),
    );
    expect(findMountFor(mounts, '/w/x')?.mountId).toBe(41);
    expect(findMountFor(mounts.slice(0, 2), '/w/x')?.mountId).toBe(40);
  });

  it('returns undefined when nothing is mounted at / (empty or partial table)', () => {
    expect(findMountFor([], '/x')).toBeUndefined();
    expect(
      findMountFor(parseMountinfo('40 1 0:40 / /w rw - nfs4 a:/b rw'), '/x/y'),
    ).toBeUndefined();
  });

  it('agrees with findmnt(8) on this machine', async () => {
    const mounts = parseMountinfo((await readMountinfo())!);
    for (const path of ['/', '/work/main', '/tmp', '/proc/self', '/dev/shm', import.meta.dirname]) {
      const expected = execFileSync('findmnt', ['-n', '-o', 'TARGET,FSTYPE', '--target', path], {
        encoding: 'utf8',
      })
        .trim()
        .split(/\s+/)
        // A stacked mount point is listed once per mount; they agree on target and type.
        .slice(0, 2);
      const mount = findMountFor(mounts, path);
      expect([mount?.mountPoint, mount?.fsType], path).toEqual(expected);
    }
  });
});

describe('readMountinfo', () => {
  it('reads the live table on Linux', async () => {
    const text = await readMountinfo();
    expect(process.platform).toBe('linux');
    expect(text).toBe(readFileSync('/proc/self/mountinfo', 'utf8'));
  });

  it('returns undefined off Linux', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...platform, value: 'darwin' });
    try {
      expect(await readMountinfo()).toBeUndefined();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    expect(process.platform).toBe('linux');
  });
});
