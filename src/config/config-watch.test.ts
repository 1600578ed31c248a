import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConfigReloader, diffConfig } from './config-watch.js';
import { resolveConfig } from './resolve-config.js';

describe('createConfigReloader', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gohot-reload-'));
    file = path.join(dir, 'gohot.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (text: string) => {
    await writeFile(file, text);
    return resolveConfig(JSON.parse(text), file, {});
  };

  it('returns the new config and the changed paths after a good edit', async () => {
    const initial = await start('{"watch": {"patterns": ["**/*.go"]}}');
    const reloader = createConfigReloader(dir, {}, initial);
    await writeFile(
      file,
      '{"watch": {"patterns": ["**/*.go", "!gen/"]}, "run": {"stopTimeout": "1s"}}',
    );
    const result = await reloader.reload();
    expect(result.ok && result.changed).toEqual(['run.stopTimeoutMs', 'watch.patterns']);
    expect(result.ok && result.config.watch.patterns).toEqual(['**/*.go', '!gen/']);
    expect(reloader.current.run.stopTimeoutMs).toBe(1000);
  });

  it('keeps the last good config and returns the error after a broken edit', async () => {
    // Pins the rule "a broken config edit is reported and survived" in watch mode.
    const initial = await start('{"run": {"stopTimeout": "2s"}}');
    const reloader = createConfigReloader(dir, {}, initial);
    await writeFile(file, '{\n  "run": {"stopTimeout": "2s"}\n  "main": "./x"\n}');
    const broken = await reloader.reload();
    expect(broken.ok).toBe(false);
    if (broken.ok) return;
    expect(broken.error.code).toBe('CONFIG_SYNTAX');
    expect(broken.error.message).toMatch(/gohot\.json:3:3: expected ","/);
    expect(broken.kept).toBe(initial);
    expect(reloader.current).toBe(initial);

    await writeFile(file, '{"run": {"stopTimeout": "2s", "stopSignal": "SIGNOPE"}}');
    const invalid = await reloader.reload();
    expect(!invalid.ok && invalid.error.code).toBe('CONFIG_INVALID');
    expect(reloader.current).toBe(initial);

    await writeFile(file, '{"run": {"stopTimeout": "5s"}}');
    const fixed = await reloader.reload();
    expect(fixed.ok && fixed.changed).toEqual(['run.stopTimeoutMs']);
    expect(reloader.current.run.stopTimeoutMs).toBe(5000);
  });

  // Regression: a FIFO saved over gohot.json blocked the reload forever, and with it every
  // later reload and stop.
  it('keeps the last good config when gohot.json becomes a FIFO, and recovers', async () => {
    const initial = await start('{"run": {"stopTimeout": "2s"}}');
    const reloader = createConfigReloader(dir, {}, initial);
    await rm(file);
    const r = spawnSync('mkfifo', [file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const broken = await reloader.reload();
    expect(!broken.ok && broken.error.code).toBe('CONFIG_NOT_A_FILE');
    expect(!broken.ok && broken.error.message).toMatch(/gohot\.json is a FIFO \(named pipe\)/);
    expect(!broken.ok && broken.kept).toBe(initial);

    await rm(file);
    await writeFile(file, '{"run": {"stopTimeout": "5s"}}');
    const fixed = await reloader.reload();
    expect(fixed.ok && fixed.changed).toEqual(['run.stopTimeoutMs']);
  });

  it('keeps the last good config when gohot.json grows past the size cap', async () => {
    const initial = await start('{}');
    const reloader = createConfigReloader(dir, {}, initial);
    await writeFile(file, `{"main": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    const result = await reloader.reload();
    expect(!result.ok && result.error.code).toBe('CONFIG_TOO_LARGE');
    expect(reloader.current).toBe(initial);
  });

  it('reports no change, and keeps the same object, when the file is saved unchanged', async () => {
    const initial = await start('{"main": "./cmd/api"}');
    const reloader = createConfigReloader(dir, {}, initial);
    await writeFile(file, '{ "main": "./cmd/api" }\n');
    const result = await reloader.reload();
    expect(result).toEqual({ ok: true, config: initial, changed: [] });
    expect(result.ok && result.config).toBe(initial);
  });

  it('applies the overrides on every reload', async () => {
    await writeFile(file, '{"main": "./a"}');
    const overrides = { main: './flag' };
    const reloader = createConfigReloader(
      dir,
      overrides,
      resolveConfig({ main: './a' }, file, overrides),
    );
    await writeFile(file, '{"main": "./b", "build": {"tags": ["x"]}}');
    const result = await reloader.reload();
    expect(result.ok && result.changed).toEqual(['build.tags']);
    expect(reloader.current.main).toBe('./flag');
  });

  it('reports the source change when the file is deleted', async () => {
    const initial = await start('{}');
    const reloader = createConfigReloader(dir, {}, initial);
    await rm(file);
    const result = await reloader.reload();
    expect(result.ok && result.changed).toEqual(['source']);
    expect(reloader.current.source).toBeUndefined();
  });

  it('serializes concurrent reloads in call order', async () => {
    const initial = await start('{}');
    const reloader = createConfigReloader(dir, {}, initial);
    await writeFile(file, '{"main": "./x"}');
    const [a, b] = await Promise.all([reloader.reload(), reloader.reload()]);
    expect(a.ok && a.changed).toEqual(['main']);
    expect(b.ok && b.changed).toEqual([]);
  });
});

describe('diffConfig', () => {
  it('compares arrays and env maps by value', () => {
    const a = resolveConfig({ build: { env: { A: '1' } } }, undefined, {});
    const same = resolveConfig({ build: { env: { A: '1' } } }, undefined, {});
    const other = resolveConfig(
      { build: { env: { A: '2' } }, watch: { quietWindow: '10ms' } },
      undefined,
      {},
    );
    expect(diffConfig(a, same)).toEqual([]);
    expect(diffConfig(a, other)).toEqual(['build.env']);
  });
});
