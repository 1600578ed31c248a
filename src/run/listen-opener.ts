/**
 * The program of a short-lived child of gohot that opens the listening sockets of
 * `run.listen` and sends each one back over its IPC channel as a raw handle, then exits.
 *
 * Why a child: a socket Node listens on is polled by libuv, which accepts every connection
 * that arrives, so gohot could not hold a listening socket for the app without stealing the
 * app's connections. A raw handle received over IPC is only wrapped, never listened on:
 * gohot holds the descriptor, the kernel queues connections in its backlog, and only the
 * app accepts them.
 *
 * It runs as `node -e` (plain JavaScript, no file to find next to the compiled code).
 * Input: $GOHOT_LISTEN, a JSON array of `{ host, port }`. Output, for each in order, one
 * message `{ ok: true, index, host, port }` with the handle, or
 * `{ ok: false, index, code, message }` and nothing more. `server._handle` is Node's
 * undocumented (stable since its first versions) libuv handle of a listening server;
 * sending a raw TCP handle makes it arrive as one (`net.Native`), not as a server
 * (docs/facts.md#socket-activation).
 */
export const LISTEN_OPENER_SCRIPT = `
'use strict';
const net = require('node:net');
const send = (message, handle) =>
  new Promise((resolve, reject) =>
    process.send(message, handle, {}, (err) => (err ? reject(err) : resolve())));
const listen = (address) =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    // exclusive: never share a port with a cluster primary.
    server.listen({ host: address.host, port: address.port, exclusive: true, backlog: 511 },
      () => resolve(server));
  });
(async () => {
  const addresses = JSON.parse(process.env.GOHOT_LISTEN || '[]');
  for (const [index, address] of addresses.entries()) {
    let server;
    try {
      server = await listen(address);
    } catch (err) {
      await send({ ok: false, index, code: err.code || 'UNKNOWN', message: err.message });
      return;
    }
    const bound = server.address();
    await send({ ok: true, index, host: bound.address, port: bound.port }, server._handle);
  }
})().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write('listen-opener: ' + String(err) + '\\n');
    process.exit(1);
  },
);
`;
