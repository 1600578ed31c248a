import { lstatSync, watch } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import { COOKIE_PREFIX, CookieJar, isCookieName, ownedDir, removeStaleCookies } from './cookie.js';

describe('CookieJar', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gohot-cookie-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is seen when the watcher reports the cookie, and removes the file afterwards', async () => {
    const jar = new CookieJar();
    const names: string[] = [];
    const modes: number[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (name === null || !jar.isPending(name)) return;
      names.push(name);
      // The jar removes the file only after this listener has reported it.
      modes.push(lstatSync(join(dir, name)).mode & 0o777);
      jar.observe(name, 'arrived');
    });
    try {
      expect(await jar.roundTrip(dir, 2000, 'arrived')).toBe('seen');
      expect(await jar.roundTrip(dir, 2000, 'arrived')).toBe('seen');
    } finally {
      watcher.close();
    }
    expect(names).toHaveLength(2);
    expect(names[0]).not.toBe(names[1]);
    for (const name of names) expect(name).toMatch(/^\.gohot-cookie-[0-9a-f]{32}$/);
    expect(modes).toEqual([0o600, 0o600]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('for delivery, waits past the arrival until the queue reports the cookie processed', async () => {
    const jar = new CookieJar();
    const arrivedNames: string[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (name === null || !jar.isPending(name) || arrivedNames.includes(name)) return;
      arrivedNames.push(name);
      jar.observe(name, 'arrived');
    });
    try {
      let settled = false;
      const delivery = jar.roundTrip(dir, 2000, 'delivered').then((outcome) => {
        settled = true;
        return outcome;
      });
      await waitFor(() => arrivedNames.length === 1, { what: 'the cookie event' });
      // A whole second round trip (write, event, remove) later, the first is still waiting.
      expect(await jar.roundTrip(dir, 2000, 'arrived')).toBe('seen');
      expect(arrivedNames).toHaveLength(2);
      expect(settled).toBe(false);
      jar.observe(arrivedNames[0]!, 'delivered');
      expect(await delivery).toBe('seen');
    } finally {
      watcher.close();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('times out without a watcher, reports an unwritable directory, and ends on close', async () => {
    const jar = new CookieJar();
    expect(await jar.roundTrip(dir, 50, 'arrived')).toBe('timeout');
    expect(await jar.roundTrip(join(dir, 'missing'), 50, 'arrived')).toBe('unwritable');
    const pending = jar.roundTrip(dir, 10_000, 'delivered');
    // Closing while the cookie file exists: the wait ends at once, not after 10 s.
    await waitFor(async () => (await readdir(dir)).length === 1, { what: 'the cookie file' });
    jar.close();
    expect(await pending).toBe('closed');
    expect(await jar.roundTrip(dir, 50, 'arrived')).toBe('closed');
  });

  // Finding 4: the cookie was opened with O_CREAT|O_TRUNC and followed a planted symlink.
  it('never follows or removes a file planted under the name it picked', async () => {
    const target = join(dir, 'target');
    await writeFile(target, 'keep\n');
    const name = `${COOKIE_PREFIX}guessed`;
    await symlink(target, join(dir, name));
    const jar = new CookieJar({ randomPart: () => 'guessed' });
    expect(await jar.roundTrip(dir, 50, 'arrived')).toBe('unwritable');
    expect(await readFile(target, 'utf8')).toBe('keep\n');
    expect(lstatSync(join(dir, name)).isSymbolicLink()).toBe(true);
    jar.close();
    expect(lstatSync(join(dir, name)).isSymbolicLink()).toBe(true);
  });

  it('writes nothing in a directory another user owns', async () => {
    await chown(dir, 65534, 65534);
    expect(ownedDir(dir)).toBe('foreign');
    expect(await new CookieJar().roundTrip(dir, 50, 'arrived')).toBe('foreign');
    expect(await readdir(dir)).toEqual([]);
    await writeFile(join(dir, `${COOKIE_PREFIX}1-abcdef-0`), '');
    expect(await removeStaleCookies(dir)).toBe(0);
    expect(await readdir(dir)).toHaveLength(1);
  });

  it('removes only empty regular cookie files of our own as stale', async () => {
    const stale = [`${COOKIE_PREFIX}1-abcdef-0`, `${COOKIE_PREFIX}${'ab'.repeat(16)}`];
    for (const name of stale) await writeFile(join(dir, name), '');
    const kept = [
      `${COOKIE_PREFIX}not-hex`,
      `${COOKIE_PREFIX}2-abcdef-0`, // has content
      `${COOKIE_PREFIX}3-abcdef-0`, // a symlink
      'main.go',
    ];
    await writeFile(join(dir, kept[0]!), '');
    await writeFile(join(dir, kept[1]!), 'x');
    await symlink(join(dir, 'main.go'), join(dir, kept[2]!));
    await writeFile(join(dir, 'main.go'), 'package main\n');
    expect(await removeStaleCookies(dir)).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([...kept].sort());
    expect(await removeStaleCookies(join(dir, 'missing'))).toBe(0);
  });

  it('recognizes cookie names only by their prefix', () => {
    expect(isCookieName('.gohot-cookie-1-abc-0')).toBe(true);
    expect(isCookieName('gohot-cookie-1')).toBe(false);
    expect(isCookieName('main.go')).toBe(false);
  });
});
