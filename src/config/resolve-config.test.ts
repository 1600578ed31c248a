import { describe, expect, it } from 'vitest';
import { resolveConfig } from './resolve-config.js';
import { DEFAULT_PATTERNS } from './types.js';

describe('resolveConfig', () => {
  it('fills every default when there is no file', () => {
    expect(resolveConfig(undefined, undefined, {})).toEqual({
      source: undefined,
      main: undefined,
      build: {
        flags: [],
        tags: [],
        ldflags: '',
        env: {},
        buildvcs: false,
        debug: false,
        toolexec: [],
        gcflags: '',
        asmflags: '',
        trimpath: false,
        race: false,
        cover: false,
        envFiles: [],
      },
      rules: [],
      hooks: { beforeBuild: [], afterBuild: [], beforeStart: [], timeoutMs: 120_000 },
      run: {
        args: [],
        env: {},
        envFiles: [],
        stopSignal: 'SIGTERM',
        stopTimeoutMs: 3000,
        ready: { kind: 'none' },
        listen: [],
      },
      watch: {
        patterns: [...DEFAULT_PATTERNS],
        quietWindowMs: 10,
        leadingEdge: true,
        backend: 'auto',
        pollIntervalMs: 500,
        restartOnly: [],
        lineShifts: 'rebuild',
      },
    });
  });

  it('takes every value from the file and converts durations to ms', () => {
    const config = resolveConfig(
      {
        main: './cmd/api',
        build: {
          flags: ['-race'],
          tags: ['dev'],
          ldflags: '-s -w',
          env: { CGO_ENABLED: '0' },
          buildvcs: true,
          debug: true,
          toolexec: "/bin/log 'a b'",
          gcflags: 'all=-N -l',
          asmflags: '-I x',
          trimpath: true,
          race: true,
          cover: true,
          envFile: '.env.build',
        },
        rules: [{ name: 'templ', on: ['**/*.templ'], run: ['templ', 'generate'], timeout: '5s' }],
        hooks: { beforeBuild: ['go', 'generate'], beforeStart: [['a'], ['b', 'c']], timeout: '1s' },
        run: {
          args: ['-v'],
          env: { PORT: '1' },
          envFile: ['.env', '.env.local'],
          stopSignal: 'SIGINT',
          stopTimeout: '1.5s',
          ready: { tcp: ':8080', timeout: '2m' },
          listen: ['web=9000'],
        },
        watch: {
          patterns: ['**/*.go'],
          quietWindow: '0',
          leadingEdge: false,
          poll: true,
          pollInterval: '2m',
          restartOnly: ['config/*.yaml'],
          lineShifts: 'ignore',
        },
      },
      '/m/gohot.json',
      {},
    );
    expect(config).toEqual({
      source: '/m/gohot.json',
      main: './cmd/api',
      build: {
        flags: ['-race'],
        tags: ['dev'],
        ldflags: '-s -w',
        env: { CGO_ENABLED: '0' },
        buildvcs: true,
        debug: true,
        toolexec: ['/bin/log', 'a b'],
        gcflags: 'all=-N -l',
        asmflags: '-I x',
        trimpath: true,
        race: true,
        cover: true,
        envFiles: ['.env.build'],
      },
      rules: [
        {
          name: 'templ',
          on: ['**/*.templ'],
          run: ['templ', 'generate'],
          cwd: '',
          env: {},
          timeoutMs: 5000,
        },
      ],
      hooks: {
        beforeBuild: [['go', 'generate']],
        afterBuild: [],
        beforeStart: [['a'], ['b', 'c']],
        timeoutMs: 1000,
      },
      run: {
        args: ['-v'],
        env: { PORT: '1' },
        envFiles: ['.env', '.env.local'],
        stopSignal: 'SIGINT',
        stopTimeoutMs: 1500,
        ready: { kind: 'tcp', host: '127.0.0.1', port: 8080, timeoutMs: 120_000 },
        listen: [{ name: 'web', host: '127.0.0.1', port: 9000 }],
      },
      watch: {
        patterns: ['**/*.go'],
        quietWindowMs: 0,
        leadingEdge: false,
        backend: 'poll',
        pollIntervalMs: 120_000,
        restartOnly: ['config/*.yaml'],
        lineShifts: 'ignore',
      },
    });
  });

  it.each([
    [
      { http: 'http://127.0.0.1:1/h' },
      {},
      { kind: 'http', url: 'http://127.0.0.1:1/h', timeoutMs: 30_000 },
    ],
    [
      { log: 'listening', timeout: '1s' },
      {},
      { kind: 'log', pattern: 'listening', timeoutMs: 1000 },
    ],
    [{ tcp: '[::1]:80' }, {}, { kind: 'tcp', host: '::1', port: 80, timeoutMs: 30_000 }],
    // A flag's check replaces the file's; the file's timeout stays unless the flag sets one.
    [
      { http: 'http://x/', timeout: '5s' },
      { ready: { kind: 'log', value: 'up' } },
      { kind: 'log', pattern: 'up', timeoutMs: 5000 },
    ],
    [
      undefined,
      { ready: { kind: 'tcp', value: ':1' }, readyTimeoutMs: 7 },
      { kind: 'tcp', host: '127.0.0.1', port: 1, timeoutMs: 7 },
    ],
  ] as const)('resolves run.ready %j with %j', (ready, overrides, expected) => {
    expect(resolveConfig({ run: { ready } }, undefined, overrides).run.ready).toEqual(expected);
  });

  it.each([
    [false, 'native'],
    [true, 'poll'],
    ['native', 'native'],
    ['poll', 'poll'],
    ['auto', 'auto'],
  ] as const)('maps watch.poll %j to backend %s', (poll, backend) => {
    expect(resolveConfig({ watch: { poll } }, undefined, {}).watch.backend).toBe(backend);
  });

  it('lets every override win over the file', () => {
    const config = resolveConfig(
      {
        main: './a',
        build: { flags: ['-race'], tags: ['x'] },
        run: { args: ['file'], stopSignal: 'SIGINT', stopTimeout: '1s' },
        watch: { quietWindow: '1s', poll: 'native', pollInterval: '1s' },
      },
      '/m/gohot.json',
      {
        main: './b',
        args: ['flag'],
        tags: [],
        buildFlags: ['-v'],
        quietWindowMs: 0,
        backend: 'poll',
        pollIntervalMs: 50,
        stopSignal: 'SIGQUIT',
        stopTimeoutMs: 0,
      },
    );
    expect([config.main, config.run.args, config.build.tags, config.build.flags]).toEqual([
      './b',
      ['flag'],
      [],
      ['-v'],
    ]);
    expect(config.watch).toMatchObject({ quietWindowMs: 0, backend: 'poll', pollIntervalMs: 50 });
    expect(config.run).toMatchObject({ stopSignal: 'SIGQUIT', stopTimeoutMs: 0 });
  });

  it('deep-freezes the result and does not share arrays with its input', () => {
    const file = { run: { args: ['a'] }, build: { env: { A: '1' } } };
    const config = resolveConfig(file, undefined, {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.run)).toBe(true);
    expect(Object.isFrozen(config.run.args)).toBe(true);
    expect(Object.isFrozen(config.build.env)).toBe(true);
    expect(Object.isFrozen(config.watch.patterns)).toBe(true);
    expect(() => (config.run.args as string[]).push('b')).toThrow(TypeError);
    file.run.args.push('later');
    expect(config.run.args).toEqual(['a']);
    expect(config.watch.patterns).not.toBe(DEFAULT_PATTERNS);
  });

  // Regression: --build-flag=-o=X was passed to go build and overrode gohot's own -o.
  it.each([
    ['-o=X', /^--build-flag "-o=X" sets -o: .*remove it\.$/],
    [
      '--ldflags=-s',
      /^--build-flag "--ldflags=-s" sets -ldflags: .*"build\.ldflags" in gohot\.json/,
    ],
    ['-tags', /^--build-flag "-tags" sets -tags: .*use --tags instead\.$/],
    ['-json', /sets -json/],
    ['-n', /sets -n/],
    ['-C=..', /sets -C/],
    ['-buildvcs=true', /sets -buildvcs/],
  ])('refuses --build-flag %s, which gohot sets itself', (flag, message) => {
    expect(() => resolveConfig(undefined, undefined, { buildFlags: ['-race', flag] })).toThrow(
      expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringMatching(message) }),
    );
  });

  it('passes other --build-flag values through', () => {
    expect(
      resolveConfig(undefined, undefined, { buildFlags: ['-race', '-gcflags=all=-N'] }).build.flags,
    ).toEqual(['-race', '-gcflags=all=-N']);
  });

  it('refuses a proxy on a port of run.listen, from the flag or from the file', () => {
    const file = { run: { listen: ['8080'] }, proxy: { listen: '8080', target: '8080' } };
    expect(() => resolveConfig(file, 'gohot.json', {})).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(
          /^proxy\.listen \(127\.0\.0\.1:8080\) overlaps run\.listen\[0\]/,
        ),
      }),
    );
    const flags = { proxyListen: '0.0.0.0:8080', proxyTarget: '8080' };
    expect(() => resolveConfig({ run: { listen: ['8080'] } }, 'gohot.json', flags)).toThrow(
      expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringMatching(/^--proxy /) }),
    );
    const proxy = resolveConfig(file, 'gohot.json', { proxyListen: '3000' }).proxy;
    expect(proxy?.listen.port).toBe(3000);
    // The proxy knows that gohot holds its target: a connection says nothing of the app.
    expect(proxy?.targetHeld).toBe(true);
    const elsewhere = { proxyListen: '3000', proxyTarget: 'http://127.0.0.1:9090' };
    expect(resolveConfig(file, 'gohot.json', elsewhere).proxy?.targetHeld).toBe(false);
  });
});
