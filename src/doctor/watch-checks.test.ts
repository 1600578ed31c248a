import { describe, expect, it } from 'vitest';
import { parseOpenFilesLimits } from './user-limits-linux.js';
import {
  checkBackend,
  checkInotify,
  checkMtime,
  checkOpenFiles,
  type InotifyFacts,
  mtimeGranularityNs,
} from './watch-checks.js';

describe('checkInotify', () => {
  const base: InotifyFacts = {
    limits: { maxUserWatches: 8192, maxUserInstances: 128 },
    inUse: { watches: 100, instances: 3 },
    dirs: 50,
  };
  it.each<[string, Partial<InotifyFacts>, string, string]>([
    ['room for every directory', {}, 'ok', 'none'],
    ['exactly full', { dirs: 8092 }, 'ok', 'none'],
    ['one directory too many', { dirs: 8093 }, 'warn', 'watches'],
    [
      'other programs hold the watches',
      { inUse: { watches: 8190, instances: 3 } },
      'warn',
      'watches',
    ],
    ['no instance left', { inUse: { watches: 0, instances: 128 } }, 'warn', 'instances'],
    [
      'nothing native to watch',
      { dirs: 0, inUse: { watches: 9000, instances: 128 } },
      'ok',
      'none',
    ],
  ])('%s', (_, facts, status, short) => {
    expect(checkInotify({ ...base, ...facts })).toMatchObject({ status, finding: { short } });
  });
  it('says so when the limits cannot be read', () => {
    expect(checkInotify({ ...base, limits: {} })).toMatchObject({
      status: 'ok',
      finding: { kind: 'inotify-unknown' },
    });
  });
});

describe('checkBackend', () => {
  it.each<[string, 'native' | 'poll', Parameters<typeof checkBackend>[2], string]>([
    ['ext4', 'native', { by: 'fs', fsType: 'ext4' }, 'ok'],
    ['forced polling', 'poll', { by: 'forced', forcedBy: '--poll' }, 'ok'],
    [
      'an NFS mount',
      'poll',
      { by: 'remote-fs', fsType: 'nfs4', mountPoint: '/mnt', why: 'other-clients' },
      'warn',
    ],
  ])('%s', (_, backend, reason, status) => {
    expect(checkBackend('/m', backend, reason).status).toBe(status);
  });
});

const ns = (...values: number[]) => values.map((v) => BigInt(v));

describe('mtimeGranularityNs', () => {
  it.each<[string, bigint[], number]>([
    [
      'nanosecond stamps, distinct',
      ns(1_000_000_001, 1_000_000_123, 1_000_000_200, 1_000_000_311),
      77,
    ],
    ['a 4 ms tick', ns(1_004_000_123, 1_004_000_123, 1_008_000_125, 1_012_000_130), 4_000_002],
    ['whole seconds', ns(5e9, 5e9, 5e9, 6e9), 1e9],
    ['FAT 2 s', ns(4e9, 4e9, 6e9, 6e9), 2e9],
    ['too few stamps to trust a unit', ns(5e9, 5e9), 1],
    ['microseconds', ns(1_000_001_000, 1_000_002_000, 1_000_003_000, 1_000_004_000), 1000],
    ['nothing', [], 1],
  ])('%s', (_, stamps, expected) => {
    expect(mtimeGranularityNs(stamps)).toBe(expected);
  });
});

describe('checkMtime', () => {
  it('warns from one second on', () => {
    expect(checkMtime('/m', { stampsNs: ns(5e9, 5e9, 5e9, 5e9) }).status).toBe('warn');
    expect(checkMtime('/m', { stampsNs: ns(1, 4_000_001, 8_000_001, 12_000_001) }).status).toBe(
      'ok',
    );
  });
  it('warns when nothing could be written', () => {
    expect(checkMtime('/m', { code: 'EROFS' })).toMatchObject({
      status: 'warn',
      finding: { kind: 'mtime-unmeasured', code: 'EROFS' },
    });
  });
});

describe('checkOpenFiles', () => {
  it.each<[number, string]>([
    [20000, 'ok'],
    [1024, 'ok'],
    [1023, 'warn'],
    [64, 'warn'],
    [63, 'block'],
  ])('ulimit -n %i', (soft, status) => {
    expect(checkOpenFiles({ soft, hard: soft }).status).toBe(status);
  });
  it('parses /proc/self/limits', () => {
    const text = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max open files            1024                 524288               files     ',
    ].join('\n');
    expect(parseOpenFilesLimits(text)).toEqual({ soft: 1024, hard: 524288 });
    expect(parseOpenFilesLimits('Max open files  unlimited unlimited files')).toBeUndefined();
    expect(parseOpenFilesLimits('')).toBeUndefined();
  });
});
