import { describe, expect, it } from 'vitest';
import { parseCandleText } from '../../../../src/domain/candle-parsing/parse-candle-text.ts';
import { expectRefusal, refusalOf } from './expect-refusal.ts';

/** How a refused cell is shown: quoted, at most 40 characters, and the kind of problem named. */

const HEADER = 'date,open,high,low,close,volume';
function refusedCell(open: string) {
  const err = expectRefusal(() => parseCandleText(`${HEADER}\n2021-01-01,${open},2,0.5,1.5,10\n`, 'c.csv'));
  return { message: err.message, reason: refusalOf(err).reason };
}

describe('refused CSV cells', () => {
  it('quotes a cell of up to 40 characters whole, and cuts a longer one at 40 with an ellipsis', () => {
    const forty = 'x'.repeat(40);
    expect(refusedCell(forty).message).toBe(`c.csv line 2: column "open" is not a number ("${forty}")`);
    expect(refusedCell(`${forty}yz`).message).toBe(`c.csv line 2: column "open" is not a number ("${forty}…")`);
  });

  it('calls NaN and infinity in any spelling or sign "not a finite number", other words "not a number"', () => {
    for (const word of ['NaN', 'nan', '-nan', 'inf', '+Inf', '-INFINITY', 'Infinity', '1e999', '-1e400']) {
      expect(refusedCell(word), word).toEqual({ message: `c.csv line 2: column "open" is not a finite number ("${word}")`, reason: 'not_finite' });
    }
    for (const word of ['infinite', 'nana', 'in', '1e', '0x10', '--1']) {
      expect(refusedCell(word), word).toEqual({ message: `c.csv line 2: column "open" is not a number ("${word}")`, reason: 'not_a_number' });
    }
  });

  it('calls an empty or blank cell empty', () => {
    for (const blank of ['', '   ', '""']) expect(refusedCell(blank), JSON.stringify(blank)).toEqual({ message: 'c.csv line 2: column "open" is empty', reason: 'empty_value' });
  });

  it('names an unreadable date with the forms it accepts, and an empty one as empty', () => {
    const bad = expectRefusal(() => parseCandleText(`${HEADER}\nyesterday,1,2,0.5,1.5,10\n`, 'c.csv'));
    expect([bad.message, refusalOf(bad).reason]).toEqual(['c.csv line 2: unparseable date "yesterday" (expected an ISO date such as 2024-01-31 or 2024-01-31T12:00:00Z, or epoch s/ms/µs)', 'bad_date']);
    const empty = expectRefusal(() => parseCandleText(`${HEADER}\n  ,1,2,0.5,1.5,10\n`, 'c.csv'));
    expect([empty.message, refusalOf(empty).reason]).toEqual(['c.csv line 2: column "time" is empty', 'empty_value']);
  });
});
