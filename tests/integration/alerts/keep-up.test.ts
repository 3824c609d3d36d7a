import { afterAll, describe, expect, it } from 'vitest';
import { outboxCounts } from '../../../src/adapters/db/repositories/alert-outbox.ts';
import { telegramPlatform } from '../../../src/adapters/chat/telegram/platform.ts';
import { createAlertFanout } from '../../../src/alerts/fanout.ts';
import { createAlertOutbox } from '../../../src/alerts/outbox.ts';
import { pacingOf } from '../../../src/alerts/pacing.ts';
import { ManualScheduler } from '../../../src/alerts/scheduler.ts';
import { databaseTargets } from '../../support/databases.ts';
import { recordingSender, silentLogger } from './support/outbox-harness.ts';
import { createDbAlertStore } from '../../../src/adapters/db/alert-store.ts';

const T0 = 1_700_000_000_000;
const target = databaseTargets()[0]!;
afterAll(() => target.cleanup());

describe('alerts keep up with a busy strategy', () => {
  it('1,000 alerts in 60 s to one Telegram chat, a critical one in the middle: it goes out within 5 s, nothing is lost, nothing waits a minute', async () => {
    const database = await target.open();
    const scheduler = new ManualScheduler(T0);
    const chat = recordingSender('telegram', scheduler);
    const waited: number[] = [];
    const outbox = createAlertOutbox({
      store: createDbAlertStore(database.db),
      senders: [chat],
      logger: silentLogger,
      scheduler,
      pollIntervalMs: 3_600_000,
      pacing: pacingOf([telegramPlatform]),
      digest: { afterMs: 30_000 },
      onSent: (_c, info) => waited.push(info.waitedMs),
    });
    const fanout = createAlertFanout({
      store: createDbAlertStore(database.db),
      destinations: [{ channel: 'telegram', destination: '4242' }],
      logger: silentLogger,
      now: () => scheduler.now(),
      onQueued: (c, d) => outbox.notify(c, d),
    });
    await outbox.start();
    const types = ['fill', 'entry', 'fill', 'exit', 'strategy-message'];
    let criticalAt = 0;
    for (let i = 0; i < 1_000; i++) {
      scheduler.advance(60);
      await fanout.publishAlert({ type: types[i % types.length]!, severity: 'info', silent: i % 2 === 0, createdAt: scheduler.now(), body: { title: `alert ${i}` } });
      if (i === 500) {
        criticalAt = scheduler.now();
        await fanout.publishAlert({ type: 'trading-state-changed', severity: 'warning', silent: false, createdAt: criticalAt, body: { title: 'Trading ACTIVE → HALTED' } });
      }
      await outbox.whenIdle();
    }
    // Drain what is still waiting.
    for (let step = 0; step < 200; step++) {
      const counts = await outboxCounts(database.db);
      if (counts.pending === 0) break;
      const next = scheduler.nextAt();
      if (next === undefined) break;
      scheduler.advanceTo(next);
      await outbox.whenIdle();
    }

    // The critical alert: delivered within 5 s plus Telegram's pace (one message a second), on its own.
    const critical = chat.delivered.find((d) => d.alert.body.title === 'Trading ACTIVE → HALTED');
    expect(critical).toBeDefined();
    expect(critical!.at - criticalAt).toBeLessThanOrEqual(5_000 + 1_000);

    // None lost: every alert was sent on its own or inside a digest, exactly once.
    const counted = chat.delivered.reduce((n, d) => n + (d.alert.type === 'digest' ? Number(/^Digest: (\d+) alerts/.exec(d.alert.body.title!)![1]) : 1), 0);
    expect(counted).toBe(1_001);
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 1_001, dead: 0 });

    // The chat's pace was kept, and the backlog never grew a minute old.
    const gaps = chat.delivered.slice(1).map((d, i) => d.at - chat.delivered[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...waited)).toBeLessThanOrEqual(60_000);
    expect(chat.delivered.length).toBeLessThan(100);
    await outbox.stop();
    await database.close();
  }, 240_000);
});
