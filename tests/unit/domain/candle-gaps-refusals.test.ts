import { describe, expect, it } from 'vitest';
import { candlesFromRows } from '../../../src/domain/candles.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { applyGapPolicy, findGaps } from '../../../src/domain/candle-gaps.ts';

/** What an import or a backtest is told when gaps cannot be measured: a bad request, saying why. */

const M = 60_000;
const row = (minute: number) => ({ ts: minute * M, open: 1, high: 1, low: 1, close: 1, volume: 1 });

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return { code: (err as AppError).code, message: (err as AppError).message };
  }
  throw new Error('not refused');
}

describe('gap refusals', () => {
  const c = candlesFromRows([row(0), row(1), row(3)]);

  it('a timeframe that is not a positive whole number of milliseconds', () => {
    for (const tf of [0, -M, 1.5, Number.NaN]) {
      expect(refusal(() => findGaps(c, tf))).toEqual({ code: 'BAD_REQUEST', message: `timeframe must be a positive whole number of milliseconds, got ${tf}` });
    }
  });

  it('rows closer than one timeframe, naming both rows and the distance', () => {
    const tooClose = candlesFromRows([row(0), row(2), row(3)]);
    expect(refusal(() => findGaps(tooClose, 2 * M))).toEqual({
      code: 'BAD_REQUEST',
      message: 'candles 1 and 2 are 60000 ms apart, less than the 120000 ms timeframe (wrong timeframe or unsorted series)',
    });
  });

  it('an unknown gap policy, listing the known ones', () => {
    expect(refusal(() => applyGapPolicy(c, M, 'interpolate' as never))).toEqual({ code: 'BAD_REQUEST', message: 'gap policy "interpolate" is not one of leave, fill' });
  });
});
