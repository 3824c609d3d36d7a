import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Candles } from '../../../../src/domain/candles.ts';
import { CsvCandleParser, MAX_LINE_CHARS, parseCsvCandles } from '../../../../src/domain/candle-parsing/csv-candles.ts';
import { mulberry32 } from '../../../../bench/support/synthetic-candles.ts';
import { expectRefusal } from './expect-refusal.ts';

/**
 * The CSV reader's fast path (plain lines: unsigned decimals or an epoch or a date, no padding) must
 * read every line exactly as the general path does, and leave every other line to it. The general
 * path is forced by padding each cell with a space (cells are trimmed), so each random file is read
 * both ways and compared bit for bit — values, order, statistics, and the refusal of a bad line.
 */

type Parser = { row(b: Uint8Array, start: number, end: number): void };
const generalRows = (): ReturnType<typeof vi.spyOn> => vi.spyOn(CsvCandleParser.prototype as unknown as Parser, 'row');
afterEach(() => vi.restoreAllMocks());

/** Deterministic random integers in [0, n). */
function randomSource(seed: number): (n: number) => number {
  const rand = mulberry32(seed);
  return (n) => Math.floor(rand() * n);
}

/** `digits` (an integer as text) over 10^scale, written in one of the forms a file may hold. */
function decimalText(digits: string, scale: number, form: number): string {
  const padded = digits.padStart(scale + 1, '0');
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale);
  switch (form) {
    case 0:
      return scale === 0 ? whole : `${whole}.${fraction}`;
    case 1:
      return `${whole}.${fraction}000`; // trailing zeros, `5.` when scale is 0
    case 2:
      return `00${whole}.${fraction}`; // leading zeros
    case 3:
      return whole === '0' && scale > 0 ? `.${fraction}` : `${whole}.${fraction}`;
    case 4:
      return `${digits}e-${scale}`; // exponent: general path only
    case 5:
      return `+${whole}.${fraction}`; // sign: general path only
    default:
      return `${whole}.${fraction}${'0'.repeat(25)}`; // more than 22 decimals: general path only
  }
}

const ISO_FORMS = [
  (d: Date) => d.toISOString(),
  (d: Date) => d.toISOString().replace('T', ' ').replace('.000Z', ''),
  (d: Date) => d.toISOString().slice(0, 16),
  (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '/') + (d.getUTCHours() || d.getUTCMinutes() ? d.toISOString().slice(10, 19) : ''),
  (d: Date) => `${d.toISOString().slice(0, 19)}+00:00`,
];

/** A random file of `rows` rows whose times ascend (with a repeated row now and then). */
function randomFile(seed: number, rows: number, timeForm: 'epoch' | 'iso' | 'mixed'): string[][] {
  const r = randomSource(seed);
  const out: string[][] = [];
  let ts = Date.UTC(2024, 0, 1) + r(1_000_000) * 60_000;
  for (let i = 0; i < rows; i++) {
    if (i > 0 && r(20) === 0) {
      out.push([...out[i - 1]!]); // a twin: dropped the same way on both paths
      continue;
    }
    ts += (1 + r(3)) * 60_000;
    const useIso = timeForm === 'iso' || (timeForm === 'mixed' && r(2) === 0);
    const time = useIso ? ISO_FORMS[r(ISO_FORMS.length)]!(new Date(ts - (ts % 60_000))) : r(4) === 0 ? `${ts / 1000}` : r(8) === 0 ? `${ts}000` : `${ts}`;
    const scale = r(9);
    const magnitude = [1, 100, 100_000, 10_000_000, 1e15][r(5)]!;
    const low = 1 + r(magnitude);
    // low ≤ open, close ≤ high as integers at one scale: exact decimals, so the doubles keep the order.
    const open = low + r(50);
    const close = low + r(50);
    const cells = [open, Math.max(open, close) + r(50), low, close].map((m) => decimalText(String(m), scale, r(10) < 7 ? r(4) : 4 + r(3)));
    const volume = decimalText(String(r(1_000_000)), r(6), r(10) < 8 ? r(4) : 4 + r(3));
    out.push([time, ...cells, volume]);
  }
  return out;
}

const HEADER = 'time,open,high,low,close,volume';
const text = (rows: string[][], pad: boolean, eol = '\n'): string =>
  `${HEADER}${eol}${rows.map((cells) => cells.map((c) => (pad ? ` ${c} ` : c)).join(',')).join(eol)}${eol}`;

function read(csv: string, chunk: number): { candles: Candles; stats: unknown } {
  const bytes = new TextEncoder().encode(csv);
  const p = new CsvCandleParser('x.csv');
  for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
  return p.end();
}

const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
function expectSameCandles(actual: Candles, expected: Candles, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (const column of COLUMNS) {
    for (let i = 0; i < expected.length; i++) {
      if (!Object.is(actual[column][i], expected[column][i])) {
        expect.fail(`${what}: ${column}[${i}] is ${actual[column][i]}, the general path reads ${expected[column][i]}`);
      }
    }
  }
}

describe('plain lines read by the fast path, bit for bit as the general path reads them', () => {
  for (const [seed, timeForm] of [
    [1, 'epoch'],
    [2, 'iso'],
    [3, 'mixed'],
    [4, 'mixed'],
  ] as const) {
    it(`random file ${seed} (${timeForm} times), any chunk size, LF or CRLF`, () => {
      const rows = randomFile(seed, 600, timeForm);
      const expected = read(text(rows, true), 1 << 20);
      for (const eol of ['\n', '\r\n']) {
        for (const chunk of [1, 3, 17, 256, 4_096, 1 << 20]) {
          const got = read(text(rows, false, eol), chunk);
          expectSameCandles(got.candles, expected.candles, `chunk ${chunk}, ${JSON.stringify(eol)}`);
          expect(got.stats).toEqual(expected.stats);
        }
      }
    });
  }

  it('takes a plain line without the general path and hands every other line to it', () => {
    const plain = [
      ['1704067200000', '40000.00', '40023.53', '39981.01', '40018.98', '25.6606'],
      ['2024-01-01 00:02:00', '5.', '7', '.5', '6.25', '0'],
      ['2024/01/01T00:02:30Z', '5', '7', '1', '6', '1'],
    ];
    const other = [
      ['1704067380000', '+1', '2', '1', '1', '1'], // sign
      ['1704067440000', '1e0', '2', '1', '1', '1'], // exponent
      ['1704067500000', '1', '2', '1', '1', `1.${'0'.repeat(23)}`], // 23 decimals
      ['1704067530000', '1', '2', '1', '1', `0.${'0'.repeat(22)}1`], // 23 decimals of a small mantissa
      ['1704067560000', '1', '2', '1', '1', '9007199254740993'], // mantissa beyond 2^53
      ['1704067620000', '"1"', '2', '1', '1', '1'], // quotes
      ['2024-01-01T00:08:00Z ', '1', '2', '1', '1', '1'], // trailing space after a date
    ];
    const spy = generalRows();
    const whole = read(text([...plain, ...other], false), 1 << 20);
    expect(spy).toHaveBeenCalledTimes(other.length);
    expect(whole.candles.length).toBe(plain.length + other.length);
    expect(Array.from(whole.candles.volume)).toEqual([25.6606, 0, 1, 1, 1, 1, 1e-23, 9007199254740992, 1, 1]);
    expect(whole.candles.ts[2]).toBe(Date.UTC(2024, 0, 1, 0, 2, 30));
    expect(whole.candles.ts[1]).toBe(Date.UTC(2024, 0, 1, 0, 2));
    expect(whole.candles.low[1]).toBe(0.5);
  });

  it('takes CRLF lines, and the time in the last column, without the general path', () => {
    const csv = [
      'open;high;low;close;volume;date',
      '1;2;1;1;1;2024-01-01T00:00:00Z',
      '1;2;1;1;1;2024/01/01 00:01',
      '1;2;1;1;1;1704067320000',
      '1;2;1;1;1;2023-12-31',
    ].join('\r\n');
    const spy = generalRows();
    expect(read(`${csv.replaceAll('\r\n', '\n')}\n`, 1 << 20).candles.length).toBe(4);
    const got = read(`${csv}\r\n`, 1 << 20);
    expect(spy).not.toHaveBeenCalled();
    expect(Array.from(got.candles.ts)).toEqual([Date.UTC(2023, 11, 31), Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 1), Date.UTC(2024, 0, 1, 0, 2)]);
    expect(got.stats).toEqual({ rowsRead: 4, duplicatesDropped: 0, reordered: true });
  });

  it('skips ignored columns, whatever they hold, and reads a header-less exchange dump', () => {
    const dump =
      '1704067200000,1.5,2,1,1.75,10,1704067259999,"x y",12,BTC;USDT,\t,0\n1704067260000,1.75,2,1.5,2,0,1704067319999,17.5,3,0,0,0\n' +
      '1704067320000,2,2,2,2,1,1704067379999,BTCUSDT,"",-,x y,\r\n';
    const spy = generalRows();
    const got = read(dump, 1 << 20);
    // The first line decides the layout through the general path (it may be a header); the others are plain.
    expect(spy).toHaveBeenCalledTimes(1);
    expect(Array.from(got.candles.close)).toEqual([1.75, 2, 2]);
    expect(Array.from(got.candles.ts)).toEqual([1704067200000, 1704067260000, 1704067320000]);
  });
});

describe('the line length limit on the fast path', () => {
  // An ignored column may hold anything, so a plain line can be long: read whole, it is refused as before.
  const withNote = (bytes: number): string => {
    const row = '1704067200000,1,2,1,1,1,';
    return `time,open,high,low,close,volume,note\n${row}${'x'.repeat(bytes - row.length)}\n`;
  };

  it('reads the plain lines of a text longer than the limit without the general path', () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${1704067200000 + i * 60_000},40000.00,40023.53,39981.01,40018.98,25.6606`);
    const spy = generalRows();
    const got = parseCsvCandles(`time,open,high,low,close,volume\n${rows.join('\n')}\n`, 'x.csv');
    expect(got.candles.length).toBe(30_000);
    expect(spy).not.toHaveBeenCalled();
  });

  it('accepts a line of exactly the limit and refuses one byte more, naming the line', () => {
    expect(parseCsvCandles(withNote(MAX_LINE_CHARS), 'x.csv').candles.close[0]).toBe(1);
    const err = expectRefusal(() => parseCsvCandles(withNote(MAX_LINE_CHARS + 1), 'x.csv'));
    expect(err.message).toBe(`x.csv line 2: line is longer than ${MAX_LINE_CHARS} bytes — not a candle CSV`);
  });
});

describe('a bad line is refused with the same message whichever path meets it first', () => {
  const PLAIN_ROW = ['1704067200000', '2.5', '3', '1', '2', '5'] as const;

  const BAD_CELLS = ['x', '', '1.2.3', '1e', '-', '.', '1,5', '2024-13-01', '2024-01-01T00:00:00+25:00', '１'];

  // A date is a time, not a price; a fifth digit before the dash is no year the reader takes.
  const NOT_A_PRICE = ['2024-01-31', '2024/01/31 00:00:00'];
  const cases = [...BAD_CELLS.flatMap((bad) => [0, 1, 4, 5].map((column) => [bad, column] as const)), ...NOT_A_PRICE.flatMap((bad) => [1, 3, 5].map((column) => [bad, column] as const)), ['12024-01-31', 0] as const];

  it.each(cases)('%j in column %i', (bad, column) => {
    const rows = randomFile(7, 40, 'mixed');
    rows[23] = [...PLAIN_ROW]; // plain but for the bad cell, so the fast path meets it
    rows[23][column] = bad;
    const general = expectRefusal(() => read(text(rows, true), 1 << 20));
    for (const chunk of [5, 1 << 20]) {
      const fast = expectRefusal(() => read(text(rows, false), chunk));
      expect(fast.message).toBe(general.message);
      expect(fast.details).toEqual(general.details);
    }
  });

  it('a missing or extra cell, a price of zero, a broken price relation, an epoch beyond 10^20', () => {
    const cases: Array<(rows: string[][]) => void> = [
      (rows) => rows[5]!.pop(),
      (rows) => rows[5]!.push('1'),
      (rows) => (rows[5]![2] = '0.0001'),
      (rows) => (rows[5]![1] = '0'),
      (rows) => (rows[5]![0] = '100000000000000000000'),
      (rows) => rows[5]!.splice(0, 2, `${rows[5]![0]}x${rows[5]![1]}`), // one cell short, its delimiter a letter
    ];
    for (const breakIt of cases) {
      const rows = randomFile(8, 10, 'epoch');
      rows[5] = [...PLAIN_ROW];
      breakIt(rows);
      const general = expectRefusal(() => read(text(rows, true), 1 << 20));
      const fast = expectRefusal(() => read(text(rows, false), 1 << 20));
      expect(fast.message).toBe(general.message);
      expect(fast.message).toMatch(/^x\.csv line 7: /);
    }
  });
});
