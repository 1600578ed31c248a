import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // Watcher and end-to-end tests use real processes and inotify; a small pool keeps
    // the 2-core CI machine from starving timers.
    pool: 'forks',
    maxWorkers: 2,
    // Every process a test starts is marked; a run that leaves one alive fails.
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/name-test-processes.ts'],
  },
});
