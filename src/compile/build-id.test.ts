import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { goTestEnv, makeTempDir, useGoTemps } from '../../test/helpers/fixture.js';
import { waitUntil } from '../../test/helpers/wait-for.js';
import { GohotError } from '../errors.js';
import { DEV_LDFLAGS } from './build.js';
import { type BuildId, parseBuildId, readBuildId } from './build-id.js';

// Real binaries from the real go, read by gohot and by `go tool buildid`.
const { goBin, temp } = useGoTemps();
const run = promisify(execFile);
const env = goTestEnv({ GOFLAGS: '', CGO_ENABLED: '0', GOWORK: 'off' });

const mainGo = (body: string) =>
  `package main\n\nimport "fmt"\n\nconst msg = "hello"\n\nfunc main() {\n${body}\n}\n`;
const PRINT_SUM = '\tx := 1 + 1\n\tfmt.Println(msg, x)';

/** A module in a temp dir with main.go (and more files); returns its directory. */
async function module(files: Record<string, string>): Promise<string> {
  const dir = await temp(makeTempDir('build-id'));
  await writeFile(join(dir, 'go.mod'), 'module example.com/bid\n\ngo 1.21\n');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** Builds the module in `dir` as gohot does by default (`-s -w`, no VCS stamp) to `output`. */
async function build(
  dir: string,
  output: string,
  extra: { ldflags?: string; goarch?: string } = {},
) {
  const ldflags = extra.ldflags ?? DEV_LDFLAGS;
  await run(goBin, ['build', `-ldflags=${ldflags}`, '-buildvcs=false', '-o', output, '.'], {
    cwd: dir,
    env: extra.goarch ? { ...env, GOARCH: extra.goarch } : env,
  });
  return output;
}

async function goToolBuildId(file: string): Promise<string> {
  return (await run(goBin, ['tool', 'buildid', file], { env })).stdout.trim();
}

function errorOf(fn: () => unknown): GohotError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GohotError);
    expect((err as GohotError).code).toBe('BUILD_ID_UNREADABLE');
    return err as GohotError;
  }
  throw new Error('expected BUILD_ID_UNREADABLE, but the build ID was read');
}

const onPath = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('parseBuildId', () => {
  const h = (c: string) => c.repeat(20);
  it.each([
    [`${h('a')}/${h('b')}/${h('c')}/${h('d')}`, { actionId: h('a'), contentId: h('d') }],
    [`${h('a')}/${h('b')}`, { actionId: h('a'), contentId: h('b') }],
    [`${h('-')}/${h('_')}`, { actionId: h('-'), contentId: h('_') }],
  ])('%s', (raw, expected) => {
    expect(parseBuildId(raw, 'app')).toEqual({ ...expected, raw });
  });

  it.each([
    ['one part (-ldflags=-buildid=v1)', 'v1'],
    ['three parts', `${h('a')}/${h('b')}/${h('c')}`],
    ['an empty part', `${h('a')}//${h('c')}/${h('d')}`],
    ['a part that is no hash', `${h('a')}/${h('b')}/${h('c')}/not-a-hash`],
    ['the empty string', ''],
  ])('refuses %s', (_, raw) => {
    expect(errorOf(() => parseBuildId(raw, 'app')).message).toMatch(/did not compute/);
  });
});

describe('readBuildId on binaries the go command built', () => {
  it('reads what `go tool buildid` reads; the same source built to two paths has one content ID', async () => {
    const dir = await module({ 'main.go': mainGo(PRINT_SUM) });
    const out = await temp(makeTempDir('bid-out'));
    const a = readBuildId(await build(dir, join(out, 'a')));
    const b = readBuildId(await build(dir, join(out, 'b')));
    expect(a.raw).toBe(await goToolBuildId(join(out, 'a')));
    const parts = a.raw.split('/');
    expect(parts).toHaveLength(4);
    expect(a).toEqual({ actionId: parts[0], contentId: parts[3], raw: a.raw });
    expect(b).toEqual(a);
  });

  it('edits the compiler erases keep the content ID; a new string constant changes it', async () => {
    const dir = await module({ 'main.go': mainGo(PRINT_SUM) });
    const out = await temp(makeTempDir('bid-out'));
    const ids: Record<string, BuildId> = {};
    const variant = async (name: string, source: string) => {
      await writeFile(join(dir, 'main.go'), source);
      ids[name] = readBuildId(await build(dir, join(out, name)));
    };
    await variant('original', mainGo(PRINT_SUM));
    await variant(
      'comment',
      mainGo(PRINT_SUM)
        .replace('func main', '// main prints.\nfunc main')
        .replace('\n\nconst', '\nconst'),
    );
    await variant('folded', mainGo('\tx := 2\n\tfmt.Println(msg, x)'));
    await variant('renamed', mainGo('\tsum := 1 + 1\n\tfmt.Println(msg, sum)'));
    await variant('constant', mainGo(PRINT_SUM).replace('"hello"', '"hullo"'));
    const original = ids.original!;
    for (const same of ['comment', 'folded', 'renamed']) {
      expect(ids[same]!.contentId, same).toBe(original.contentId);
      // The source changed, so go linked anew: only the content hash tells it is the same.
      expect(ids[same]!.actionId, same).not.toBe(original.actionId);
    }
    expect(ids.constant!.contentId).not.toBe(original.contentId);
  });

  it.each([
    ['386', 'ELF32 little-endian'],
    ['mips', 'ELF32 big-endian'],
    ['s390x', 'ELF64 big-endian'],
  ])(
    'reads a GOARCH=%s binary (%s) as `go tool buildid` does',
    async (goarch) => {
      const dir = await module({ 'main.go': 'package main\n\nfunc main() { println("hi") }\n' });
      const out = await temp(makeTempDir('bid-out'));
      const file = await build(dir, join(out, goarch), { goarch });
      expect(readBuildId(file).raw).toBe(await goToolBuildId(file));
    },
    120_000,
  );

  it('refuses an ID set with -ldflags=-buildid=, which would make every build look identical', async () => {
    const dir = await module({ 'main.go': mainGo(PRINT_SUM) });
    const out = await temp(makeTempDir('bid-out'));
    const fixed = await build(dir, join(out, 'fixed'), { ldflags: '-s -w -buildid=v1' });
    expect(errorOf(() => readBuildId(fixed)).message).toMatch(
      /"v1", which the go command did not compute/,
    );
    // An empty -buildid= leaves the note out altogether.
    const none = await build(dir, join(out, 'none'), { ldflags: '-s -w -buildid=' });
    expect(errorOf(() => readBuildId(none)).message).toMatch(/without a Go build ID/);
  });
});

describe('readBuildId on files without a readable build ID', () => {
  it('a text file: says it is not ELF, names its first bytes and that only ELF is read', async () => {
    const file = join(await temp(makeTempDir('bid')), 'notes.txt');
    await writeFile(file, 'hello, world\n');
    const err = errorOf(() => readBuildId(file));
    expect(err.message).toContain(`${file} is not an ELF binary`);
    expect(err.message).toContain('68 65 6c 6c 6f 2c 20 77 ("hello, w")');
    expect(err.message).toMatch(/ELF binaries \(Linux\) only, not Mach-O \(macOS\) or PE/);
    expect(err.hint).toMatch(/restarts the app after every successful build/);
  });

  it('a binary cut short in its ELF header or before its note: says so, with the sizes', async () => {
    const dir = await module({ 'main.go': mainGo(PRINT_SUM) });
    const out = await temp(makeTempDir('bid-out'));
    const bytes = await readFile(await build(dir, join(out, 'app')));
    await writeFile(join(out, 'header'), bytes.subarray(0, 30));
    expect(errorOf(() => readBuildId(join(out, 'header'))).message).toMatch(
      /is cut short: it has 30 bytes, but its ELF header would end at byte 64/,
    );
    // The go linker puts the note right after the program headers, in the first 4 KiB.
    await writeFile(join(out, 'note'), bytes.subarray(0, 1000));
    expect(errorOf(() => readBuildId(join(out, 'note'))).message).toMatch(
      /is cut short: it has 1000 bytes, but its note would end at byte \d+/,
    );
  });

  it('a binary whose note was removed (objcopy), or a C binary (gcc): no Go build ID', async () => {
    const dir = await module({ 'main.go': mainGo(PRINT_SUM) });
    const out = await temp(makeTempDir('bid-out'));
    const tools = ['objcopy', 'gcc'].filter(onPath);
    if (tools.length === 0) {
      throw new Error(
        'This test needs objcopy (binutils) or gcc on PATH to make an ELF file without a Go note.',
      );
    }
    if (tools.includes('objcopy')) {
      const app = await build(dir, join(out, 'app'));
      const stripped = join(out, 'stripped');
      await run('objcopy', ['--remove-section', '.note.go.buildid', app, stripped]);
      expect(errorOf(() => readBuildId(stripped)).message).toMatch(
        /stripped is an ELF binary without a Go build ID/,
      );
    }
    if (tools.includes('gcc')) {
      await writeFile(join(out, 'main.c'), 'int main(void) { return 0; }\n');
      await run('gcc', ['-o', join(out, 'c-app'), join(out, 'main.c')]);
      expect(errorOf(() => readBuildId(join(out, 'c-app'))).message).toMatch(
        /c-app is an ELF binary without a Go build ID \(no note "Go" of type 4 among its \d+ notes\)/,
      );
    }
  });

  it('a missing file: says it could not be read, with the errno code', () => {
    expect(errorOf(() => readBuildId('/nonexistent/app')).message).toBe(
      'The build ID of /nonexistent/app could not be read (ENOENT).',
    );
  });
});

// docs/facts.md#early-cutoff: what gohot's stable output path buys, pinned on the real go.
describe('go build to an existing output path (the facts gohot relies on)', () => {
  const lib = (comment: string) =>
    `package lib\n\n// ${comment}\nfunc Msg() string { return "hi" }\n`;
  const main = (comment: string) =>
    `package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"time"\n\n\t"example.com/bid/lib"\n)\n\n// ${comment}\nfunc main() {\n\tfmt.Println(lib.Msg())\n\tif len(os.Args) > 1 {\n\t\ttime.Sleep(time.Hour)\n\t}\n}\n`;

  it('skips the link after a comment edit in a non-main package, and replaces a running binary after one in main', async () => {
    const dir = await module({ 'main.go': main('one') });
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, 'lib', 'lib.go'), lib('one'));
    const out = await temp(makeTempDir('bid-out'));
    const app = await build(dir, join(out, 'app'));
    const first = { id: readBuildId(app), ino: (await stat(app)).ino };

    // The binary runs from that very file while it is rebuilt (no ETXTBSY: see below).
    const running = spawn(app, ['wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => running.once('exit', resolve));
    let printed = false;
    running.stdout.once('data', () => {
      printed = true;
    });
    try {
      await waitUntil('the app to print', () => printed || running.exitCode !== null);
      expect(running.exitCode).toBeNull();

      await writeFile(join(dir, 'lib', 'lib.go'), lib('two'));
      await build(dir, app);
      // Early cutoff: go read the file's build ID, found it up to date and left the file alone.
      expect({ id: readBuildId(app), ino: (await stat(app)).ino }).toEqual(first);

      await writeFile(join(dir, 'main.go'), main('two'));
      await build(dir, app);
      const second = { id: readBuildId(app), ino: (await stat(app)).ino };
      // Linked anew (main's action ID is part of the link's) into a new file renamed over the
      // old one, so the running binary's inode was never written to; the content is the same.
      expect(second.id.actionId).not.toBe(first.id.actionId);
      expect(second.id.contentId).toBe(first.id.contentId);
      expect(second.ino).not.toBe(first.ino);
      expect(running.exitCode).toBeNull();
    } finally {
      running.kill('SIGKILL');
      await exited;
    }
  });
});
