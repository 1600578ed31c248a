import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventSchemaErrors } from '../helpers/event-schema.js';
import { type GohotProcess, useGohot } from '../helpers/gohot-cli.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start: startGohot, fixture, tempDir } = useGohot();

type Line = { type: string; time: number } & Record<string, unknown>;
type Pkg = {
  pkg: string;
  failures: { test: string; positions: { file: string; line: number }[] }[];
};

const P = (name: string) => `example.com/chain/${name}`;

/** gohot's stdout alone, as lines (the helper's output() has stdout and stderr together). */
function stdoutOf(gohot: GohotProcess): () => string[] {
  let out = '';
  gohot.proc.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  return () => out.split('\n').slice(0, -1);
}

const parse = (lines: readonly string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(file, text.replace(from, to));
}

describe('gohot test --reporter json (end to end)', () => {
  it('stdout is the header and the test events: the packages a change runs, a failure with file:line', async () => {
    const dir = await fixture('test-chain');
    const trace = path.join(await tempDir('test-trace'), 'trace.ndjson');
    const g = await startGohot(dir, { args: ['test', '--reporter', 'json', '--trace', trace] });
    const stdout = stdoutOf(g);
    const captured = () => g.output();
    /** The finished run whose batch names `file`, once there is one. */
    const finishedFor = (file: string) =>
      waitUntil(
        `a test-run-finished for ${file}`,
        () =>
          parse(stdout()).find(
            (e) => e.type === 'test-run-finished' && (e.files as string[]).includes(file),
          ),
        { describe: captured },
      );

    await waitUntil(
      'the first run to finish',
      () => parse(stdout()).find((e) => e.type === 'test-run-finished'),
      { describe: captured },
    );

    const aGo = path.join(dir, 'a/a.go');
    await edit(aGo, 'return 1 }', 'return 2 - 1 }');
    const aRun = await finishedFor(aGo);
    const started = parse(stdout()).find(
      (e) => e.type === 'test-run-started' && e.generation === aRun.generation,
    );
    expect(((started?.run ?? []) as { pkg: string }[]).map((r) => r.pkg).sort()).toEqual(
      [P('a'), P('b'), P('c')].sort(),
    );
    expect(started?.skipped).toEqual([P('d')]);
    expect((aRun.packages as Pkg[]).map((p) => p.pkg).sort()).toEqual(
      [P('a'), P('b'), P('c')].sort(),
    );
    expect(aRun.skipped).toEqual([P('d')]);

    const bTest = path.join(dir, 'b/b_test.go');
    await edit(bTest, 'Double() != 2', 'Double() != 3');
    const bRun = await finishedFor(bTest);
    expect(bRun.counts).toMatchObject({ failed: 1 });
    const b = (bRun.packages as Pkg[]).find((p) => p.pkg === P('b'));
    expect(b?.failures.map((f) => f.test)).toEqual(['TestDouble']);
    expect(b?.failures[0]?.positions).toContainEqual({
      file: bTest,
      line: 11,
      message: 'Double() = 2, want 2',
    });

    // A test binary that does not compile: its errors as diagnostics with file:line:column.
    const dTest = path.join(dir, 'd/d_test.go');
    await edit(dTest, 'if Name() != "d" {', 'if Name() != 4 {');
    const dRun = await finishedFor(dTest);
    expect(dRun.packages as { pkg: string; outcome: string }[]).toContainEqual(
      expect.objectContaining({ pkg: P('d'), outcome: 'build-failed' }),
    );
    expect(dRun.diagnostics).toContainEqual(
      expect.objectContaining({ file: dTest, line: 6, column: 15 }),
    );

    expect(await g.stop('SIGINT')).toBe(130);
    const validate = eventSchemaErrors();
    const lines = stdout();
    // Every line of stdout is a published event, the header first.
    expect(lines.map((l) => validate(JSON.parse(l))).filter(Boolean)).toEqual([]);
    expect(parse(lines)[0]).toMatchObject({ type: 'header', schemaVersion: 1 });
    // The trace file holds the same stream.
    const traced = readFileSync(trace, 'utf8').split('\n').slice(0, -1);
    expect(traced.map((l) => validate(JSON.parse(l))).filter(Boolean)).toEqual([]);
    expect(parse(traced).map((e) => e.type)).toEqual(parse(lines).map((e) => e.type));
  });
});

describe('gohot test --trace inside the watched tree (end to end)', () => {
  it('the trace file does not report its own writes', async () => {
    const dir = await fixture('test-chain');
    const trace = path.join(dir, 'trace.ndjson');
    const g = await startGohot(dir, { args: ['test', '--reporter', 'json', '--trace', trace] });
    const stdout = stdoutOf(g);
    const captured = () => g.output();
    // The trace file has been written (its first batch of lines) once it holds the first run.
    await waitUntil(
      'the first run in the trace file',
      async () =>
        (await readFile(trace, 'utf8').catch(() => '')).includes('"type":"test-run-finished"'),
      { describe: captured },
    );
    const aGo = path.join(dir, 'a/a.go');
    await edit(aGo, 'return 1 }', 'return 2 - 1 }');
    await waitUntil(
      'the run of a/a.go',
      () =>
        parse(stdout()).find(
          (e) => e.type === 'test-run-finished' && (e.files as string[]).includes(aGo),
        ),
      { describe: captured },
    );
    // Without the filter, each trace write is a watch decision, written again, forever.
    expect(stdout().filter((l) => l.includes(trace))).toEqual([]);
  });
});
