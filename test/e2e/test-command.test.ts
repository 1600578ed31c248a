import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, type GohotProcess, useGohot } from '../helpers/gohot-cli.js';
import { isAlive } from '../helpers/processes-linux.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start: startGohot, fixture } = useGohot();

// test/fixtures/test-chain: c imports b imports a; d imports none of them. `-v` prints the
// go test command line of each run: the packages it names are the packages run.
const FIRST_RUN = /first run -> 4 packages tested/;
/** "3 packages tested, 1 skipped", whatever go's test cache answered. */
const tested = (n: number, skipped: number) =>
  `${n} packages? tested(, \\d+ cached)?, ${skipped} skipped`;
const P = (...names: string[]) => names.map((n) => `example.com/chain/${n}`).join(' ');

/** The packages (and -run pattern) of the go test command lines printed so far. */
const commands = (g: GohotProcess) =>
  g.lines.flatMap((l) => {
    // A terminal (`script`) ends lines with \r\n.
    const m = /\[test\] go test -json (.*?)\r?$/.exec(l.text);
    return m === null ? [] : [m[1]!];
  });

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(file, text.replace(from, to));
}

describe('gohot test (end to end)', () => {
  it('runs the tests a change can affect: a reaches b and c, a _test.go only its package, a comment nothing', async () => {
    const dir = await fixture('test-chain');
    const g = await startGohot(dir, { args: ['test', '-v'] });
    await g.waitForOutput(FIRST_RUN);
    expect(commands(g)).toEqual([P('a', 'b', 'c', 'd')]);

    await edit(path.join(dir, 'a/a.go'), 'return 1 }', 'return 2 - 1 }');
    await g.waitForOutput(new RegExp(`a/a\\.go changed -> ${tested(3, 1)} -> ok`));
    expect(commands(g).at(-1)).toBe(P('a', 'b', 'c'));

    await edit(path.join(dir, 'b/b_test.go'), 'want 2', 'want two');
    await g.waitForOutput(new RegExp(`b/b_test\\.go changed -> ${tested(1, 3)} -> ok`));
    expect(commands(g).at(-1)).toBe(P('b'));

    await edit(path.join(dir, 'c/c.go'), '// Quad is', '// Quad (a comment edit) is');
    await g.waitForOutput(
      /c\/c\.go changed -> no tests run: only comments or white space changed \(example\.com\/chain\/c\)/,
    );
    // The next save runs only its own selection: the comment edit added no run.
    await edit(path.join(dir, 'd/d_test.go'), 'Name() = %q', 'Name() is %q');
    await g.waitForOutput(new RegExp(`d/d_test\\.go changed -> ${tested(1, 3)} -> ok`));
    expect(commands(g)).toEqual([P('a', 'b', 'c', 'd'), P('a', 'b', 'c'), P('b'), P('d')]);
  });

  it('shows a failure with its name, output and file:line; f reruns only it; a fix turns green', async () => {
    const dir = await fixture('test-chain');
    const g = await startGohot(dir, { args: ['test', '-v'], terminal: true });
    await g.waitForOutput(FIRST_RUN);

    await edit(path.join(dir, 'b/b_test.go'), 'Double() != 2', 'Double() != 3');
    await g.waitForOutput(
      new RegExp(`b/b_test\\.go changed -> ${tested(1, 3)} -> FAIL 1 passed, 1 failed`),
    );
    await g.waitForOutput(/--- FAIL: TestDouble \(example\.com\/chain\/b\)/);
    // The failure's output may arrive in a later chunk than its heading.
    await g.waitForOutput(/^b\/b_test\.go:11: Double\(\) = 2, want 2\r?$/m);

    g.type('f\r');
    await g.waitForOutput(
      new RegExp(`failed tests requested -> ${tested(1, 3)} -> FAIL 0 passed, 1 failed`),
    );
    expect(commands(g).at(-1)).toBe(`-run ^TestDouble$ ${P('b')}`);

    await edit(path.join(dir, 'b/b_test.go'), 'Double() != 3', 'Double() != 2');
    await g.waitForOutput(
      new RegExp(`b/b_test\\.go changed -> ${tested(1, 3)} -> ok 2 passed, 0 failed`),
    );

    // Enter reruns the last selection, a runs everything, q quits.
    g.type('\r');
    await g.waitForOutput(new RegExp(`rerun requested -> ${tested(1, 3)} -> ok 2 passed`));
    expect(commands(g).at(-1)).toBe(P('b'));
    g.type('a\r');
    await g.waitForOutput(new RegExp(`all tests requested -> ${tested(4, 0)} -> ok 5 passed`));
    g.type('q\r');
    expect(await g.exited).toBe(0);
  });

  it('a save cancels a test that hangs, and no test process is left', async () => {
    const dir = await fixture('test-chain');
    const marker = path.join(dir, 'hang.pid');
    const g = await startGohot(dir, { args: ['test', '-v'], env: { GOHOT_E2E_HANG: marker } });
    await g.waitForOutput(FIRST_RUN);
    const hang = path.join(dir, 'a/hang_test.go');
    await writeFile(
      hang,
      [
        'package a',
        '',
        'import (',
        '\t"os"',
        '\t"strconv"',
        '\t"testing"',
        '\t"time"',
        ')',
        '',
        'func TestHang(t *testing.T) {',
        '\t_ = os.WriteFile(os.Getenv("GOHOT_E2E_HANG"), []byte(strconv.Itoa(os.Getpid())), 0o644)',
        '\ttime.Sleep(time.Hour)',
        '}',
        '',
      ].join('\n'),
    );
    // The test binary is running once it wrote its pid.
    const pid = await waitUntil('the hanging test to start', async () => {
      const text = await readFile(marker, 'utf8').catch(() => '');
      return text === '' ? undefined : Number(text);
    });
    await edit(hang, 'time.Sleep(time.Hour)', '_ = time.Hour');
    await g.waitForOutput(/test run #\d+ cancelled after .*: superseded: a\/hang_test\.go changed/);
    await g.waitForOutput(new RegExp(`a/hang_test\\.go changed -> ${tested(1, 3)} -> ok 2 passed`));
    // Gone, or a zombie waiting for init (holds nothing): see helpers/processes-linux.ts.
    expect(isAlive(pid)).toBe(false);
  });

  it('a test binary that does not compile is shown with the position of the error', async () => {
    const dir = await fixture('test-chain');
    const g = await startGohot(dir, { args: ['test'] });
    await g.waitForOutput(FIRST_RUN);
    await edit(path.join(dir, 'd/d_test.go'), 'if Name() != "d" {', 'if Name() != 4 {');
    await g.waitForOutput(/d\/d_test\.go changed -> .* 1 test binary did not build/);
    await g.waitForOutput(/^d\/d_test\.go:6:15: .*Name\(\) != 4/m);
  });

  it('explain --test says which packages a change would test, and why', async () => {
    const dir = await fixture('test-chain');
    const text = execFileSync(
      'node',
      [CLI, 'explain', '--test', 'a/a.go', 'b/b_test.go', 'b/testdata/greeting.txt'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } },
    );
    const block = (name: string) => text.split('\n\n').find((b) => b.startsWith(name)) ?? '';
    expect(block('a/a.go')).toMatch(
      /runs example\.com\/chain\/c: imports example\.com\/chain\/a \(via example\.com\/chain\/b\)/,
    );
    expect(block('a/a.go')).not.toMatch(/chain\/d/);
    expect(block('b/b_test.go').match(/^ {2}runs /gm)).toHaveLength(1);
    expect(block('b/testdata/greeting.txt')).toMatch(/runs example\.com\/chain\/b: changed/);
  });
});
