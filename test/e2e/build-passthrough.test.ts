import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixture } from '../helpers/go-build.js';
import { STARTS, useGohot } from '../helpers/gohot-cli.js';

const { start: startGohot, tempDir } = useGohot();

// Prints its message and waits for SIGTERM (Go's default action ends it).
const MAIN = `package main

import (
	"fmt"
	"os"
	"os/signal"
)

func main() {
	fmt.Println("message=" + message)
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	<-c
}
`;

/** Lines of the toolexec log: `<tool> <pid of the go command that ran it>`. */
async function logged(log: string): Promise<{ tool: string; goPid: number }[]> {
  if (!existsSync(log)) return [];
  return (await readFile(log, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [tool, pid] = l.split(' ');
      return { tool: tool!, goPid: Number(pid) };
    });
}

describe('build pass-through (end to end)', () => {
  it('build.toolexec wraps every tool of the builds gohot starts', async () => {
    // Imports only fmt and os: the standard library compiles through the wrapper too (a new
    // -toolexec is a new build cache key), and a small one keeps a cold cache quick.
    const dir = await tempDir('toolexec-app');
    await writeFile(path.join(dir, 'go.mod'), 'module example.com/toolexec\n\ngo 1.21\n');
    await writeFile(path.join(dir, 'main.go'), MAIN);
    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "first"\n');
    const logDir = await tempDir('toolexec-log');
    const log = path.join(logDir, 'tools.log');
    const wrapper = await buildFixture('toolexec-log');
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ build: { toolexec: [wrapper, log] } }),
    );
    const g = await startGohot(dir);
    await g.waitForOutput(/message=first/);
    await g.waitForOutput(STARTS);
    const first = await logged(log);
    // The main package is compiled and linked through the wrapper, by one go command.
    expect(first.map((e) => e.tool)).toEqual(expect.arrayContaining(['compile', 'link']));
    const firstGo = new Set(first.map((e) => e.goPid));

    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "tooled"\n');
    await g.waitForOutput(/message=tooled/);
    const second = (await logged(log)).slice(first.length);
    expect(second.map((e) => e.tool)).toEqual(expect.arrayContaining(['compile', 'link']));
    // A new build, by a new go command: gohot passed -toolexec again.
    expect(second.some((e) => firstGo.has(e.goPid))).toBe(false);
  });
});
