import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { createCommandRouter } from '../../../commands/router.ts';
import { chatUsers } from '../../../commands/users.ts';
import type { Database } from '../../../src/adapters/db/client.ts';
import { outboxRowsFor } from '../../../src/adapters/db/repositories/alert-outbox.ts';
import { upsertAlertSetting } from '../../../src/adapters/db/repositories/alert-settings.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { createAlertFanout } from '../../../src/alerts/fanout.ts';
import { createAlertOutbox } from '../../../src/alerts/outbox.ts';
import { pacingOf } from '../../../src/alerts/pacing.ts';
import { CHAT_PLATFORMS } from '../../../src/chat-platforms.ts';
import { ManualScheduler } from '../../../src/alerts/scheduler.ts';
import { databaseTargets } from '../../support/databases.ts';
import { createFakeServices } from '../../support/fake-services.ts';
import { recordingSender, runUntil, silentLogger } from './support/outbox-harness.ts';
import { createDbChatStore } from '../../../src/adapters/db/chat-store.ts';
import { createDbAlertStore } from '../../../src/adapters/db/alert-store.ts';

const T0 = 1_700_000_000_000;
const DESTINATIONS = [
  { channel: 'telegram' as const, destination: '100' },
  { channel: 'telegram' as const, destination: '-100200' },
  { channel: 'line' as const, destination: 'Uabc' },
];
const fill = (n: number): DomainEvent => ({
  type: 'fill',
  ts: T0 + n,
  fill: { tradeId: `t${n}`, clientOrderId: `c${n}`, symbol: 'BTC/USDT', side: 'buy', price: 42_000, amount: 0.01, fee: 0.04, feeCurrency: 'USDT', ts: T0 + n },
});
const halt: DomainEvent = { type: 'trading-state-changed', ts: T0, from: 'ACTIVE', to: 'HALTED', reason: 'auth failure', by: 'risk' };
const startup: DomainEvent = { type: 'startup', ts: T0, mode: 'paper', exchange: 'sim', strategy: 'sma-cross', symbols: ['BTC/USDT'] };

describe.each(databaseTargets())('alert fan-out on $name', (target) => {
  let database: Database;
  beforeEach(async () => {
    database = await target.open();
  });
  afterAll(() => target.cleanup());

  const rows = async () => {
    const out: Record<string, Array<{ type: string; silent: boolean }>> = {};
    for (const d of DESTINATIONS) out[`${d.channel}:${d.destination}`] = (await outboxRowsFor(database.db, d.channel, d.destination)).map((r) => ({ type: r.type, silent: r.silent }));
    return out;
  };

  it('writes one row per destination, honouring per-channel and per-type levels', async () => {
    const queued: string[] = [];
    const fanout = createAlertFanout({ store: createDbAlertStore(database.db), destinations: DESTINATIONS, logger: silentLogger, now: () => T0, onQueued: (c, d) => queued.push(`${c}:${d}`) });
    await upsertAlertSetting(database.db, { channel: '*', type: 'startup', level: 'silent', updatedAt: T0 });
    await upsertAlertSetting(database.db, { channel: 'line', type: 'startup', level: 'off', updatedAt: T0 });
    await upsertAlertSetting(database.db, { channel: '*', type: 'trading-state-changed', level: 'off', updatedAt: T0 });
    expect(await fanout.publish(startup)).toBe(2);
    // Fills are silent by default; critical alerts get through even when switched off (silently).
    expect(await fanout.publish(fill(1))).toBe(3);
    expect(await fanout.publish(halt)).toBe(3);
    expect(await rows()).toEqual({
      'telegram:100': [
        { type: 'startup', silent: true },
        { type: 'fill', silent: true },
        { type: 'trading-state-changed', silent: true },
      ],
      'telegram:-100200': [
        { type: 'startup', silent: true },
        { type: 'fill', silent: true },
        { type: 'trading-state-changed', silent: true },
      ],
      'line:Uabc': [
        { type: 'fill', silent: true },
        { type: 'trading-state-changed', silent: true },
      ],
    });
    expect(queued).toHaveLength(8);
  });

  it('follows /alerts settings changed from chat', async () => {
    const router = createCommandRouter({
      commands: COMMANDS,
      services: createFakeServices(),
      store: createDbChatStore(database.db),
      logger: silentLogger,
      clock: { now: () => T0 },
      users: chatUsers([], { console: 'admin' }),
      alertChannels: ['telegram', 'discord', 'line'],
      rateLimitPerMinute: 100,
    });
    const fanout = createAlertFanout({ store: createDbAlertStore(database.db), destinations: DESTINATIONS, logger: silentLogger, now: () => T0 });
    await router.handle({ caller: { platform: 'console', userId: 'console' }, text: '/alerts startup off telegram' });
    await router.handle({ caller: { platform: 'console', userId: 'console' }, text: '/alerts fill on' });
    await fanout.publish(startup);
    await fanout.publish(fill(2));
    const r = await rows();
    expect(r['telegram:100']).toEqual([{ type: 'fill', silent: false }]);
    expect(r['line:Uabc']).toEqual([
      { type: 'startup', silent: false },
      { type: 'fill', silent: false },
    ]);
  });

  describe('from the event bus to the chat', () => {
    let scheduler: ManualScheduler;
    let stop: () => Promise<void>;
    afterEach(async () => stop?.());

    it('delivers bus events through the outbox, a burst behind a paced chat folded into one digest', async () => {
      scheduler = new ManualScheduler(T0);
      const telegram = recordingSender('telegram', scheduler);
      const line = recordingSender('line', scheduler);
      const outbox = createAlertOutbox({ store: createDbAlertStore(database.db), senders: [telegram, line], logger: silentLogger, scheduler, pollIntervalMs: 3_600_000, pacing: pacingOf(CHAT_PLATFORMS) });
      stop = () => outbox.stop();
      await outbox.start();
      const fanout = createAlertFanout({
        store: createDbAlertStore(database.db),
        destinations: [DESTINATIONS[0]!, DESTINATIONS[2]!],
        logger: silentLogger,
        now: () => scheduler.now(),
        onQueued: (c, d) => outbox.notify(c, d),
      });
      const bus = new EventBus();
      fanout.attach(bus);
      bus.publish(startup);
      for (let i = 0; i < 25; i++) bus.publish(fill(i));
      bus.publish({ type: 'exit', ts: T0, symbol: 'BTC/USDT', side: 'long', price: 43_000, quantity: 0.12, pnl: 120, pnlPct: 2.38, reason: 'take profit', clientOrderId: 'x' });
      await bus.drain();
      await runUntil(outbox, scheduler, () => telegram.delivered.length === 2 && line.delivered.length === 2);
      const seen = telegram.delivered.map((d) => d.alert.body.title);
      // Startup went at once; the 26 alerts queued behind it while the chat was paced (more than 20) went as one digest.
      expect(seen[0]).toBe('tradeops started');
      expect(seen[1]).toMatch(/^Digest: 26 alerts/);
      expect(telegram.delivered[1]!.alert.body.text![0]).toBe('25 fill, 1 exit');
      expect(telegram.delivered[1]!.alert.body.text!.at(-1)).toMatch(/Exit long BTC\/USDT: \+120\.00 \(\+2\.38%\)$/);
      expect(telegram.delivered.map((d) => d.at - T0)).toEqual([0, 1_000]);
      expect(line.delivered.map((d) => d.alert.body.title)).toEqual(seen);
    });
  });
});
