import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppGate, createAppAgent, isHolding } from './hold.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('AppGate', () => {
  it('holds while starting, stopping and probing; opens when the app serves', async () => {
    const gate = new AppGate();
    expect(isHolding(gate.phase())).toBe(true);
    const held = gate.whenOpen(60_000);
    gate.set({ phase: 'probing', pid: 1 });
    const agent = createAppAgent();
    gate.set({ phase: 'serving', pid: 1, agent });
    await expect(held).resolves.toEqual({ by: 'ready' });
    expect(gate.agent()).toBe(agent);
    await expect(gate.whenOpen(1)).resolves.toEqual({ by: 'ready' });
    gate.close();
  });

  it('forwards anyway after the hold timeout', async () => {
    vi.useFakeTimers();
    const gate = new AppGate();
    gate.set({ phase: 'stopping', pid: 2, agent: createAppAgent() });
    const held = gate.whenOpen(5000);
    await vi.advanceTimersByTimeAsync(5000);
    await expect(held).resolves.toMatchObject({ by: 'timeout' });
    gate.close();
  });

  it('destroys the agent of the app it leaves behind, not the one it keeps', () => {
    const gate = new AppGate();
    const agent = createAppAgent();
    const destroy = vi.spyOn(agent, 'destroy');
    gate.set({ phase: 'serving', pid: 3, agent });
    // In-flight requests to the stopping app keep its connections.
    gate.set({ phase: 'stopping', pid: 3, agent });
    expect(destroy).not.toHaveBeenCalled();
    gate.set({ phase: 'probing', pid: 4 });
    expect(destroy).toHaveBeenCalledTimes(1);
    gate.close();
  });

  it('does not open for an exited app while holding: the exit opens it', async () => {
    const gate = new AppGate();
    const held = gate.whenOpen(60_000);
    gate.set({ phase: 'exited', pid: 5 });
    await expect(held).resolves.toEqual({ by: 'ready' });
    expect(gate.agent()).toBeUndefined();
  });
});
