import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture, tempDir } = useGohot();

// A -toolexec wrapper that plays a checkout still writing while the build runs: once armed,
// the compile of the main package reads an empty torn.go (git had created the file, not yet
// written it), then torn.go gets its complete content, a comment edit of what was there, and
// the compile's failure is returned only after the test saw gohot decide that edit.
const WRAPPER = `#!/bin/sh
tool="$1"; shift
case "$tool" in */compile) ;; *) exec "$tool" "$@" ;; esac
s="$TORN_DIR"
if [ ! -e "$s/armed" ] || [ -e "$s/done" ]; then exec "$tool" "$@"; fi
hit=
for a in "$@"; do case "$a" in */torn.go) hit=1 ;; esac; done
[ -z "$hit" ] && exec "$tool" "$@"
touch "$s/done"
: > "$s/torn.go"
for a in "$@"; do
  if [ -z "$rebuilt" ]; then set --; rebuilt=1; fi
  case "$a" in */torn.go) set -- "$@" "$s/torn.go" ;; *) set -- "$@" "$a" ;; esac
done
"$tool" "$@"
status=$?
printf 'package main\\n\\n// torn: written by the checkout\\nconst torn = 1\\n' > "$TORN_FILE"
i=0
while [ ! -e "$s/release" ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done
exit $status
`;

describe('a build that read a half-written file (end to end)', () => {
  // Regression: a git checkout's build read internal/gen/g254.go before git had written it
  // ("expected 'package', found 'EOF'"); the file's complete content was a comment edit, which
  // asks for no build, so the failure stayed and the checkout's real change was never served.
  it('fails quietly and builds again once the file is complete', async () => {
    const dir = await fixture('hello-http');
    const state = await tempDir('torn');
    const wrapper = path.join(state, 'toolexec.sh');
    await writeFile(wrapper, WRAPPER);
    await chmod(wrapper, 0o755);
    const torn = path.join(dir, 'torn.go');
    await writeFile(torn, 'package main\n\n// torn: as committed\nconst torn = 1\n');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, {
      args: ['-v', `--build-flag=-toolexec=${wrapper}`],
      env: { ADDR: `127.0.0.1:${port}`, TORN_DIR: state, TORN_FILE: torn },
    });
    await waitForBody(url, /hello from gohot/, g);
    await g.waitForOutput(/go list: built from/);

    await writeFile(path.join(state, 'armed'), '');
    const message = path.join(dir, 'message.go');
    await writeFile(
      message,
      (await readFile(message, 'utf8')).replace('hello from gohot', 'checked out'),
    );
    // The build is inside the torn compile; torn.go's complete content is decided first.
    await g.waitForOutput(/torn\.go: not rebuilt, only comments/);
    await writeFile(path.join(state, 'release'), '');

    await g.waitForOutput(/build #\d+ failed while torn\.go changed under it/);
    await waitForBody(url, /checked out/, g);
    // The torn read's error was never reported as the project's.
    expect(g.output()).not.toMatch(/build failed/);
    expect(g.output()).not.toMatch(/expected 'package'/);
  });
});
