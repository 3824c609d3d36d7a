import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { BacktestRunView } from '../../../commands/services.ts';
import { BacktestFollower } from '../../../src/adapters/chat/backtest-follow.ts';
import { backtestResultReply } from '../../../src/adapters/chat/backtest-replies.ts';
import { createFakeServices } from '../../support/fake-services.ts';

const logger = pino({ level: 'silent' });
const caller = { platform: 'telegram' as const, userId: '7', chatId: '70' };
const requestedBy = { platform: 'telegram', userId: '7', chatId: '70' };

function setup() {
  const services = createFakeServices();
  const events: string[] = [];
  const follower = new BacktestFollower<string>(
    'telegram',
    services.backtests,
    {
      progress: async (h, run) => void events.push(`progress ${h} ${run.progress}`),
      result: async (h, run) => void events.push(`result ${h ?? '-'} #${run.id} ${run.status}`),
    },
    logger,
    0,
  );
  return { services, events, follower };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('backtest follower', () => {
  it('binds the queued run to the answer and applies updates that arrived before it was sent', async () => {
    const { services, events, follower } = setup();
    const e = follower.expect(caller);
    const run = await services.backtests.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: {}, requestedBy });
    expect(e.runId).toBe(run.id);
    // The run finishes before the "queued" message is out.
    services.emitBacktestUpdate({ ...run, status: 'running', progress: 0.5, requestedBy });
    services.emitBacktestUpdate({ ...run, status: 'done', progress: 1, requestedBy });
    await settle();
    expect(events).toEqual([]);
    follower.attach(e, 'msg-1');
    await vi.waitFor(() => expect(events).toEqual([`result msg-1 #${run.id} done`]));
    await follower.stop();
  });

  it('edits progress on the attached answer, then delivers the result there', async () => {
    const { services, events, follower } = setup();
    const e = follower.expect(caller);
    const run = await services.backtests.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: {}, requestedBy });
    follower.attach(e, 'msg-2');
    services.emitBacktestUpdate({ ...run, status: 'running', progress: 0.25, requestedBy });
    await vi.waitFor(() => expect(events).toEqual([`progress msg-2 0.25`]));
    services.emitBacktestUpdate({ ...run, status: 'failed', progress: 0.3, requestedBy, error: 'no candles' });
    await vi.waitFor(() => expect(events).toEqual([`progress msg-2 0.25`, `result msg-2 #${run.id} failed`]));
    await follower.stop();
  });

  it('delivers results nobody waits for (finished after a restart) to the requester, and ignores other platforms', async () => {
    const { services, events, follower } = setup();
    const base: BacktestRunView = { id: 41, status: 'done', strategy: 's', symbol: 'BTC/USDT', timeframe: '1h', createdAt: 0, progress: 1, params: {} };
    services.emitBacktestUpdate({ ...base, requestedBy });
    services.emitBacktestUpdate({ ...base, id: 42, requestedBy: { platform: 'discord', userId: '1' } });
    services.emitBacktestUpdate({ ...base, id: 43, status: 'running', progress: 0.5, requestedBy });
    await vi.waitFor(() => expect(events).toEqual(['result - #41 done']));
    await settle();
    expect(events).toEqual(['result - #41 done']);
    await follower.stop();
  });

  it('forgets an expectation whose command queued nothing', async () => {
    const { services, events, follower } = setup();
    const e = follower.expect(caller);
    follower.attach(e, 'refusal');
    const run = await services.backtests.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: {}, requestedBy });
    expect(e.runId).toBeUndefined();
    services.emitBacktestUpdate({ ...run, status: 'done', progress: 1, requestedBy });
    await vi.waitFor(() => expect(events).toEqual([`result - #${run.id} done`]));
    await follower.stop();
  });

  it('builds the result reply: metrics table and the chart', () => {
    const reply = backtestResultReply({ id: 3, status: 'done', strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', createdAt: 0, progress: 1, params: {}, summary: 'x', chartPath: '/tmp/e.png', metrics: { returnPct: 12.5, trades: 4 } });
    expect(reply.title).toBe('Backtest #3: sma-cross BTC/USDT 1h done');
    expect(reply.tables![0].rows).toContainEqual(['Return', '+12.50%']);
    expect(reply.tables![0].rows).toContainEqual(['Trades', '4']);
    expect(reply.images).toEqual([{ path: '/tmp/e.png', alt: 'Equity curve of backtest #3', caption: 'Equity — backtest #3' }]);
  });
});
