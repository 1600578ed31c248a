import { afterEach, describe, expect, it } from 'vitest';
import { DEEP, strength } from './strength.js';

const KNOB = 'GOHOT_TEST_STRENGTH_KNOB';
const saved = { knob: process.env[KNOB], deep: process.env[DEEP] };

afterEach(() => {
  for (const [name, value] of [
    [KNOB, saved.knob],
    [DEEP, saved.deep],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('strength', () => {
  it.each<[string | undefined, string | undefined, number]>([
    [undefined, undefined, 40],
    ['', undefined, 40],
    [undefined, '1', 500],
    [undefined, '0', 40],
    ['7', undefined, 7],
    ['7', '1', 7],
  ])('knob %j, GOHOT_DEEP %j -> %i', (knob, deep, expected) => {
    if (knob === undefined) delete process.env[KNOB];
    else process.env[KNOB] = knob;
    if (deep === undefined) delete process.env[DEEP];
    else process.env[DEEP] = deep;
    expect(strength(KNOB, 40, 500)).toBe(expected);
  });

  it.each(['0', '-3', '2.5', 'many', '1e3x'])('rejects %j loudly', (knob) => {
    process.env[KNOB] = knob;
    expect(() => strength(KNOB, 40, 500)).toThrow(
      `${KNOB} must be a positive integer, but it is ${JSON.stringify(knob)}.`,
    );
  });
});
