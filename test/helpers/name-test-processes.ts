// Vitest setup file: names the running test in the environment, so a process a test leaves
// behind can be traced to it (see global-setup.ts).
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { TEST_NAME } from './marked-processes.js';

const file = () => path.relative(process.cwd(), expect.getState().testPath ?? '?');

process.env[TEST_NAME] = file();
beforeEach(() => {
  process.env[TEST_NAME] = `${file()} > ${expect.getState().currentTestName ?? '?'}`;
});
afterEach(() => {
  process.env[TEST_NAME] = file();
});
