import type { KillAllLine, PanicLevelName } from '../src/domain/events.ts';
import type { SweepPlan } from '../src/risk/sweep-plan.ts';

/** What the risk commands (/size, /panic, /buy, /sell, /close, /killall) may call. */
export interface RiskServices {
  size(symbol: string): Promise<SizeView>;
  panic(scope: string): Promise<PanicView>;
  /** Preview a manual order: its size, price, fees and the risk checks; never sends anything. */
  previewOrder(o: ManualOrder): Promise<OrderPreview>;
  /** Send a manual order through the risk gate and the order manager (tagged manual). */
  placeOrder(o: ManualOrder, by: string): Promise<OrderResult>;
  /** Positions /close would close (`all` = every position tradeops holds). */
  closePreview(symbol: string | 'all'): Promise<Array<{ symbol: string; side: 'long' | 'short'; quantity: number; markPrice: number }>>;
  close(symbol: string | 'all', by: string): Promise<OrderResult[]>;
  killAllPlan(includeExternal: boolean): Promise<{ running?: number; lines: Array<{ symbol: string; quantity: number; orders: number; external: boolean }> }>;
  /** Start (or join) a kill-all; waits up to `waitMs` for its report. */
  killAll(by: string, includeExternal: boolean, waitMs: number): Promise<{ started: boolean; runId: number; finished: boolean; lines: KillAllLine[] }>;
  /** What /sweep would move now (never sends anything). */
  sweepPlan(): Promise<SweepPlan>;
  /** Run the treasury sweep (a dry run unless SWEEP_ENABLED=true). */
  sweep(by: string): Promise<SweepResult>;
}

export interface SweepResult {
  plan: SweepPlan;
  status: 'sent' | 'dry-run' | 'failed' | 'unknown';
  id?: string;
  txId?: string;
  detail: string;
}

export interface ManualOrder {
  symbol: string;
  side: 'buy' | 'sell';
  /** Quote currency, or percent of equity when `percent`. */
  amount: number;
  percent: boolean;
  limitPrice?: number;
}

export interface OrderPreview {
  symbol: string;
  side: 'buy' | 'sell';
  kind: 'entry' | 'exit';
  type: 'market' | 'limit';
  price: number;
  base: number;
  quote: number;
  fee: number;
  quoteCurrency: string;
  /** Names of the checks that passed. */
  passed: string[];
  denials: Array<{ code: string; message: string }>;
}

export interface OrderResult {
  symbol: string;
  ok: boolean;
  detail: string;
}

export interface SizeView {
  symbol: string;
  strategy: string;
  source: 'live' | 'backtest' | 'none';
  trades: number;
  winRate: number;
  payoff: number;
  rawKelly: number;
  multiplier: number;
  realisedVolPct?: number;
  targetVolPct: number;
  volScale: number;
  maxPositionPct: number;
  fraction: number;
  quote: number;
  base: number;
  price: number;
  equity: number;
  quoteCurrency: string;
  fallback: boolean;
  capped: boolean;
  note: string;
  sizing: 'percent' | 'kelly';
}

export interface PanicView {
  scope: string;
  ts?: number;
  score?: number;
  level?: PanicLevelName;
  components: Array<{ name: string; raw: number; unit: string; value: number; weight: number }>;
  threshold: number;
  /** PNG chart of the last 24 h (undefined without history). */
  chartPath?: string;
}
