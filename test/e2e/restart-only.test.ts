import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, tempDir } = useGohot();

// Reads config.txt once at start-up and serves it with the two variables gohot sets.
const MAIN = `package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	cfg, _ := os.ReadFile("config.txt")
	body := fmt.Sprintf("cfg=%s gohot=%s reload=%s\\n", cfg, os.Getenv("GOHOT"), os.Getenv("GOHOT_RELOAD"))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	fmt.Println("listening")
	if err := http.ListenAndServe(os.Getenv("ADDR"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`;

describe('watch.restartOnly and the app environment (end to end)', () => {
  it('a restart-only file restarts the app without a build; GOHOT and GOHOT_RELOAD are set', async () => {
    const dir = await tempDir('restart-only');
    await writeFile(path.join(dir, 'go.mod'), 'module example.com/restart\n\ngo 1.21\n');
    await writeFile(path.join(dir, 'main.go'), MAIN);
    await writeFile(path.join(dir, 'config.txt'), 'one');
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ watch: { restartOnly: ['config.txt'] } }),
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, { args: ['-v'], env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /^cfg=one gohot=1 reload=0$/m, g);

    await writeFile(path.join(dir, 'config.txt'), 'two');
    await waitForBody(url, /^cfg=two gohot=1 reload=1$/m, g);
    await g.waitForOutput(/config\.txt changed -> restarted pid \d+ without a build/);
    expect(g.count(/build #\d+ started/)).toBe(1);

    // Code still builds; the counter goes on.
    await writeFile(path.join(dir, 'main.go'), MAIN.replace('cfg=%s', 'config=%s'));
    await waitForBody(url, /^config=two gohot=1 reload=2$/m, g);
    expect(g.count(/build #\d+ started/)).toBe(2);
  });
});
