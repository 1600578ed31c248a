import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes the next build of the module in `dir` hang: a cgo file and a gohot.json whose C
 * compiler never returns (it sleeps in `dir`, so /proc shows it as working there). The build
 * ends only when gohot kills its process group.
 */
export async function makeCgoBuildHang(dir: string): Promise<void> {
  const hangingCc = path.join(dir, 'hang-cc');
  await writeFile(hangingCc, `#!/bin/sh\ncd '${dir}' && exec sleep 600\n`, { mode: 0o755 });
  await writeFile(
    path.join(dir, 'cgo.go'),
    'package main\n\n// int one(void) { return 1; }\nimport "C"\n',
  );
  await writeFile(
    path.join(dir, 'gohot.json'),
    JSON.stringify({ build: { env: { CGO_ENABLED: '1', CC: hangingCc } } }),
  );
}
