import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createTickScheduler, type TickObservation, type TickScheduler } from '../../../src/engine/scheduler.ts';
import { tickSchedule } from '../../../src/main.ts';

const logger = pino({ level: 'silent' });
let s: TickScheduler | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tick schedule', () => {
  it('real exchange every 10 s, sim every second, accelerated sim once per simulated candle (at most every 50 ms), TICK_CRON wins', () => {
    expect(tickSchedule(loadConfig({ EXCHANGE: 'binance' }))).toBe('*/10 * * * * *');
    expect(tickSchedule(loadConfig({}))).toBe('* * * * * *');
    expect(tickSchedule(loadConfig({ SIM_SPEED: '0.5' }))).toBe('* * * * * *');
    expect(tickSchedule(loadConfig({ SIM_SPEED: '4' }))).toEqual({ everyMs: 250 });
    expect(tickSchedule(loadConfig({ SIM_SPEED: '20' }))).toEqual({ everyMs: 50 });
    expect(tickSchedule(loadConfig({ SIM_SPEED: '1000' }))).toEqual({ everyMs: 50 });
    expect(tickSchedule(loadConfig({ SIM_SPEED: '20', TICK_CRON: '*/5 * * * * *' }))).toBe('*/5 * * * * *');
  });
});

describe('periodic tick scheduler', () => {
  it('ticks at its period, never two at once, and stop() waits for the tick in flight', async () => {
    let running = 0;
    let maxRunning = 0;
    let ticks = 0;
    let finished = 0;
    const obs: TickObservation[] = [];
    s = createTickScheduler({ everyMs: 20 }, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      ticks++;
      await sleep(5);
      running--;
      finished++;
    }, logger, (o) => obs.push(o));
    s.start();
    expect(s.running).toBe(true);
    await sleep(300);
    await s.stop();
    expect(s.running).toBe(false);
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(ticks).toBeLessThanOrEqual(17);
    expect(maxRunning).toBe(1);
    expect(finished).toBe(ticks);
    const after = ticks;
    await sleep(60);
    expect(ticks).toBe(after);
    expect(obs.every((o) => o.ok)).toBe(true);
  });

  it('a tick that overruns is followed at once, not by a burst of catch-up ticks; a failing tick is reported and the next runs', async () => {
    const starts: number[] = [];
    const obs: TickObservation[] = [];
    let n = 0;
    s = createTickScheduler({ everyMs: 10 }, async () => {
      starts.push(Date.now());
      n++;
      if (n === 1) await sleep(100);
      if (n === 2) throw new Error('boom');
    }, logger, (o) => obs.push(o));
    s.start();
    await sleep(160);
    await s.stop();
    // After the 100 ms tick: not ten ticks in a row, one at once and then the period again.
    const afterLong = starts.filter((t) => t >= starts[0]! + 100 && t < starts[0]! + 105);
    expect(afterLong.length).toBeLessThanOrEqual(1);
    expect(obs[1]).toMatchObject({ ok: false });
    expect(obs.length).toBeGreaterThanOrEqual(3);
    expect(obs[2]).toMatchObject({ ok: true });
  });

  it('refuses a period that is not above 0', () => {
    expect(() => createTickScheduler({ everyMs: 0 }, async () => {}, logger)).toThrow('above 0');
  });
});
