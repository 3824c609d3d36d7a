import cron, { type ScheduledTask } from 'node-cron';
import type { Database } from '../adapters/db/client.ts';
import { pruneSent } from '../adapters/db/repositories/alert-outbox.ts';
import { pruneChatUpdates } from '../adapters/db/repositories/chat-updates.ts';
import { pruneConfirmations } from '../adapters/db/repositories/confirmations.ts';
import type { DomainEvent } from '../domain/events.ts';
import type { Kernel } from '../kernel.ts';
import type { Logger } from '../logger.ts';
import { periodStart } from './pnl-periods.ts';

const DAY = 86_400_000;

/**
 * The daily summary event for the day that ended before `now` (market time): realised P&L net of
 * fees, its share of the equity at the start of the day, trades, open positions and equity now.
 */
export async function dailySummary(kernel: Kernel, now: number): Promise<Extract<DomainEvent, { type: 'daily-summary' }>> {
  const end = periodStart(now, 'day');
  const start = end - DAY;
  const fills = (await kernel.ports.store.fillsSince(start)).filter((f) => f.ts < end);
  const pnl = fills.reduce((s, f) => s + f.realizedPnl - f.fee, 0);
  const equity = kernel.account().equity;
  const base = equity - pnl;
  return { type: 'daily-summary', ts: start, equity, pnl, pnlPct: base > 0 ? (pnl / base) * 100 : 0, trades: fills.length, openPositions: kernel.portfolio.all().length };
}

/** Delivered alerts and redelivery ids are kept this long; the audit log is kept forever. */
const KEEP_MS = 14 * DAY;

/**
 * Every day at 00:00 UTC (a node-cron task, stopped with the app): publish the summary, then drop
 * delivered alerts, redelivery ids and settled confirmations older than two weeks.
 */
export function scheduleDailySummary(kernel: Kernel, database: Database, logger: Logger): { stop(): Promise<void> } {
  const task: ScheduledTask = cron.createTask(
    '0 0 * * *',
    async () => {
      try {
        kernel.bus.publish(await dailySummary(kernel, kernel.ports.clock.now()));
      } catch (err) {
        logger.error({ err }, 'daily summary failed');
      }
      try {
        const before = Date.now() - KEEP_MS;
        await pruneSent(database.db, before);
        await pruneChatUpdates(database.db, before);
        await pruneConfirmations(database.db, before);
      } catch (err) {
        logger.error({ err }, 'daily cleanup failed');
      }
    },
    { noOverlap: true, timezone: 'Etc/UTC', name: 'daily-summary' },
  );
  task.start();
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
