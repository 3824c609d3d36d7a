/**
 * The local Binance-compatible exchange in its own process, so the time it stamps on each request
 * ("on the wire") is not delayed by the benchmarked process's own work. Driven over IPC:
 * `{ id, op: 'requests', from }` → the requests recorded since index `from`;
 * `{ id, op: 'balances', assets }` → free balances; `{ id, op: 'close' }` → stops.
 */
import { start, type LocalMarketSpec } from '../../tests/support/local-exchange/index.ts';

const { markets, balances } = JSON.parse(process.argv[2]!) as { markets: LocalMarketSpec[]; balances: Record<string, number> };
const venue = await start({ markets, spotBalances: balances });
process.on('message', async (m: { id: number; op: string; from?: number; assets?: string[] }) => {
  if (m.op === 'requests') process.send!({ id: m.id, result: venue.requests.slice(m.from ?? 0).map((r) => ({ method: r.method, path: r.path, side: r.params.side, ts: r.ts })) });
  else if (m.op === 'balances') process.send!({ id: m.id, result: Object.fromEntries((m.assets ?? []).map((a) => [a, venue.state.spot.balance(a).free])) });
  else if (m.op === 'count') process.send!({ id: m.id, result: venue.requests.length });
  else if (m.op === 'close') {
    await venue.close();
    process.send!({ id: m.id, result: true });
    process.exit(0);
  }
});
process.send!({ ready: venue.url });
