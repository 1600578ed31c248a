import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

/** Absolute path of test/fixtures. */
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/**
 * Copies test/fixtures/<name> into a fresh temp directory and returns that directory.
 * Tests edit and build the copy, never the checked-in fixture. Remove it with
 * {@link removeTemp} when done.
 */
export async function copyFixture(name: string): Promise<string> {
  const src = join(FIXTURES_DIR, name);
  const entries = await readdir(src).catch(() => {
    throw new Error(`Fixture ${name} does not exist at ${src}.`);
  });
  if (entries.length === 0) throw new Error(`Fixture ${name} at ${src} is empty.`);
  const dir = await mkdtemp(join(tmpdir(), `gohot-${name}-`));
  await cp(src, dir, { recursive: true });
  return dir;
}

/** Removes a temp directory made by {@link copyFixture} or {@link makeTempDir}. */
export async function removeTemp(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A fresh empty temp directory. */
export function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `gohot-${label}-`));
}

/**
 * The go binary tests use (`GOHOT_GO` or `go` on PATH), checked to run. A missing
 * toolchain fails the test loudly with instructions; it is never a skip.
 */
export function requireGo(): string {
  const goBin = process.env.GOHOT_GO || 'go';
  const r = spawnSync(goBin, ['version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `These tests need the real Go toolchain, but \`${goBin} version\` failed ` +
        `(${r.error?.message ?? r.stderr.trim()}). Install Go >= 1.21 from https://go.dev/dl/ ` +
        'and put it on PATH, or set GOHOT_GO=/path/to/go.',
    );
  }
  return goBin;
}

/**
 * For test files that run the real go on temp directories: registers an afterEach that
 * removes every directory passed through `temp`. Returns the go binary (checked now, loudly).
 */
export function useGoTemps(): {
  readonly goBin: string;
  readonly temps: string[];
  temp(make: Promise<string>): Promise<string>;
} {
  const goBin = requireGo();
  const temps: string[] = [];
  afterEach(async () => {
    await Promise.all(temps.splice(0).map(removeTemp));
  });
  return {
    goBin,
    temps,
    async temp(make) {
      const dir = await make;
      temps.push(dir);
      return dir;
    },
  };
}

/** Environment for go in tests: the caller's, but never downloading a toolchain. */
export function goTestEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', ...extra };
}

/** Reads a file as UTF-8 (shorthand for tests). */
export function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
