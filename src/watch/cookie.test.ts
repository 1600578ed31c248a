import { watch } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import { COOKIE_PREFIX, CookieJar, isCookieName } from './cookie.js';

describe('CookieJar', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gohot-cookie-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is seen when the watcher reports the cookie, and removes the file afterwards', async () => {
    const jar = new CookieJar(4242);
    const names: string[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (name === null || !jar.isPending(name)) return;
      names.push(name);
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
    expect(names.every((n) => isCookieName(n) && n.startsWith(`${COOKIE_PREFIX}4242-`))).toBe(true);
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

  it('recognizes cookie names only by their prefix', () => {
    expect(isCookieName('.gohot-cookie-1-abc-0')).toBe(true);
    expect(isCookieName('gohot-cookie-1')).toBe(false);
    expect(isCookieName('main.go')).toBe(false);
  });
});
