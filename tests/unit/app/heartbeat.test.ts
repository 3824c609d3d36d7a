import { describe, expect, it } from 'vitest';
import { createHeartbeat } from '../../../src/app/heartbeat.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';

const silent = { warn() {}, error() {} } as never;

describe('heartbeat', () => {
  it('raises one critical alert after HEARTBEAT_MAX_SILENCE without a completed tick, and an all-clear when ticks resume', () => {
    let now = 0;
    const events: DomainEvent[] = [];
    const hb = createHeartbeat({ maxSilenceMs: 60_000, startedAt: 0, now: () => now, publish: (e) => events.push(e), logger: silent });
    hb.tick(true);
    now = 59_000;
    hb.check();
    expect(events).toEqual([]);
    now = 61_001;
    hb.check();
    hb.check();
    expect(events).toEqual([{ type: 'heartbeat', ts: 61_001, state: 'missed', silentSeconds: 61, lastTickAt: 0 }]);
    hb.tick(false);
    expect(events).toHaveLength(1);
    now = 70_000;
    hb.tick(true);
    expect(events[1]).toMatchObject({ type: 'heartbeat', state: 'restored', silentSeconds: 70 });
  });

  it('pings HEARTBEAT_URL after successful ticks only, at most once per interval', async () => {
    let now = 0;
    const calls: string[] = [];
    const fetchStub = (async (url: string) => {
      calls.push(url);
      return new Response('ok');
    }) as typeof fetch;
    const hb = createHeartbeat({ maxSilenceMs: 0, url: 'https://hc.example/ping/abc', minPingIntervalMs: 60_000, startedAt: 0, now: () => now, publish: () => {}, logger: silent, fetch: fetchStub });
    hb.tick(false);
    expect(calls).toEqual([]);
    hb.tick(true);
    await hb.stop();
    now = 30_000;
    hb.tick(true);
    now = 60_001;
    hb.tick(true);
    await hb.stop();
    expect(calls).toEqual(['https://hc.example/ping/abc', 'https://hc.example/ping/abc']);
  });
});
