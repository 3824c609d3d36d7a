import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/client.ts';
import { insertAudits, recentAudit } from '../../../src/adapters/db/repositories/audit-log.ts';
import { getSignal, insertSignal, insertSignals } from '../../../src/adapters/db/repositories/signals.ts';
import type { Signal } from '../../../src/signals/signal.ts';
import { databaseTargets } from '../../support/databases.ts';

const sig = (id: string, symbol = 'BTC/USDT'): Signal => ({ id, action: 'buy', symbol, amount: 10 }) as Signal;

describe.each(databaseTargets())('group-committed intake writes on $name', (target) => {
  let database: Database;
  beforeEach(async () => {
    database = await target.open();
  });
  afterAll(() => target.cleanup());

  it('one statement records a batch: new ones true, ids seen before (stored or earlier in the batch) false, per source', async () => {
    expect(await insertSignal(database.db, 'tv', sig('a'), 1)).toBe(true);
    const r = await insertSignals(database.db, [
      { source: 'tv', signal: sig('a'), receivedAt: 2 },
      { source: 'tv', signal: sig('b'), receivedAt: 2 },
      { source: 'tv', signal: sig('b', 'ETH/USDT'), receivedAt: 3 },
      { source: 'other', signal: sig('b'), receivedAt: 3 },
      { source: 'tv', signal: sig('c'), receivedAt: 4 },
    ]);
    expect(r).toEqual([false, true, false, true, true]);
    // The first delivery of b is the one kept.
    expect((await getSignal(database.db, 'tv', 'b'))?.signal.symbol).toBe('BTC/USDT');
    expect((await getSignal(database.db, 'tv', 'a'))?.receivedAt).toBe(1);
    expect(await insertSignals(database.db, [])).toEqual([]);
  });

  it('audit entries in one statement, all kept', async () => {
    await insertAudits(database.db, Array.from({ length: 3 }, (_, i) => ({ ts: 10 + i, platform: 'webhook', userId: 'tv', command: '/webhooks/signal', decision: 'allowed' as const, result: `accepted ${i}` })));
    expect((await recentAudit(database.db, 10)).map((r) => r.result)).toEqual(['accepted 2', 'accepted 1', 'accepted 0']);
  });
});
