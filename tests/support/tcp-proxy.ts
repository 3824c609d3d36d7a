import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (PostgreSQL) that can go down the way a network or a
 * restarting database does: `refuse()` resets every open connection and answers new ones with an
 * immediate reset (the client sees ECONNRESET, as with a refused or dropped connection); `accept()`
 * forwards again. Listens on port 0.
 */
export interface TcpProxy {
  readonly port: number;
  refuse(): void;
  accept(): void;
  /** Connections reset while refusing. */
  readonly resets: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refusing = false;
  let resets = 0;
  const kill = (s: Socket) => {
    resets++;
    s.resetAndDestroy();
  };
  const server: Server = createServer((client) => {
    if (refusing) return kill(client);
    const upstream = createConnection({ host: targetHost, port: targetPort });
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get resets() {
      return resets;
    },
    refuse() {
      refusing = true;
      for (const s of [...open]) kill(s);
      open.clear();
    },
    accept() {
      refusing = false;
    },
    async close() {
      for (const s of [...open]) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
