const DAY_MS = 86_400_000;

/** Drawdowns and period returns of an equity curve (what `computeMetrics` reads from the curve). */
export interface CurveStats {
  /** Highest equity (the initial equity counts). */
  peak: number;
  /** Deepest drawdown as a positive fraction. */
  max: number;
  maxDurationMs: number;
  episodes: number;
  sumDepth: number;
  sumDurationMs: number;
  /** Returns per period: how many, their mean, sample variance (n − 1) and sqrt(mean(min(r, 0)²)) over all periods. */
  periods: { count: number; mean: number; variance: number; downside: number };
  /** Equity at the last candle added (NaN when none was). */
  last: number;
}

/** Length of a return period: a UTC day for bars of a day or less, else each bar (1 ms: every candle ends one). */
export function returnPeriodMs(timeframeMs: number): number {
  return timeframeMs > DAY_MS ? 1 : DAY_MS;
}

/** One pass of {@link EquityCurvePass} over the whole curve. */
export function curveStats(ts: Float64Array, equity: Float64Array, initial: number, periodMs: number): CurveStats {
  const pass = new EquityCurvePass(ts, equity, initial, periodMs, 0, equity.length);
  pass.add(0, equity.length);
  return pass.result();
}

/**
 * Drawdowns and period returns over candles `[first, end)` of `ts` and `equity`, folded in as the
 * curve is made — the backtest adds each chunk right after simulating it, while it is in cache —
 * or in one go ({@link curveStats}).
 *
 * Drawdowns: the running peak starts at the initial equity; an episode runs from the last peak until
 * equity is back at or above it (or the data ends). Its duration is from the peak's candle to the
 * recovering candle (or the last candle).
 *
 * Returns per UTC calendar period (a day, or the candle when candles are longer): the equity at the
 * last candle of each period against the previous period's (the first against the initial equity).
 * Welford's running mean/variance: no array of returns is kept; the end of the current period is
 * computed once per period, not a division per candle.
 *
 * The state lives in a typed array and each `add` is a call of its own: one loop over a million
 * values run once is compiled on stack by V8, and that code boxed its running doubles (~16 MB of
 * garbage per million candles).
 *
 * The curve need not be held whole: `add` reads candle i's equity at `equity[i − offset]`, so the
 * backtest can hand over each chunk in one reused buffer. The equity at chosen candles (`sampleAt`,
 * ascending: the month ends of the breakdown) is kept as it goes by ({@link samples}).
 */
export class EquityCurvePass {
  private readonly st = new Float64Array(STATE);
  private next: number;
  private readonly sampled: Float64Array;
  private sampleNext = 0;

  /** Candles must be added in order, from `first`; the last one (`end − 1`) closes the last period. */
  constructor(
    private readonly ts: Float64Array,
    private readonly equity: Float64Array,
    initial: number,
    private readonly periodMs: number,
    private readonly first: number,
    private readonly end: number,
    private readonly sampleAt: readonly number[] = [],
  ) {
    this.sampled = new Float64Array(sampleAt.length).fill(Number.NaN);
    const st = this.st;
    st[PEAK] = initial;
    // (NaN, not 0, when there is no candle: never read then)
    st[PEAK_TS] = end > first ? ts[first]! : Number.NaN;
    st[PREV] = initial;
    st[BOUNDARY] = end > first ? (Math.floor(ts[first]! / periodMs) + 1) * periodMs : Number.NaN;
    st[LAST] = Number.NaN;
    this.next = first;
  }

  /**
   * Fold in candles `[from, to)`, clipped to `[first, end)`; their equity must be final and is read
   * at `equity[i − offset]` (0: the whole curve).
   */
  add(from: number, to: number, offset = 0): void {
    const a = Math.max(from, this.first);
    const b = Math.min(to, this.end);
    if (a >= b) return;
    if (a !== this.next) throw new RangeError(`equity curve candles must be added in order: expected ${this.next}, got ${a}`);
    for (let f = a; f < b; f += CHUNK) curveChunk(this.ts, this.equity, offset, this.periodMs, this.st, f, Math.min(b, f + CHUNK), this.end - 1);
    const at = this.sampleAt;
    let k = this.sampleNext;
    while (k < at.length && at[k]! < b) {
      if (at[k]! >= a) this.sampled[k] = this.equity[at[k]! - offset]!;
      k++;
    }
    this.sampleNext = k;
    this.st[LAST] = this.equity[b - 1 - offset]!;
    this.next = b;
  }

  /** The equity at each candle of `sampleAt` (NaN for one not added). */
  samples(): Float64Array {
    return this.sampled;
  }

  result(): CurveStats {
    const st = this.st;
    const count = st[COUNT]!;
    const down = st[DOWN]!;
    let episodes = st[EPISODES]!;
    let sumDepth = st[SUM_DEPTH]!;
    let sumDur = st[SUM_DUR]!;
    let maxDur = st[MAX_DUR]!;
    if (st[IN_DD] === 1) {
      const dur = this.ts[this.end - 1]! - st[PEAK_TS]!;
      episodes++;
      sumDepth += st[DEPTH]!;
      sumDur += dur;
      if (dur > maxDur) maxDur = dur;
    }
    return {
      peak: st[PEAK]!,
      max: st[MAX]!,
      maxDurationMs: maxDur,
      episodes,
      sumDepth,
      sumDurationMs: sumDur,
      periods: { count, mean: st[MEAN]!, variance: count > 1 ? st[M2]! / (count - 1) : 0, downside: count > 0 ? Math.sqrt(down / count) : 0 },
      last: st[LAST]!,
    };
  }
}

/** Slots of the pass's state. */
const PEAK = 0;
const PEAK_TS = 1;
const MAX = 2;
const MAX_DUR = 3;
const IN_DD = 4;
const DEPTH = 5;
const EPISODES = 6;
const SUM_DEPTH = 7;
const SUM_DUR = 8;
const PREV = 9;
const COUNT = 10;
const MEAN = 11;
const M2 = 12;
const DOWN = 13;
const BOUNDARY = 14;
const LAST = 15;
/** Lowest equity of the drawdown under way (the peak itself when none is lower yet). */
const TROUGH = 16;
const STATE = 17;
const CHUNK = 1 << 12;

/** Candles `[from, to)` of the pass (candle i's equity at `equity[i − off]`); `last` is the index of the curve's last candle. */
function curveChunk(ts: Float64Array, equity: Float64Array, off: number, periodMs: number, st: Float64Array, from: number, to: number, last: number): void {
  let peak = st[PEAK]!;
  let peakTs = st[PEAK_TS]!;
  let max = st[MAX]!;
  let maxDur = st[MAX_DUR]!;
  let inDd = st[IN_DD] === 1;
  let depth = st[DEPTH]!;
  let trough = st[TROUGH]!;
  let episodes = st[EPISODES]!;
  let sumDepth = st[SUM_DEPTH]!;
  let sumDur = st[SUM_DUR]!;
  let prev = st[PREV]!;
  let count = st[COUNT]!;
  let mean = st[MEAN]!;
  let m2 = st[M2]!;
  let down = st[DOWN]!;
  let boundary = st[BOUNDARY]!;
  for (let i = from; i < to; i++) {
    const e = equity[i - off]!;
    if (e >= peak) {
      if (inDd) {
        // The episode's depth from its lowest equity: 1 − e/peak is monotone in e (rounding too), so
        // this is the largest of the per-candle depths, bit for bit, without a division per candle.
        depth = 1 - trough / peak;
        if (depth > max) max = depth;
        const dur = ts[i]! - peakTs;
        episodes++;
        sumDepth += depth;
        sumDur += dur;
        if (dur > maxDur) maxDur = dur;
        inDd = false;
      }
      peak = e;
      peakTs = ts[i]!;
    } else {
      if (!inDd) {
        inDd = true;
        // depth 0 until an equity below the peak (a NaN equity opens an episode of depth 0)
        trough = peak;
      }
      if (e < trough) trough = e;
    }
    if (i < last && ts[i + 1]! < boundary) continue;
    // the last candle of a period
    if (i < last) boundary = (Math.floor(ts[i + 1]! / periodMs) + 1) * periodMs;
    const r = prev > 0 ? e / prev - 1 : 0;
    prev = e;
    count++;
    const delta = r - mean;
    mean += delta / count;
    m2 += delta * (r - mean);
    if (r < 0) down += r * r;
  }
  if (inDd) {
    // The drawdown under way as far as it went (what result() and the next chunk read).
    depth = 1 - trough / peak;
    if (depth > max) max = depth;
  }
  st[PEAK] = peak;
  st[PEAK_TS] = peakTs;
  st[MAX] = max;
  st[MAX_DUR] = maxDur;
  st[IN_DD] = inDd ? 1 : 0;
  st[DEPTH] = depth;
  st[EPISODES] = episodes;
  st[SUM_DEPTH] = sumDepth;
  st[SUM_DUR] = sumDur;
  st[PREV] = prev;
  st[COUNT] = count;
  st[MEAN] = mean;
  st[M2] = m2;
  st[DOWN] = down;
  st[BOUNDARY] = boundary;
  st[TROUGH] = trough;
}
