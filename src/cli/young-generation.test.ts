import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const MB = 1024 * 1024;
// The built module (`npm test` builds first): the child runs plain node.
const built = pathToFileURL(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/young-generation.js'),
).href;

/** The young generation's size after a child keeps some 60 MB of small objects alive. */
function youngGenerationAfterRetaining(capMB: number | undefined): number {
  const script = `
    import v8 from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(built)});
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    ${capMB === undefined ? '' : `capYoungGeneration(${capMB * MB});`}
    const keep = [];
    let largest = young();
    for (let i = 0; i < 1_000_000; i++) {
      keep.push({ i, name: 'file-' + i });
      // The walk is asynchronous: garbage collections are observed between its steps.
      if (i % 5000 === 0) {
        await new Promise((r) => setImmediate(r));
        largest = Math.max(largest, young());
      }
    }
    console.log(JSON.stringify({ largest, kept: keep.length }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { largest: number }).largest;
}

describe('capYoungGeneration', () => {
  it('keeps the young generation at the cap while long-lived objects pile up', () => {
    // Without the cap, the same allocations grow it past 8 MB (to its 32 MB maximum).
    expect(youngGenerationAfterRetaining(undefined)).toBeGreaterThan(8 * MB);
    expect(youngGenerationAfterRetaining(8)).toBeLessThanOrEqual(8 * MB);
  });
});
