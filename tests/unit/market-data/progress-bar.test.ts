import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatDuration } from '../../../src/cli/progress-bar.ts';

function sink(tty: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = tty;
  stream.columns = 100;
  return { stream, text: () => text };
}

describe('progress bar', () => {
  it('on a terminal: redraws one line in place with percentage, rate and ETA, throttled', () => {
    let t = 0;
    const out = sink(true);
    const bar = createProgressBar(out.stream, { label: 'fetching', total: 1_000, unit: 'candles', now: () => t });
    t = 1_000;
    bar.update(250);
    expect(out.text()).toBe(`\r\x1b[2Kfetching [${'█'.repeat(6)}${'░'.repeat(18)}] 25% · 250/1,000 candles · 250/s · ETA 0:03`);
    t = 1_050;
    bar.update(260); // within the redraw interval: nothing drawn
    expect(out.text().split('\r').length).toBe(2);
    t = 2_000;
    bar.update(500);
    expect(out.text()).toContain('50% · 500/1,000 candles · 250/s · ETA 0:02');
    t = 4_000;
    bar.update(1_000);
    bar.finish('done');
    expect(out.text().endsWith(`\r\x1b[2Kfetching [${'█'.repeat(24)}] 100% · 1,000/1,000 candles · 250/s · took 0:04 — done\n`)).toBe(true);
  });

  it('without a terminal: a plain line every interval, none for a job shorter than one interval', () => {
    let t = 0;
    const out = sink(false);
    const bar = createProgressBar(out.stream, { label: 'importing', total: 100, now: () => t, plainIntervalMs: 5_000 });
    bar.update(1);
    t = 4_999;
    bar.update(40);
    expect(out.text()).toBe('');
    t = 5_000;
    bar.update(50);
    expect(out.text()).toBe('importing: 50% · 50/100 · 10/s · ETA 0:05\n');
    t = 10_000;
    bar.update(100);
    bar.finish();
    expect(out.text().split('\n').filter(Boolean)).toEqual(['importing: 50% · 50/100 · 10/s · ETA 0:05', 'importing: 100% · 100/100 · 10/s · took 0:10', 'importing: 100% · 100/100 · 10/s · took 0:10']);

    const quick = sink(false);
    const q = createProgressBar(quick.stream, { label: 'quick', total: 10, now: () => t });
    q.update(10);
    q.finish();
    expect(quick.text()).toBe('');
  });

  it('without a total: counts and rate, no percentage or ETA', () => {
    let t = 0;
    const out = sink(true);
    const bar = createProgressBar(out.stream, { label: 'x', unit: 'rows', now: () => t });
    t = 2_000;
    bar.update(30_000);
    expect(out.text()).toBe('\r\x1b[2Kx 30,000 rows · 15k/s');
  });

  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});
