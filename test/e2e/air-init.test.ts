import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { goTestEnv, requireGo } from '../helpers/fixture.js';
import { CLI, freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture, tempDir } = useGohot();

function gohot(cwd: string, ...args: string[]) {
  requireGo();
  return spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8', env: goTestEnv() });
}

describe('gohot init --from-air (end to end)', () => {
  it('converts the .air.toml, refuses to overwrite, and the project reloads as air was told', async () => {
    const dir = await fixture('air-project');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const env = { ADDR: `127.0.0.1:${port}` };

    // Without gohot.json, gohot says once that the conversion exists.
    const before = await startGohot(dir, { env });
    await waitForBody(url, /^page one$/m, before);
    await before.waitForOutput(/\.air\.toml found and no gohot\.json: `gohot init --from-air`/);
    await before.close();

    const dry = gohot(dir, 'init', '--from-air', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ main: '.', run: { stopSignal: 'SIGINT' } });
    expect(await loadConfig(dir)).toEqual({ kind: 'none', path: undefined, file: undefined });

    const converted = gohot(dir, 'init', '--from-air');
    expect(converted.status, converted.stderr).toBe(0);
    expect(converted.stdout).toMatch(/^ {2}mapped +build\.include_ext +go -> watch\.patterns/m);
    expect(converted.stdout).toMatch(
      /^ {2}mapped +build\.kill_delay +-> run\.stopTimeout "500ms"/m,
    );
    const loaded = await loadConfig(dir);
    expect(loaded.kind === 'gohot.json' && loaded.file).toEqual(JSON.parse(dry.stdout));
    expect(loaded.file?.watch?.restartOnly).toContain('!static/');

    const again = gohot(dir, 'init', '--from-air');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/gohot\.json exists already.*\n.*--force/);
    expect(gohot(dir, 'init', '--from-air', '--force').status).toBe(0);

    const g = await startGohot(dir, { args: ['-v'], env });
    await waitForBody(url, /^page one$/m, g);
    expect(g.output()).not.toContain('init --from-air');
    // An edit in the excluded directory first, then one in an included file: the only
    // restart is the included file's, and nothing was built for either.
    await writeFile(path.join(dir, 'static', 'page.html'), 'static two\n');
    await writeFile(path.join(dir, 'templates', 'page.html'), 'page two\n');
    await waitForBody(url, /^page two$/m, g);
    await g.waitForOutput(/templates\/page\.html changed -> restarted pid \d+ without a build/);
    expect(g.output()).not.toMatch(/static\/page\.html changed/);
    expect(g.count(/build #\d+ started/)).toBe(1);

    // Go code still rebuilds.
    const main = await readFile(path.join(dir, 'main.go'), 'utf8');
    await writeFile(
      path.join(dir, 'main.go'),
      main.replace('w.Write(page)', 'w.Write(append([]byte("v2 "), page...))'),
    );
    await waitForBody(url, /^v2 page two$/m, g);
    expect(g.count(/build #\d+ started/)).toBe(2);
  });

  it('converts pre_cmd to hooks.beforeBuild and env_files to run.envFile: the hook generates code before every build', async () => {
    const dir = await fixture('air-generator');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;

    const converted = gohot(dir, 'init', '--from-air');
    expect(converted.status, converted.stderr).toBe(0);
    expect(converted.stdout).toMatch(
      /^ {2}mapped +build\.pre_cmd +-> hooks\.beforeBuild \["sh","-c",/m,
    );
    const loaded = await loadConfig(dir);
    expect(loaded.kind === 'gohot.json' && loaded.file.run?.envFile).toEqual(['.env']);

    // generated.go does not exist: only the hook, run before the first build, makes it
    // compile; GREETING comes from .env only.
    const g = await startGohot(dir, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /^hello one$/m, g);

    // message.txt is not watched; the next build (for a Go edit) runs the hook again.
    await writeFile(path.join(dir, 'message.txt'), 'two\n');
    const main = await readFile(path.join(dir, 'main.go'), 'utf8');
    const edited = main.replace('"%s %s\\n"', '"%s, %s\\n"');
    expect(edited).not.toBe(main);
    await writeFile(path.join(dir, 'main.go'), edited);
    await waitForBody(url, /^hello, two$/m, g);
  });

  it('gohot init writes a starter that names the main package, and refuses a non-air file', async () => {
    const dir = await fixture('multi-main');
    const r = gohot(path.join(dir, 'cmd', 'worker'), 'init');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^ {2}main +the main package to build and run: \.\/cmd\/worker \(the one in this directory\)/m,
    );
    expect(r.stdout).toMatch(/^All keys: .*README\.md#keys$/m);
    const loaded = await loadConfig(dir);
    expect(loaded.kind === 'gohot.json' && loaded.file.main).toBe('./cmd/worker');

    const other = await tempDir('other-tool');
    await writeFile(path.join(other, 'go.mod'), 'module example.com/other\n\ngo 1.21\n');
    await writeFile(path.join(other, '.air.toml'), '[tool]\nname = "air"\n');
    const refused = gohot(other, 'init', '--from-air');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /has no key air reads \(tool\): it looks like the config of another tool/,
    );
  });
});
