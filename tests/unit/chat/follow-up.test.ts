import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { backtestFollowUp } from '../../../commands/backtest-follow-up.ts';
import type { Reply } from '../../../commands/reply.ts';
import type { BacktestRunView } from '../../../commands/services.ts';
import { FollowUps } from '../../../src/adapters/chat/follow-up.ts';
import { createFakeServices } from '../../support/fake-services.ts';

const logger = pino({ level: 'silent' });
const run: BacktestRunView = { id: 5, status: 'queued', strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', createdAt: 0, progress: 0, params: {} };
const line = (r: Reply) => `${r.title} ${r.text?.join(' ') ?? ''}`.trim();

describe('follow-up jobs', () => {
  it('keeps updates that happen before anyone watches, then edits progress and sends the result once', async () => {
    const services = createFakeServices();
    const job = backtestFollowUp(services.backtests, run);
    // The run moves on before the transport has sent the "queued" answer.
    services.emitBacktestUpdate({ ...run, status: 'running', progress: 0.3 });
    const events: string[] = [];
    const followUps = new FollowUps(logger, 0);
    const shown = followUps.show({ followUp: job }, { edit: async (r) => void events.push(`edit ${line(r)}`), send: async (r) => void events.push(`send ${line(r)}`) });
    await vi.waitFor(() => expect(events).toEqual(['edit Backtest #5: sma-cross BTC/USDT 1h ⏳ running 30%']));
    services.emitBacktestUpdate({ ...run, id: 6, status: 'done', progress: 1 });
    services.emitBacktestUpdate({ ...run, status: 'failed', progress: 0.4, error: 'no 1h candles' });
    services.emitBacktestUpdate({ ...run, status: 'done', progress: 1 });
    await shown;
    expect(events).toEqual(['edit Backtest #5: sma-cross BTC/USDT 1h ⏳ running 30%', 'send Backtest #5: sma-cross BTC/USDT 1h failed no 1h candles']);
    expect(followUps.size).toBe(0);
  });

  it('a job already finished is shown as its result at once; platforms without edits only get the result', async () => {
    const services = createFakeServices();
    const job = backtestFollowUp(services.backtests, { ...run, status: 'done', progress: 1, summary: 'return +4%' });
    const sent: string[] = [];
    await new FollowUps(logger, 0).show({ followUp: job }, { send: async (r) => void sent.push(line(r)) });
    expect(sent).toEqual(['Backtest #5: sma-cross BTC/USDT 1h done return +4%']);
  });

  it('stop() stops watching (the job goes on) and a reply without a job shows nothing', async () => {
    const services = createFakeServices();
    const followUps = new FollowUps(logger, 0);
    await followUps.show({ title: 'plain' }, { send: async () => expect.unreachable() });
    const sent: string[] = [];
    const shown = followUps.show({ followUp: backtestFollowUp(services.backtests, run) }, { send: async (r) => void sent.push(line(r)) });
    expect(followUps.size).toBe(1);
    await followUps.stop();
    await shown;
    services.emitBacktestUpdate({ ...run, status: 'done', progress: 1 });
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toEqual([]);
  });
});
