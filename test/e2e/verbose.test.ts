import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, removeTemp } from '../helpers/fixture.js';
import { type GohotProcess, startGohot } from '../helpers/gohot-cli.js';

const running: GohotProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop('SIGTERM');
  await Promise.all(dirs.splice(0).map(removeTemp));
});

describe('gohot -v says why a change does not count (end to end)', () => {
  // Regression: a file in an ignored directory printed nothing, even with -v; the reason
  // (hidden, node_modules, an exclude pattern) was reduced to a boolean in the filter.
  it('names the reason for directories it does not watch, at start and when they appear', async () => {
    const dir = await copyFixture('hello-http');
    dirs.push(dir);
    await mkdir(path.join(dir, '.cache'));
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ watch: { patterns: ['**/*.go', '!gen/'] } }),
    );
    const g = await startGohot(dir, { args: ['-v'], env: { ADDR: '127.0.0.1:0' } });
    running.push(g);
    await g.waitForOutput(/-> started pid \d+/);
    expect(g.output()).toMatch(
      /\[watch\] \.cache: not watched, hidden directory \.cache \(\.git, \.idea, \.cache \.\.\. are never watched\)/,
    );

    await mkdir(path.join(dir, 'node_modules'));
    await writeFile(path.join(dir, 'node_modules', 'x.go'), 'package x\n');
    await g.waitForOutput(
      /\[watch\] node_modules: not watched, node_modules directories are never watched/,
    );
    await mkdir(path.join(dir, 'gen'));
    await writeFile(path.join(dir, 'gen', 'y.go'), 'package gen\n');
    await g.waitForOutput(/\[watch\] gen: not watched, excluded by "!gen\/"/);
    // Neither directory's file started a build.
    expect(g.output().match(/-> (re)?started pid/g)).toHaveLength(1);
  });
});
