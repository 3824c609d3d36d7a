import type { MonteCarloResult, Percentiles } from '../monte-carlo.ts';
import { fmtNum } from '../report/summary.ts';
import { rankValue, type SweepResult } from '../sweep.ts';
import type { WalkForwardResult } from '../walk-forward.ts';

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

export function formatSweep(s: SweepResult, top: number): string {
  const ok = s.rows.filter((r) => r.metrics);
  const failed = s.rows.length - ok.length;
  const rows = ok.slice(0, top).map((r, i) => [
    String(i + 1),
    s.axes.map((a) => `${a.name}=${String(r.params[a.name])}`).join(' '),
    fmtNum(rankValue(r.metrics, s.rankBy)),
    fmtNum(r.metrics!.returnPct),
    fmtNum(r.metrics!.maxDrawdownPct),
    String(r.metrics!.trades),
    fmtNum(r.metrics!.winRatePct),
  ]);
  const head = ['#', 'params', s.rankBy, 'return %', 'max DD %', 'trades', 'win %'];
  const note = failed > 0 ? `\n${failed} combination(s) could not run, e.g. ${s.rows.find((r) => r.error)!.params ? JSON.stringify(s.rows.find((r) => r.error)!.params) : ''}: ${s.rows.find((r) => r.error)!.error}` : '';
  return `Sweep: ${s.rows.length} combinations ranked by ${s.rankBy} (top ${Math.min(top, ok.length)})\n${table(head, rows)}${note}\n`;
}

export function formatWalkForward(w: WalkForwardResult): string {
  const rows = w.folds.map((f) => [
    String(f.fold),
    JSON.stringify(f.bestParams),
    fmtNum(f.inSampleScore),
    fmtNum(rankValue(f.outOfSample, w.rankBy)),
    fmtNum(f.outOfSample.returnPct),
    fmtNum(f.outOfSample.maxDrawdownPct),
    String(f.outOfSample.trades),
  ]);
  return `Walk-forward: ${w.folds.length} folds, ranked by ${w.rankBy}\n${table(['fold', 'best params (in-sample)', `IS ${w.rankBy}`, `OOS ${w.rankBy}`, 'OOS return %', 'OOS max DD %', 'OOS trades'], rows)}\nOut-of-sample return, compounded over the folds: ${fmtNum(w.outOfSampleReturnPct)} %\n`;
}

export function formatMonteCarlo(m: MonteCarloResult): string {
  const p = (x: Percentiles) => [x.p5, x.p25, x.p50, x.p75, x.p95].map((v) => fmtNum(v));
  return `Monte Carlo: ${m.runs} bootstrap paths of ${m.trades} trades\n${table(['', '5 %', '25 %', '50 %', '75 %', '95 %'], [['final equity', ...p(m.finalEquity)], ['max drawdown %', ...p(m.maxDrawdownPct)]])}\nPaths ending with a loss: ${fmtNum(m.lossProbabilityPct)} %\n`;
}
