import type { BacktestResult } from '../types.ts';

const DAY = 86_400_000;

export function fmtNum(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtDuration(ms: number): string {
  if (!(ms > 0)) return '0';
  const d = Math.floor(ms / DAY);
  const h = Math.floor((ms % DAY) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

const date = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** The rows of the summary table: label, value. Shared by the terminal, chat and report.html. */
export function summaryRows(r: BacktestResult): Array<[string, string]> {
  return [
    ['Strategy', `${r.strategy} ${JSON.stringify(r.params)}`],
    ['Market', `${r.symbol} ${r.timeframe}`],
    ['Start', date(r.start)],
    ['End', date(r.end)],
    ['Duration', fmtDuration(r.durationMs)],
    ['Exposure %', fmtNum(r.exposurePct)],
    ['Initial equity', fmtNum(r.initialEquity)],
    ['Final equity', fmtNum(r.finalEquity)],
    ['Peak equity', fmtNum(r.peakEquity)],
    ['Return %', fmtNum(r.returnPct)],
    ['Buy & hold %', fmtNum(r.buyHoldReturnPct)],
    ['CAGR %', fmtNum(r.cagrPct)],
    ['Annual return %', fmtNum(r.annualReturnPct)],
    ['Periods per year', fmtNum(r.periodsPerYear, r.periodsPerYear % 1 === 0 ? 0 : 2)],
    ['Annual volatility %', fmtNum(r.annualVolatilityPct)],
    ['Sharpe', fmtNum(r.sharpe)],
    ['Sortino', fmtNum(r.sortino)],
    ['Calmar', fmtNum(r.calmar)],
    ['Max drawdown %', fmtNum(r.maxDrawdownPct)],
    ['Max drawdown duration', fmtDuration(r.maxDrawdownDurationMs)],
    ['Avg drawdown %', fmtNum(r.avgDrawdownPct)],
    ['Avg drawdown duration', fmtDuration(r.avgDrawdownDurationMs)],
    ['Trades', String(r.trades)],
    ['Win rate %', fmtNum(r.winRatePct)],
    ['Best trade %', fmtNum(r.bestTradePct)],
    ['Worst trade %', fmtNum(r.worstTradePct)],
    ['Avg trade %', fmtNum(r.avgTradePct)],
    ['Profit factor', fmtNum(r.profitFactor)],
    ['Expectancy', fmtNum(r.expectancy)],
    ['SQN', fmtNum(r.sqn)],
    ['Kelly', fmtNum(r.kelly, 3)],
    ['Avg trade duration', r.avgTradeDurationMs === null ? '—' : fmtDuration(r.avgTradeDurationMs)],
    ['Max trade duration', r.maxTradeDurationMs === null ? '—' : fmtDuration(r.maxTradeDurationMs)],
    ['Longest winning streak', String(r.maxConsecutiveWins)],
    ['Longest losing streak', String(r.maxConsecutiveLosses)],
    ['Fees', fmtNum(r.fees)],
  ];
}

/** A two-column table for a terminal. */
export function formatSummaryTable(r: BacktestResult): string {
  const rows = summaryRows(r);
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
  const reasons = Object.entries(r.breakdowns.perExitReason);
  if (reasons.length > 0) {
    lines.push('', 'Exit reason'.padEnd(24) + 'trades   win %        P&L');
    for (const [k, g] of reasons) lines.push(`${k.slice(0, 23).padEnd(24)}${String(g.trades).padStart(6)} ${fmtNum(g.winRatePct).padStart(7)} ${fmtNum(g.pnl).padStart(10)}`);
  }
  if (r.noTradeReason) lines.push('', r.noTradeReason);
  if (r.risk) lines.push('', ...riskLines(r));
  const denials = Object.entries(r.denials);
  if (denials.length > 0) lines.push('', `Refused intents: ${denials.map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  const open = r.tradeList.filter((t) => t.openAtEnd).length;
  if (open > 0) lines.push(`${open} position(s) still open at the end were closed at the last price.`);
  return `${lines.join('\n')}\n`;
}

/** What the risk layer did: protections, a halt, the panic score and the entries it gated (or would have). */
export function riskLines(r: BacktestResult): string[] {
  const k = r.risk;
  if (!k) return [];
  const out: string[] = [];
  const byKind = new Map<string, number>();
  for (const p of k.protections) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
  out.push(`Protections: ${byKind.size === 0 ? 'none fired' : [...byKind].map(([n, c]) => `${n} ×${c}`).join(', ')}`);
  if (k.halted) out.push(`HALTED at ${date(k.halted.ts)}: ${k.halted.reason}`);
  const p = k.panic;
  out.push(`Panic score: max ${fmtNum(p.maxScore, 1)}${p.maxTs !== null ? ` at ${date(p.maxTs)}` : ''}, ${p.candlesAbove} candle(s) ≥ ${p.threshold}`);
  out.push(
    p.gateThreshold !== null
      ? `Entries denied by panic (≥ ${p.gateThreshold}): ${p.entriesDenied}`
      : `Panic gate off: ${p.entriesAbove} entr${p.entriesAbove === 1 ? 'y' : 'ies'} taken at a score ≥ ${p.threshold} would have been denied`,
  );
  return out;
}

/** A few lines for a chat message. */
export function formatChatSummary(r: BacktestResult): string {
  return [
    `${r.strategy} on ${r.symbol} ${r.timeframe}, ${date(r.start)} → ${date(r.end)}`,
    `Return ${fmtNum(r.returnPct)} % (buy & hold ${fmtNum(r.buyHoldReturnPct)} %), final ${fmtNum(r.finalEquity)}`,
    `Trades ${r.trades}, win rate ${fmtNum(r.winRatePct)} %, profit factor ${fmtNum(r.profitFactor)}`,
    `Max drawdown ${fmtNum(r.maxDrawdownPct)} %, Sharpe ${fmtNum(r.sharpe)}, Sortino ${fmtNum(r.sortino)}, CAGR ${fmtNum(r.cagrPct)} %`,
    ...(r.noTradeReason ? [r.noTradeReason] : []),
    ...(r.risk ? ['', ...riskLines(r)] : []),
  ].join('\n');
}

/** The `--json` object: the metrics and the run's identity, never the big arrays. */
export function resultJson(r: BacktestResult, files?: Record<string, string>): Record<string, unknown> {
  const { tradeList, equity, equityTs, elapsedMs, indicators, ...rest } = r;
  void tradeList;
  void equity;
  void equityTs;
  void indicators;
  return { ...rest, elapsedMs: Math.round(elapsedMs * 10) / 10, ...(files ? { files } : {}) };
}
