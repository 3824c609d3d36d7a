import { duration, money, pct, qty, signedMoney, utc } from '../../commands/format.ts';
import type { Reply } from '../../commands/reply.ts';
import type { DomainEvent } from '../domain/events.ts';
import { scrubSecrets } from '../logger.ts';
import type { Alert, AlertSeverity } from './alert.ts';

function alert(event: DomainEvent, severity: AlertSeverity, body: Reply, coalesceKey?: string): Alert {
  return { type: event.type, severity, body, silent: false, createdAt: event.ts, coalesceKey };
}

/** Candle times and gaps on the simulated exchange run on its accelerated clock, not the wall clock. */
const SIMULATED = ' (simulated market time)';
const toneOf = (s: AlertSeverity): Reply['tone'] => (s === 'critical' ? 'error' : s === 'warning' ? 'warning' : 'info');

/**
 * One alert per domain event: severity, a platform-neutral body and, for event kinds that come in
 * bursts (fills, denials, stale data, non-critical exchange errors, strategy messages), a coalesce
 * key under which the outbox may merge a backlog into one message. Texts pass through the secret
 * scrubber: exchange error messages come from outside.
 */
export function eventToAlert(event: DomainEvent): Alert {
  switch (event.type) {
    case 'startup':
      return alert(event, 'info', { title: 'tradeops started', text: [`${event.mode} on ${event.exchange}: ${event.strategy} on ${event.symbols.join(', ')}`], tone: 'info' });
    case 'shutdown':
      return alert(event, 'warning', { title: 'tradeops stopped', text: [event.reason], tone: 'warning' });
    case 'entry':
      return alert(event, 'info', {
        title: `Entry ${event.side} ${event.symbol}`,
        text: [`${qty(event.quantity)} at ${qty(event.price)} (${event.strategy}${event.reason ? `: ${event.reason}` : ''})`],
        tone: 'info',
      });
    case 'exit':
      return alert(event, 'info', {
        title: `Exit ${event.side} ${event.symbol}: ${signedMoney(event.pnl)} (${pct(event.pnlPct)})`,
        text: [`${qty(event.quantity)} at ${qty(event.price)} — ${event.reason}`],
        tone: event.pnl >= 0 ? 'success' : 'warning',
      });
    case 'fill': {
      const f = event.fill;
      return alert(
        event,
        'info',
        { title: `Fill ${f.side} ${qty(f.amount)} ${f.symbol} at ${qty(f.price)}`, text: [`fee ${qty(f.fee)} ${f.feeCurrency} · ${f.clientOrderId}`], tone: 'info' },
        'fill',
      );
    }
    case 'order-rejected':
      return alert(event, 'warning', { title: `Order rejected: ${event.side} ${event.symbol}`, text: [scrubSecrets(event.reason), event.clientOrderId], tone: 'warning' }, 'order-rejected');
    case 'order-denied': {
      const denied = alert(event, 'info', { title: `Order denied: ${event.symbol}`, text: [`${event.intent}: ${event.reasons.join(', ')}`], tone: 'info' }, 'order-denied');
      // A manual order (/buy, /sell, /close) has someone waiting for it: its denial is critical.
      return /manual/i.test(event.intent) ? { ...denied, priority: 'critical' } : denied;
    }
    case 'trading-state-changed': {
      const severity: AlertSeverity = event.to === 'HALTED' ? 'critical' : event.to === 'REDUCING' ? 'warning' : 'info';
      return alert(event, severity, { title: `Trading ${event.from} → ${event.to}`, text: [`${event.reason} (by ${event.by})`], tone: toneOf(severity) });
    }
    case 'backtest-finished': {
      const body: Reply = {
        title: `Backtest #${event.runId} ${event.ok ? 'finished' : 'failed'}: ${event.strategy} on ${event.symbol}`,
        text: [scrubSecrets(event.summary)],
        tone: event.ok ? 'success' : 'warning',
      };
      if (event.chartPath) body.images = [{ path: event.chartPath, caption: `Backtest #${event.runId} equity`, alt: `equity curve of backtest #${event.runId}: ${event.summary}` }];
      return alert(event, event.ok ? 'info' : 'warning', body);
    }
    case 'stale-data':
      return alert(event, 'warning', { title: `Stale data: ${event.symbol} ${event.timeframe}`, text: [`last candle ${utc(event.lastCandleTs)}${event.simulated ? SIMULATED : ''}`], tone: 'warning' }, `stale-data`);
    case 'exchange-error': {
      const severity: AlertSeverity = event.critical ? 'critical' : 'warning';
      return alert(
        event,
        severity,
        { title: `Exchange error (${event.kind})`, text: [scrubSecrets(event.message)], tone: toneOf(severity) },
        event.critical ? undefined : 'exchange-error',
      );
    }
    case 'strategy-message':
      return alert(event, 'info', { title: `${event.strategy} · ${event.symbol}`, text: [event.message], tone: 'info' }, `strategy-message`);
    case 'candles-skipped':
      return alert(event, 'warning', {
        title: `${event.symbol} ${event.timeframe}: skipped ${event.skipped} candle${event.skipped === 1 ? '' : 's'} after a gap of ${duration(event.gapMs)}${event.simulated ? SIMULATED : ''}`,
        text: [
          `The strategy saw them, but no orders were sent for missed candles; ${event.acted ? 'the newest candle' : 'no candle'} (${utc(event.newestTs)}) was traded${event.acted ? '' : ': it is older than MAX_SIGNAL_AGE'}.`,
        ],
        tone: 'warning',
      });
    case 'reconciliation':
      return alert(event, event.severity, { title: 'Reconciliation with the exchange', text: event.lines.map((l) => scrubSecrets(l)), tone: toneOf(event.severity) });
    case 'daily-summary':
      return alert(event, 'info', {
        title: `Daily summary ${utc(event.ts).slice(0, 10)}`,
        text: [`P&L ${signedMoney(event.pnl)} (${pct(event.pnlPct)}) · equity ${money(event.equity)} · ${event.trades} trades · ${event.openPositions} open positions`],
        tone: event.pnl >= 0 ? 'success' : 'warning',
      });
    case 'protection-triggered':
      return alert(event, event.symbol ? 'warning' : 'critical', {
        title: `Protection: ${event.protection}${event.symbol ? ` on ${event.symbol}` : ''}`,
        text: [event.reason + (event.until ? ` — until ${utc(event.until)}` : '')],
        tone: event.symbol ? 'warning' : 'error',
      });
    case 'panic-level': {
      const severity: AlertSeverity = event.level === 'extreme' ? 'critical' : event.level === 'calm' ? 'info' : 'warning';
      const body: Reply = { title: `Panic ${event.level}: ${event.scope} ${event.score.toFixed(0)}/100`, text: [`was ${event.previous} · /panic ${event.scope === 'portfolio' ? '' : event.scope}`.trim()], tone: toneOf(severity) };
      if (event.proposeKillAll) body.buttons = [{ label: 'Kill all…', command: '/killall', style: 'danger' }];
      return alert(event, severity, body);
    }
    case 'kill-all':
      return alert(event, 'critical', {
        title: event.phase === 'started' ? `Kill-all #${event.runId} started (by ${event.by})` : `Kill-all #${event.runId} finished`,
        text: event.lines.length ? event.lines.map((l) => `${l.symbol}: ${l.outcome} — ${scrubSecrets(l.detail)}`) : ['nothing to close'],
        tone: event.phase === 'finished' && event.lines.every((l) => l.outcome !== 'failed') ? 'success' : 'error',
      });
    case 'sweep':
      return alert(event, event.ok ? 'warning' : 'critical', {
        title: `${event.dryRun ? 'Sweep (dry run)' : 'Sweep'}: ${money(event.amount)} ${event.currency}`,
        text: [`to ${event.address}`, scrubSecrets(event.detail)],
        tone: event.ok ? 'warning' : 'error',
      });
    case 'signal': {
      const severity: AlertSeverity = event.outcome === 'failed' ? 'warning' : 'info';
      const what = `${event.action}${event.symbol ? ` ${event.symbol}` : ''}`;
      return alert(event, severity, { title: `Signal ${what} from ${event.source}: ${event.outcome}`, text: [scrubSecrets(event.detail), `id ${event.signalId}`], tone: event.outcome === 'executed' ? 'success' : toneOf(severity) }, 'signal');
    }
    case 'heartbeat':
      return event.state === 'missed'
        ? alert(event, 'critical', { title: 'No engine tick completed', text: [`silent for ${event.silentSeconds} s${event.lastTickAt ? ` (last tick ${utc(event.lastTickAt)})` : ' (no tick since start)'}`], tone: 'error' })
        : alert(event, 'info', { title: 'Engine ticking again', text: [`after ${event.silentSeconds} s of silence`], tone: 'success' });
    case 'factor-stale':
      return alert(event, 'warning', { title: `Stale factor ignored: ${event.name} (${event.symbol})`, text: [`last value is ${event.ageSeconds} s old (FACTOR_MAX_AGE)`], tone: 'warning' }, 'factor-stale');
  }
}
