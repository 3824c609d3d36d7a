/**
 * A tiny stand-in for Binance's market websocket (kline streams) on 127.0.0.1, written against
 * RFC 6455 with node:http and node:crypto only: it answers the upgrade, reads the client's masked
 * frames (SUBSCRIBE requests, pings, close), and lets a test push kline events or drop every
 * connection to simulate an outage.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { CandleRow } from '../../../src/domain/candles.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface KlineServer {
  /** ws://127.0.0.1:PORT/stream — ccxt's binance tells spot streams by "/stream" in the URL. */
  url: string;
  /** SUBSCRIBE params received, in order (e.g. `btcusdt@kline_1m`). */
  subscriptions: string[];
  /** Connections accepted so far. */
  connections(): number;
  /** Resolve once this many subscriptions have arrived. */
  waitForSubscriptions(n: number, timeoutMs?: number): Promise<void>;
  /** Send a kline event for `row` to every open connection. */
  pushKline(symbolId: string, interval: string, intervalMs: number, row: CandleRow, closed: boolean): void;
  /** Destroy every open connection (the venue goes away). */
  dropAll(): void;
  close(): Promise<void>;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65_536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    return b;
  })()]);
  return Buffer.concat([head, payload]);
}

export async function startKlineServer(): Promise<KlineServer> {
  const sockets = new Set<Duplex>();
  const subscriptions: string[] = [];
  const waiters: Array<() => void> = [];
  let accepted = 0;
  const server: Server = createServer((_req, res) => {
    res.writeHead(426).end();
  });

  server.on('upgrade', (req, socket: Duplex) => {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') return socket.destroy();
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    accepted++;
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (buf.length < 2) return;
        const opcode = buf[0]! & 0x0f;
        let len = buf[1]! & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        const masked = (buf[1]! & 0x80) !== 0;
        const end = at + (masked ? 4 : 0) + len;
        if (buf.length < end) return;
        const payload = Buffer.from(buf.subarray(at + (masked ? 4 : 0), end));
        if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buf[at + (i % 4)]!;
        buf = buf.subarray(end);
        if (opcode === 0x8) {
          socket.end(frame(0x8, Buffer.alloc(0)));
          sockets.delete(socket);
          return;
        }
        if (opcode === 0x9) socket.write(frame(0xa, payload));
        if (opcode === 0x1) {
          const msg = JSON.parse(payload.toString('utf8')) as { method?: string; params?: string[]; id?: number };
          if (msg.method === 'SUBSCRIBE') {
            subscriptions.push(...(msg.params ?? []));
            socket.write(frame(0x1, Buffer.from(JSON.stringify({ result: null, id: msg.id }))));
            for (const w of waiters.splice(0)) w();
          }
        }
      }
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/stream`,
    subscriptions,
    connections: () => accepted,
    async waitForSubscriptions(n, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (subscriptions.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${subscriptions.length} subscriptions after ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    pushKline(symbolId, interval, intervalMs, row, closed) {
      const event = {
        e: 'kline',
        E: Date.now(),
        s: symbolId,
        k: { t: row.ts, T: row.ts + intervalMs - 1, s: symbolId, i: interval, f: 1, L: 2, o: String(row.open), c: String(row.close), h: String(row.high), l: String(row.low), v: String(row.volume), n: 2, x: closed, q: '0', V: '0', Q: '0', B: '0' },
      };
      const data = frame(0x1, Buffer.from(JSON.stringify(event)));
      for (const s of sockets) s.write(data);
    },
    dropAll() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
