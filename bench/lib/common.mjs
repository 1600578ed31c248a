// Small pieces the bench scripts share (in a directory of its own: bench/run.mjs runs every
// .mjs at the top of bench/).
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The value after `--name` in `argv`, or `dflt`. */
export const option = (argv, name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
