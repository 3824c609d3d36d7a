import fs from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, registerSecrets } from '../../src/logger.ts';

/**
 * Where the process logger writes and in which form when no destination is given (stderr, JSON or
 * pretty), and that no secret gets past it however it is logged. The writes to file descriptors are
 * captured at `fs.write`/`fs.writeSync` (what pino's and pino-pretty's streams call), so nothing reaches
 * the real stderr.
 */

interface FdWrite { fd: number; text: string; sync: boolean }

function captureFdWrites(): FdWrite[] {
  const writes: FdWrite[] = [];
  vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: string | Uint8Array) => {
    writes.push({ fd, text: String(buf), sync: true });
    return Buffer.byteLength(buf);
  }) as typeof fs.writeSync);
  vi.spyOn(fs, 'write').mockImplementation(((fd: number, buf: string | Uint8Array, ...rest: unknown[]) => {
    writes.push({ fd, text: String(buf), sync: false });
    const done = rest.find((r) => typeof r === 'function') as ((err: null, n: number) => void) | undefined;
    process.nextTick(() => done?.(null, Buffer.byteLength(buf)));
  }) as typeof fs.write);
  return writes;
}

/** Pretends stdout/stderr are (or are not) terminals for one test. */
function setTty(stream: NodeJS.WriteStream, isTTY: boolean): void {
  const before = Object.getOwnPropertyDescriptor(stream, 'isTTY');
  Object.defineProperty(stream, 'isTTY', { value: isTTY, configurable: true, writable: true });
  restore.push(() => {
    if (before) Object.defineProperty(stream, 'isTTY', before);
    else delete (stream as { isTTY?: boolean }).isTTY;
  });
}

const restore: Array<() => void> = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const r of restore.splice(0)) r();
});

const settle = () => new Promise((r) => setTimeout(r, 20));
const ESC = String.fromCharCode(27);

describe('the process logger without a destination', () => {
  it('writes JSON lines to stderr (fd 2), never stdout, without blocking on the write, when the format is json', async () => {
    const writes = captureFdWrites();
    const logger = createLogger({ level: 'info', format: 'json' });
    logger.info({ symbol: 'BTC/USDT' }, 'json-line-to-stderr');
    logger.flush();
    await settle();
    const mine = writes.filter((w) => w.text.includes('json-line-to-stderr'));
    expect(mine.map((w) => [w.fd, w.sync])).toEqual([[2, false]]);
    expect(JSON.parse(mine[0]!.text)).toMatchObject({ level: 30, symbol: 'BTC/USDT', msg: 'json-line-to-stderr' });
  });

  it('picks JSON when no format is set and stdout is not a terminal, pretty when it is', async () => {
    const writes = captureFdWrites();
    setTty(process.stderr, false);
    setTty(process.stdout, false);
    createLogger({ level: 'info' }).info('no-format-pipe');
    setTty(process.stdout, true);
    createLogger({ level: 'info' }).info('no-format-tty');
    await settle();
    const piped = writes.find((w) => w.text.includes('no-format-pipe'));
    const tty = writes.find((w) => w.text.includes('no-format-tty'));
    expect(JSON.parse(piped!.text)).toMatchObject({ msg: 'no-format-pipe' });
    expect(tty!.text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: no-format-tty\n$/);
  });

  it('pretty-prints to stderr at once: local time with milliseconds, level, message, fields, no colours off a terminal', async () => {
    const writes = captureFdWrites();
    setTty(process.stderr, false);
    const logger = createLogger({ level: 'info', format: 'pretty' });
    logger.warn({ symbol: 'ETH/USDT' }, 'pretty-line');
    await settle();
    const mine = writes.filter((w) => w.text.includes('pretty-line'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ fd: 2, sync: true });
    expect(mine[0]!.text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: pretty-line\n {4}symbol: "ETH\/USDT"\n$/);
  });

  it('colours pretty output when stderr is a terminal', async () => {
    const writes = captureFdWrites();
    setTty(process.stderr, true);
    createLogger({ level: 'info', format: 'pretty' }).info('coloured-line');
    await settle();
    const line = writes.find((w) => w.text.includes('coloured-line'));
    expect(line!.text).toContain(`${ESC}[`);
  });
});

describe('the process logger never writes a secret, however deep or however it is passed', () => {
  const SECRET = 'Vk3-amber-orchard-58';
  registerSecrets([SECRET]);

  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    return { logger: createLogger({ level: 'info', destination }), lines };
  }

  it('scrubs strings nested deeper than the walk goes (the deep part is cut, not written raw)', () => {
    const { logger, lines } = capture();
    const deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: `key ${SECRET}`, url: 'https://api.telegram.org/bot123456:AAE-secret_part/x' } } } } } } } };
    logger.info(deep, 'deep');
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toContain('AAE-secret_part');
    const line = JSON.parse(lines[0]!) as typeof deep;
    // Six levels are walked and kept; what lies below is replaced by a marker.
    expect(line.l1.l2.l3.l4.l5.l6).toEqual({ l7: '[Object]' });
  });

  it('cuts nested lists at the same depth', () => {
    const { logger, lines } = capture();
    logger.info({ l1: [[[[[[[`key ${SECRET}`]]]]]]] }, 'lists');
    expect(lines[0]).not.toContain(SECRET);
    expect(JSON.parse(lines[0]!)).toMatchObject({ l1: [[[[[['[Array]']]]]]] });
  });

  it('keeps a string six levels deep, scrubbed', () => {
    const { logger, lines } = capture();
    logger.info({ a: { b: { c: { d: { e: { f: { g: `x ${SECRET}` } } } } } } }, 'six');
    expect(JSON.parse(lines[0]!)).toMatchObject({ a: { b: { c: { d: { e: { f: { g: 'x [REDACTED]' } } } } } } });
  });

  it('scrubs values interpolated into the message (%s, %j, %o)', () => {
    const { logger, lines } = capture();
    logger.info('connect %s then %j and %o', `as ${SECRET}`, { url: 'postgres://u:pw0rd@db/x' }, { note: SECRET });
    const msg = (JSON.parse(lines[0]!) as { msg: string }).msg;
    expect(msg).toBe('connect as [REDACTED] then {"url":"postgres://u:[REDACTED]@db/x"} and {"note":"[REDACTED]"}');
  });

  it('logs an error without a stack, its code kept and its message scrubbed', () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error(`denied for ${SECRET}`), { code: 'EAUTH' });
    delete err.stack;
    logger.error({ err }, 'failed');
    expect(JSON.parse(lines[0]!)).toEqual({ level: 50, time: expect.any(Number), err: { type: 'Error', message: 'denied for [REDACTED]', code: 'EAUTH' }, msg: 'failed' });
  });

  it('scrubs an error logged under `error`, and inside arrays of objects', () => {
    const { logger, lines } = capture();
    class AuthError extends Error { override name = 'AuthError'; }
    logger.warn({ error: new AuthError(`bad ${SECRET}`), items: [{ note: SECRET }, 7, null] }, 'x');
    const line = JSON.parse(lines[0]!) as { error: { type: string; message: string; stack: string }; items: unknown[] };
    expect(line.error).toMatchObject({ type: 'AuthError', message: 'bad [REDACTED]' });
    expect(line.error.stack).toContain('AuthError: bad [REDACTED]');
    expect(line.items).toEqual([{ note: '[REDACTED]' }, 7, null]);
  });

  it('registers secrets of six characters or more, and not shorter ones', () => {
    registerSecrets(['Qx5-9z', 'Qx5-9']);
    const { logger, lines } = capture();
    logger.info('with Qx5-9z and Qx5-9!');
    expect((JSON.parse(lines[0]!) as { msg: string }).msg).toBe('with [REDACTED] and Qx5-9!');
  });
});
