import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useGohot } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

interface Task {
  readonly problemMatcher: {
    readonly pattern: {
      readonly regexp: string;
      file: number;
      line: number;
      column: number;
      message: number;
    };
    readonly background: { readonly beginsPattern: string; readonly endsPattern: string };
  };
}

/** The VS Code task of docs/events.md, as a user copies it. */
function documentedTask(): Task {
  const doc = readFileSync(
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/events.md'),
    'utf8',
  );
  const section = doc.slice(doc.indexOf('## VS Code task'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error('docs/events.md has no ```json block under "## VS Code task"');
  return (JSON.parse(block[1]!) as { tasks: Task[] }).tasks[0]!;
}

const BROKEN =
  'package lib\n\n// Greeting returns a greeting for name.\nfunc Greeting(name string) string {\n\treturn undefinedThing + name\n}\n';
const FIXED =
  'package lib\n\n// Greeting returns a greeting for name.\nfunc Greeting(name string) string {\n\treturn "hi, " + name\n}\n';

describe('the VS Code problem matcher of docs/events.md', () => {
  it('its patterns find each build, its end, and the errors, in real gohot output', async () => {
    const { pattern, background } = documentedTask().problemMatcher;
    const begin = new RegExp(background.beginsPattern);
    const end = new RegExp(background.endsPattern);
    const problem = new RegExp(pattern.regexp);

    const dir = await fixture('compile-error');
    const g = await startGohot(dir);
    await g.waitForOutput(/-> built .* -> started pid/);
    const lib = path.join(dir, 'lib', 'lib.go');
    await writeFile(lib, BROKEN);
    await g.waitForOutput(/lib\/lib\.go changed -> build failed/);
    await g.waitForOutput(/lib\/lib\.go:5:9: undefined: undefinedThing/);
    await writeFile(lib, FIXED);
    await g.waitForOutput(/lib\/lib\.go changed -> built/);
    await g.stop('SIGINT');

    const lines = g.lines.map((l) => l.text);
    // Each build is a begin line followed by exactly one end line before the next begin.
    const marks = lines
      .map((l) => (begin.test(l) ? 'begin' : end.test(l) ? 'end' : undefined))
      .filter((m) => m !== undefined);
    // (A start-up build superseded by another one adds a begin and a "cancelled" end.)
    expect(marks.length).toBeGreaterThanOrEqual(6);
    expect(marks).toEqual(marks.map((_, i) => (i % 2 === 0 ? 'begin' : 'end')));
    const ends = lines.filter((l) => end.test(l));
    const failedAt = ends.findIndex((l) => /lib\/lib\.go changed -> build failed/.test(l));
    expect(ends.slice(0, failedAt).some((l) => /-> built .* -> started pid/.test(l))).toBe(true);
    expect(failedAt).toBeGreaterThan(0);
    expect(ends.at(-1)).toMatch(/lib\/lib\.go changed -> built/);

    // The problem pattern matches the compiler's error and nothing gohot or the app printed.
    const problems = lines
      .map((l) => problem.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[pattern.file], m[pattern.line], m[pattern.column], m[pattern.message]]);
    expect(problems).toEqual([['lib/lib.go', '5', '9', 'undefined: undefinedThing']]);
    // And it comes within the failed build, after its begin line.
    const at = lines.findIndex((l) => problem.test(l));
    expect(at).toBeGreaterThan(lines.indexOf(ends[failedAt]!));
    expect(at).toBeLessThan(lines.indexOf(ends.at(-1)!));
  });
});
