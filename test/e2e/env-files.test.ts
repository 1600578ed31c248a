import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, STARTS, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, tempDir } = useGohot();

// Serves GREETING and NAME from its environment, and the color its build tags chose.
const MAIN = `package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	body := fmt.Sprintf("greeting=%s name=%s color=%s\\n", os.Getenv("GREETING"), os.Getenv("NAME"), color)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	if err := http.ListenAndServe(os.Getenv("ADDR"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`;

const BUILDS = /build #\d+ started/;

describe('run.envFile and build.envFile (end to end)', () => {
  it('an edit of the app env file restarts without a build; of the build env file rebuilds', async () => {
    const dir = await tempDir('env-files');
    await writeFile(path.join(dir, 'go.mod'), 'module example.com/envfiles\n\ngo 1.21\n');
    await writeFile(path.join(dir, 'main.go'), MAIN);
    await writeFile(
      path.join(dir, 'plain.go'),
      '//go:build !blue\n\npackage main\n\nconst color = "plain"\n',
    );
    await writeFile(
      path.join(dir, 'blue.go'),
      '//go:build blue\n\npackage main\n\nconst color = "blue"\n',
    );
    await writeFile(path.join(dir, '.env'), 'export GREETING="hello world" # quoted\nNAME=file\n');
    await writeFile(path.join(dir, '.env.build'), 'GOFLAGS=-tags=blue\n');
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({
        run: { envFile: '.env', env: { NAME: 'config' } },
        build: { envFile: ['.env.build'] },
      }),
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, { args: ['-v'], env: { ADDR: `127.0.0.1:${port}` } });
    // run.env wins over the file.
    await waitForBody(url, /^greeting=hello world name=config color=blue$/m, g);
    await g.waitForOutput(STARTS);
    expect(g.count(BUILDS)).toBe(1);

    // biome-ignore lint/suspicious/noTemplateCurlyInString: dotenv text, not a template
    await writeFile(path.join(dir, '.env'), "GREETING='single ${NAME}'\n");
    await waitForBody(url, /^greeting=single \$\{NAME\} name=config color=blue$/m, g);
    await g.waitForOutput(/\.env changed -> restarted pid \d+ without a build/);
    expect(g.count(BUILDS)).toBe(1);

    await writeFile(path.join(dir, '.env.build'), '# no tags\n');
    await waitForBody(url, /^greeting=single \$\{NAME\} name=config color=plain$/m, g);
    await g.waitForOutput(/\.env\.build changed -> built/);
    expect(g.count(BUILDS)).toBe(2);
  });
});
