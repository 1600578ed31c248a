import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInsideDir, LinkBoundary } from './link-boundary.js';
import type { WatchObservation } from './types.js';

describe('isInsideDir', () => {
  it.each([
    { path: '/a/b', dir: '/a/b', inside: true },
    { path: '/a/b/c.go', dir: '/a/b', inside: true },
    { path: '/a/bc', dir: '/a/b', inside: false },
    { path: '/a', dir: '/a/b', inside: false },
    { path: '/anything', dir: '/', inside: true },
    { path: '/a/b/c', dir: '/a/b/', inside: true },
  ])('$path in $dir: $inside', ({ path, dir, inside }) => {
    expect(isInsideDir(path, dir)).toBe(inside);
  });
});

describe('LinkBoundary', () => {
  let base: string;
  let root: string;
  let outside: string;
  let logs: WatchObservation[];
  let boundary: LinkBoundary;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'gohot-boundary-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    await mkdir(join(root, 'pkg'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, 'x.go'), 'package x\n');
    logs = [];
    boundary = new LinkBoundary([root], (log) => logs.push(log));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lets links inside a root and unresolvable paths pass without a note', async () => {
    await symlink(join(root, 'pkg'), join(root, 'alias'));
    await symlink(join(base, 'missing'), join(root, 'dangling'));
    expect(boundary.excludes(join(root, 'alias'), 'directory')).toBe(false);
    expect(boundary.excludes(join(root, 'pkg'), 'directory')).toBe(false);
    expect(boundary.excludes(join(root, 'dangling'), 'file')).toBe(false);
    expect(logs).toEqual([]);
  });

  it('excludes a link leaving every root, noted once until it points elsewhere', async () => {
    const link = join(root, 'ext');
    await symlink(outside, link);
    expect(boundary.excludes(link, 'directory')).toBe(true);
    expect(boundary.excludes(link, 'directory')).toBe(true);
    expect(logs).toEqual([
      {
        type: 'link-outside-roots',
        path: link,
        target: await realpath(outside),
        kind: 'directory',
      },
    ]);
    await rm(link);
    await mkdir(join(base, 'elsewhere'));
    await symlink(join(base, 'elsewhere'), link);
    expect(boundary.excludes(link, 'directory')).toBe(true);
    expect(logs).toHaveLength(2);
  });

  it('excludes a file below a link silently: the link has its own note', async () => {
    await symlink(outside, join(root, 'ext'));
    expect(boundary.excludes(join(root, 'ext', 'x.go'), 'file')).toBe(true);
    expect(logs).toEqual([]);
  });

  it('accepts a root reached through a symlink, and one that moved since', async () => {
    const viaLink = join(base, 'link-to-root');
    await symlink(root, viaLink);
    const linked = new LinkBoundary([viaLink], (log) => logs.push(log));
    expect(linked.excludes(join(root, 'pkg'), 'directory')).toBe(false);
    await rm(viaLink);
    await symlink(outside, viaLink);
    expect(linked.excludes(join(outside, 'x.go'), 'file')).toBe(false);
    expect(logs).toEqual([]);
  });
});
