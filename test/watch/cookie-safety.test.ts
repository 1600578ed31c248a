import { spawnSync } from 'node:child_process';
import { type FSWatcher, lstatSync, watch, writeFileSync } from 'node:fs';
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { predicateFilter } from '../../src/classify/watch-filter.js';
import { COOKIE_PREFIX, isCookieName } from '../../src/watch/cookie.js';
import type { Watcher } from '../../src/watch/types.js';
import { recordWatcher } from '../helpers/watch-recorder.js';

// The tests run as root; the attacker is `nobody` (setpriv, util-linux), as in
// unreadable.test.ts. The watcher runs in this process, as root: the victim.
const NOBODY = 65534;

function asNobody(command: string, args: readonly string[]): { status: number | null } {
  const r = spawnSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...args],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (r.error) throw new Error(`setpriv (util-linux) is needed for this test: ${r.error}`);
  return { status: r.status };
}

/** The attacker plants a symlink to `target` at `path` (fails quietly when the name exists). */
function plant(target: string, path: string): void {
  asNobody('ln', ['-s', target, path]);
}

/** Names of cookie files created in `dir`, as seen by a watch of our own. */
function cookiesCreatedIn(dir: string): { names: string[]; watcher: FSWatcher } {
  const names: string[] = [];
  const watcher = watch(dir, (_event, name) => {
    if (name === null || !isCookieName(name) || names.includes(name)) return;
    try {
      if (lstatSync(join(dir, name)).isFile()) names.push(name);
    } catch {
      // removed again before we looked: the next round trip is seen
    }
  });
  return { names, watcher };
}

/** What a counter-based naming scheme would use next after each name seen. */
function guessesAfter(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const m = /^(.*-)(\d+)$/.exec(name);
    if (m === null) continue;
    for (let i = 1; i <= 3; i++) out.push(`${m[1]}${Number(m[2]) + i}`);
  }
  return out;
}

const filter = predicateFilter({ ignoreDir: () => false, trackFile: (p) => p.endsWith('.go') });
const open: Watcher[] = [];
const fsWatchers: FSWatcher[] = [];
let base: string;
let secret: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'gohot-cookie-safety-'));
  await chmod(base, 0o755);
  secret = join(base, 'secret');
  await writeFile(secret, 'root only\n', { mode: 0o600 });
});

afterEach(async () => {
  for (const w of fsWatchers.splice(0)) w.close();
  await Promise.all(open.splice(0).map((w) => w.close()));
  await rm(base, { recursive: true, force: true });
});

describe('cookie files', () => {
  // Finding 4: sync cookies were opened with O_CREAT|O_TRUNC, following symlinks, in every
  // root; a symlink planted by the owner of a replace target truncated a root-only file.
  it('are never written in a root another user owns; sync sweeps it and sees the last edit', async () => {
    const mod = join(base, 'mod');
    await mkdir(mod);
    const main = join(mod, 'main.go');
    await writeFile(main, 'package main\n');
    await chown(mod, NOBODY, NOBODY);
    await chown(main, NOBODY, NOBODY);
    plant(secret, join(mod, `${COOKIE_PREFIX}planted`));
    const seen = cookiesCreatedIn(mod);
    fsWatchers.push(seen.watcher);
    const rec = await recordWatcher(
      { roots: [mod], filter, backend: 'auto', reconcileIntervalMs: 2_000_000_000 },
      open,
    );
    expect(rec.statuses.map((s) => s.backend)).toEqual(['native']);
    for (let i = 0; i < 3; i++) {
      for (const name of guessesAfter(seen.names)) plant(secret, join(mod, name));
      // Saved as editors do (temp file renamed over it): one change, whenever it is looked at.
      await writeFile(`${main}~`, `package main // edit ${i}\n`);
      await rename(`${main}~`, main);
      await rec.watcher.sync();
      expect(rec.kinds(main), rec.dump()).toEqual(Array(i + 1).fill('modified'));
    }
    expect(await readFile(secret, 'utf8')).toBe('root only\n');
    expect(seen.names).toEqual([]);
    expect((await lstat(join(mod, `${COOKIE_PREFIX}planted`))).isSymbolicLink()).toBe(true);
    expect(rec.watcher.stats()).toMatchObject({ misses: 0, polledTrees: 0 });
  });

  // Finding 4: the names were a pid, 3 random bytes and a counter: after seeing one cookie, an
  // attacker who can write to the root knew the next name and planted a symlink there.
  it('in an owned root others can write to, are created exclusively under unpredictable names', async () => {
    const mod = join(base, 'mod');
    await mkdir(mod);
    await chmod(mod, 0o777);
    const main = join(mod, 'main.go');
    await writeFile(main, 'package main\n');
    const seen = cookiesCreatedIn(mod);
    fsWatchers.push(seen.watcher);
    const rec = await recordWatcher({ roots: [mod], filter, backend: 'auto' }, open);
    expect(rec.statuses.map((s) => s.backend)).toEqual(['native']);
    const planted = new Set<string>();
    for (let i = 0; i < 4; i++) {
      for (const name of [...seen.names, ...guessesAfter(seen.names)]) {
        if (planted.has(name)) continue;
        planted.add(name);
        plant(secret, join(mod, name));
      }
      await writeFile(`${main}~`, `package main // edit ${i}\n`);
      await rename(`${main}~`, main);
      await rec.watcher.sync();
      expect(rec.kinds(main), rec.dump()).toEqual(Array(i + 1).fill('modified'));
    }
    expect(await readFile(secret, 'utf8')).toBe('root only\n');
    // The canary and four syncs wrote cookies here, each under a fresh random name.
    expect(seen.names.length).toBeGreaterThanOrEqual(5);
    for (const name of seen.names) expect(name).toMatch(/^\.gohot-cookie-[0-9a-f]{32}$/);
    const heads = new Set(
      seen.names.map((n) => n.slice(COOKIE_PREFIX.length, COOKIE_PREFIX.length + 8)),
    );
    expect(heads.size).toBe(seen.names.length);
    // Ours are gone again; what the attacker planted is left alone.
    const left = (await readdir(mod)).filter(isCookieName).sort();
    expect(left).toEqual([...planted].sort());
  });

  // Cookies left behind by a gohot that was SIGKILLed stayed in the project for good, where
  // `git add -A` committed them.
  it('left over from an earlier run are removed from owned roots only, and never tracked', async () => {
    const own = join(base, 'own');
    const foreign = join(base, 'foreign');
    await mkdir(own);
    await mkdir(foreign);
    await chown(foreign, NOBODY, NOBODY);
    await writeFile(join(own, 'main.go'), 'package main\n');
    await writeFile(join(foreign, 'lib.go'), 'package lib\n');
    const oldStyle = `${COOKIE_PREFIX}4242-a1b2c3-7`;
    const newStyle = `${COOKIE_PREFIX}${'0123456789abcdef'.repeat(2)}`;
    for (const name of [oldStyle, newStyle]) {
      await writeFile(join(own, name), '');
      expect(asNobody('touch', [join(foreign, name)]).status).toBe(0);
    }
    // Named like cookies, but not ours to remove: another user's file and a symlink.
    const othersFile = `${COOKIE_PREFIX}0-000000-0`;
    await writeFile(join(own, othersFile), '');
    await chown(join(own, othersFile), NOBODY, NOBODY);
    const link = `${COOKIE_PREFIX}1-111111-1`;
    await symlink(secret, join(own, link));

    const everything = predicateFilter({ ignoreDir: () => false, trackFile: () => true });
    const rec = await recordWatcher({ roots: [own, foreign], filter: everything }, open);
    expect((await readdir(own)).sort()).toEqual([link, othersFile, 'main.go'].sort());
    expect((await readdir(foreign)).sort()).toEqual([newStyle, oldStyle, 'lib.go'].sort());
    expect(await readFile(secret, 'utf8')).toBe('root only\n');
    expect(rec.watcher.stats().trackedFiles).toBe(2);

    // One appearing while we watch (another gohot's, or a copy) is no change either.
    await writeFile(join(own, `${COOKIE_PREFIX}5-555555-5`), '');
    writeFileSync(join(own, 'main.go'), 'package main // edited\n');
    await rec.expectChange(join(own, 'main.go'), 'modified');
    await rec.watcher.sync();
    expect(rec.changes.map((c) => c.path)).toEqual([join(own, 'main.go')]);
    expect(rec.watcher.stats().trackedFiles).toBe(2);
  });
});
