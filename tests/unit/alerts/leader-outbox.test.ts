import { afterEach, describe, expect, it } from 'vitest';
import { createLeaderOutbox } from '../../../src/alerts/leader-outbox.ts';
import type { AlertOutbox } from '../../../src/alerts/outbox.ts';
import { recordingSender, runUntil, testAlert } from '../../integration/alerts/support/outbox-harness.ts';
import { outboxFixture, settle } from './support/outbox-fixture.ts';

/** The outbox of a process that sends only while it holds the leader lock. */
describe('leader outbox', () => {
  let f = outboxFixture();
  afterEach(async () => {
    await f.stopAll();
    f = outboxFixture();
  });
  const noPacing = () => ({ minIntervalMs: 0 });

  it('a process that lost the lock stops sending; rows queued meanwhile wait for the next term and go out once', async () => {
    const sender = recordingSender('telegram', f.scheduler);
    const terms: AlertOutbox[] = [];
    const leader = createLeaderOutbox(() => {
      const o = f.outbox([sender], { digest: false, pacing: noPacing });
      terms.push(o);
      return o;
    });
    await f.queue('telegram', '1', [testAlert(1)]);
    await leader.start();
    await runUntil(terms[0]!, f.scheduler, () => sender.delivered.length === 1);

    await leader.stop(); // leadership lost
    await f.queue('telegram', '1', [testAlert(2)]);
    leader.notify('telegram', '1');
    await settle();
    f.scheduler.advance(120_000); // well past the poll interval: a standby does not poll either
    await settle();
    expect(sender.attempts).toBe(1);
    expect(f.store.rows[1]!.status).toBe('pending');

    await leader.start(); // leads again: a new term delivers what waited
    expect(terms).toHaveLength(2);
    await runUntil(terms[1]!, f.scheduler, () => sender.delivered.length === 2);
    expect(sender.attempts).toBe(2);
    expect(f.store.rows.map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('a second start in the same term makes no second outbox; stop without a term and notify without one are harmless', async () => {
    let made = 0;
    const leader = createLeaderOutbox(() => {
      made++;
      return f.outbox([recordingSender('telegram', f.scheduler)]);
    });
    await leader.stop();
    leader.notify('telegram', '1');
    await leader.start();
    await leader.start();
    expect(made).toBe(1);
    await leader.stop();
    await leader.stop();
    await leader.start();
    expect(made).toBe(2);
  });
});
