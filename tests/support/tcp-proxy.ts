import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder to a real server that can be cut: `block()` closes every connection and stops
 * listening (clients get "connection refused", as when the database goes down), `unblock()` listens
 * again on the same port.
 */
export interface TcpProxy {
  readonly port: number;
  block(): Promise<void>;
  unblock(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const make = () =>
    createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
  const listen = (s: Server, port: number) => new Promise<number>((resolve, reject) => s.once('error', reject).listen(port, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
  let server: Server | undefined = make();
  const port = await listen(server, 0);
  const shut = async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
  };
  return {
    port,
    block: shut,
    async unblock() {
      if (server) return;
      server = make();
      await listen(server, port);
    },
    close: shut,
  };
}
