import { spawnSync } from 'node:child_process';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, makeTempDir, removeTemp } from '../helpers/fixture.js';
import { type GohotProcess, startGohot } from '../helpers/gohot-cli.js';

const running: GohotProcess[] = [];
const temps: string[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop('SIGKILL');
  await Promise.all(temps.splice(0).map(removeTemp));
});

async function fixture(): Promise<string> {
  const dir = await copyFixture('hello-http');
  temps.push(dir);
  return dir;
}

/** Runs gohot until it exits on its own; a hang fails the test by its timeout. */
async function runToExit(cwd: string, args: string[] = []) {
  const g = await startGohot(cwd, { args, env: { ADDR: '127.0.0.1:0' } });
  running.push(g);
  const code = await g.exited;
  return { code, output: g.output() };
}

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${file} failed: ${r.error?.message ?? r.stderr}`);
}

/** Output that is an error report, not a crash. */
function expectNoCrash(output: string): void {
  expect(output).not.toMatch(/unexpected error|RangeError|\n\s+at /);
}

describe('config files that are not plain, small, shallow regular files (end to end)', () => {
  // Regression: a FIFO as gohot.json hung start-up silently, forever.
  it('a FIFO as gohot.json at start-up is an error naming it, exit 1', async () => {
    const dir = await fixture();
    mkfifo(path.join(dir, 'gohot.json'));
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toMatch(/gohot\.json is a FIFO \(named pipe\), not a regular file/);
    expect(output).toMatch(/Replace it with a regular file/);
  });

  // Regression: a FIFO saved over gohot.json while running blocked the reload, and then
  // Ctrl-C waited for it forever.
  it('a FIFO replacing gohot.json while running is a warning, and Ctrl-C still exits', async () => {
    const dir = await fixture();
    const config = path.join(dir, 'gohot.json');
    await writeFile(config, '{"run": {"stopTimeout": "2s"}}');
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    running.push(g);
    await g.waitForOutput(/-> started pid/);
    // Made beside it and renamed over it, as an editor saves: one event for gohot.json.
    mkfifo(path.join(dir, 'gohot.fifo'));
    await rename(path.join(dir, 'gohot.fifo'), config);
    await g.waitForOutput(
      /warning: .*gohot\.json is a FIFO \(named pipe\), not a regular file.* The last good config stays in effect\./,
    );
    expect(await g.stop('SIGINT')).toBe(130);
  });

  // Regression: a symlink to /dev/zero as gohot.json was read until memory ran out.
  it('a symbolic link to /dev/zero is refused at once', async () => {
    const dir = await fixture();
    await symlink('/dev/zero', path.join(dir, 'gohot.json'));
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toMatch(/gohot\.json is a symbolic link to a character device/);
  });

  // Regression: 100,000 nested arrays overflowed the parser's stack (a stack trace).
  it('nesting 100,000 levels deep is an error at file:line:col', async () => {
    const dir = await fixture();
    const n = 100_000;
    await writeFile(path.join(dir, 'gohot.json'), `{"main": ${'['.repeat(n)}${']'.repeat(n)}}`);
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toMatch(
      /gohot\.json:1:73: objects and arrays are nested more than 64 levels deep here\./,
    );
    expectNoCrash(output);
  });
});

describe('config values gohot cannot pass on (end to end)', () => {
  // Regression: --build-flag=-o=X was accepted and overrode gohot's own output path.
  it('--build-flag=-o=X is refused, naming --build-flag', async () => {
    const dir = await fixture();
    const { code, output } = await runToExit(dir, ['--build-flag=-o=X']);
    expect(code).toBe(1);
    expect(output).toMatch(/--build-flag "-o=X" sets -o: gohot sets -o itself/);
    expect(output).not.toMatch(/-> started pid/);
  });

  it('build.flags with -ldflags is refused at file:line:col, naming build.ldflags', async () => {
    const dir = await fixture();
    await writeFile(
      path.join(dir, 'gohot.json'),
      '{\n  "build": {\n    "flags": ["-race", "-ldflags=-X main.v=1"]\n  }\n}\n',
    );
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toMatch(
      /gohot\.json:3:24: build\.flags\[1\] "-ldflags=-X main\.v=1" sets -ldflags: .*use the "build\.ldflags" key instead/,
    );
  });

  // Regression: a NUL in an env value passed validation and broke the spawn later.
  it('a NUL in run.env is refused at file:line:col', async () => {
    const dir = await fixture();
    await writeFile(
      path.join(dir, 'gohot.json'),
      '{\n  "run": { "env": { "GREETING": "hi\\u0000there" } }\n}\n',
    );
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toMatch(
      /gohot\.json:2:33: run\.env\.GREETING must be a string without NUL characters \("\\u0000"\), but got the string "hi\\u0000there"/,
    );
    expectNoCrash(output);
  });

  // Regression: a key holding ESC was printed raw, so gohot.json could drive the terminal.
  it('a key with an escape sequence is printed escaped', async () => {
    const dir = await fixture();
    await writeFile(path.join(dir, 'gohot.json'), '{"\\u001b[2J\\u001b]0;pwned\\u0007": 1}\n');
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toContain('unknown key "\\u001b[2J\\u001b]0;pwned\\u0007"');
    expect(output).not.toContain('\u001b');
    expect(output).not.toContain('\u0007');
  });
});

describe('paths in config errors (end to end)', () => {
  // Pins that config errors name files relative to the shell's directory, even with -C.
  it('with -C <dir>, a broken gohot.json is named relative to where gohot was started', async () => {
    const top = await makeTempDir('confighard-c');
    temps.push(top);
    const app = path.join(top, 'sub', 'app');
    await mkdir(path.dirname(app), { recursive: true });
    await rename(await fixture(), app);
    await writeFile(path.join(app, 'gohot.json'), '{\n  "wach": {}\n}\n');
    const { code, output } = await runToExit(top, ['-C', 'sub/app']);
    expect(code).toBe(1);
    expect(output).toMatch(/gohot: sub\/app\/gohot\.json:2:3: unknown key "wach"/);
  });
});
