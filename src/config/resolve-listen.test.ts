import { describe, expect, it } from 'vitest';
import { GohotError } from '../errors.js';
import { checkProxyAddress, resolveListen } from './resolve-listen.js';

const none = { kind: 'none' } as const;

function failure(fn: () => unknown): GohotError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GohotError) return err;
    throw err;
  }
  throw new Error('expected a GohotError');
}

describe('resolveListen (run.listen)', () => {
  it.each([
    [['8080'], [{ name: 'listen0', host: '127.0.0.1', port: 8080 }]],
    [[':8080'], [{ name: 'listen0', host: '127.0.0.1', port: 8080 }]],
    [['0.0.0.0:80'], [{ name: 'listen0', host: '0.0.0.0', port: 80 }]],
    [
      ['http=[::1]:8080', 'metrics=127.0.0.1:9090'],
      [
        { name: 'http', host: '::1', port: 8080 },
        { name: 'metrics', host: '127.0.0.1', port: 9090 },
      ],
    ],
    [
      ['8080', '8081'],
      [
        { name: 'listen0', host: '127.0.0.1', port: 8080 },
        { name: 'listen1', host: '127.0.0.1', port: 8081 },
      ],
    ],
  ])('%j', (entries, expected) => {
    expect(resolveListen(entries, none)).toEqual(expected);
  });

  it.each([
    [['127.0.0.1:8080', '[::1]:8080']],
    [['0.0.0.0:8080', '[::1]:8080']],
    [['127.0.0.1:8080', '127.0.0.2:8080']],
    [['0.0.0.0:8080', '0.0.0.0:8081']],
  ])('accepts %j: each can be bound beside the other', (entries) => {
    expect(resolveListen(entries, none)).toHaveLength(2);
  });

  it('is empty without the key', () => {
    expect(resolveListen(undefined, none)).toEqual([]);
  });

  it.each([
    [['70000'], /run\.listen\[0\] must name a port/],
    [['a:b=8080'], /run\.listen\[0\] has the name "a:b"/],
    [['=8080'], /has the name ""/],
    [['8080', '127.0.0.1:8080'], /run\.listen\[1\] names 127\.0\.0\.1:8080 again/],
    [['x=8080', 'x=8081'], /run\.listen\[1\] is named "x" like run\.listen\[0\]/],
    // Regression: addresses that cannot both be bound were opened one after the other, and
    // the second failed with "Another program listens on ...": the other was gohot's own.
    [['8080', '0.0.0.0:8080'], /run\.listen\[1\] \(0\.0\.0\.0:8080\) overlaps run\.listen\[0\]/],
    [['[::]:8080', '127.0.0.1:8080'], /run\.listen\[1\] \(127\.0\.0\.1:8080\) overlaps/],
    [['0.0.0.0:8080', '[::]:8080'], /run\.listen\[1\] \(\[::\]:8080\) overlaps/],
    [['[::1]:8080', '[::]:8080'], /overlaps run\.listen\[0\] \(\[::1\]:8080\)/],
    [['localhost:8080', '8080'], /overlaps run\.listen\[0\] \(localhost:8080\)/],
  ])('refuses %j', (entries, message) => {
    const err = failure(() => resolveListen(entries, none));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(message);
  });

  it('refuses a tcp readiness check on a held port: every connection would succeed', () => {
    const err = failure(() =>
      resolveListen(['8080'], { kind: 'tcp', host: '127.0.0.1', port: 8080, timeoutMs: 1000 }),
    );
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/gohot holds that port/);
    expect(err.hint).toMatch(/run\.ready\.http/);
    // Another port is fine.
    expect(
      resolveListen(['8080'], { kind: 'tcp', host: '127.0.0.1', port: 9090, timeoutMs: 1000 }),
    ).toHaveLength(1);
  });

  // Regression: a proxy on a port of run.listen failed at start-up with "Another program uses
  // that port", which was gohot's own socket for the app.
  it('refuses a proxy address that overlaps a socket of run.listen', () => {
    const sockets = resolveListen(['http=0.0.0.0:8080'], none);
    const err = failure(() =>
      checkProxyAddress(sockets, { host: '127.0.0.1', port: 8080 }, '--proxy', 'CLI_USAGE'),
    );
    expect(err.code).toBe('CLI_USAGE');
    expect(err.message).toMatch(/--proxy \(127\.0\.0\.1:8080\) overlaps run\.listen\[0\]/);
    expect(err.hint).toMatch(/proxy-target/);
    expect(() =>
      checkProxyAddress(sockets, { host: '127.0.0.1', port: 3000 }, '--proxy', 'CLI_USAGE'),
    ).not.toThrow();
  });
});
