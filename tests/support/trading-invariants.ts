/**
 * What must hold in a tradeops database whatever happened to the process (SIGKILL, failover):
 * no order final without its fills, and every position equal to the sum of its fills.
 */
export interface InvariantReport {
  finalWithoutFills: Array<{ clientOrderId: string; status: string; filled: number; fills: number }>;
  positionMismatches: Array<{ exchange: string; symbol: string; position: number; fills: number }>;
  orders: number;
  fills: number;
}

export async function checkInvariants(url: string): Promise<InvariantReport> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const finalWithoutFills = await sql<Array<{ client_order_id: string; status: string; filled: string; fills: string }>>`
      select o.client_order_id, o.status, o.filled, coalesce(sum(f.amount), 0) as fills
      from orders o left join fills f on f.client_order_id = o.client_order_id
      where o.status in ('filled', 'canceled', 'expired', 'rejected')
      group by o.client_order_id, o.status, o.filled
      having o.filled > coalesce(sum(f.amount), 0) + 1e-9`;
    const mismatches = await sql<Array<{ exchange: string; symbol: string; position: string; fills: string }>>`
      with net as (
        select exchange, symbol, sum(case when side = 'buy' then amount else -amount end) as fills from fills group by exchange, symbol
      )
      select coalesce(p.exchange, n.exchange) as exchange, coalesce(p.symbol, n.symbol) as symbol,
             coalesce(p.quantity, 0) as position, coalesce(n.fills, 0) as fills
      from positions p full join net n on n.exchange = p.exchange and n.symbol = p.symbol
      where abs(coalesce(p.quantity, 0) - coalesce(n.fills, 0)) > 1e-9`;
    const [{ orders }] = await sql<Array<{ orders: string }>>`select count(*) as orders from orders`;
    const [{ fills }] = await sql<Array<{ fills: string }>>`select count(*) as fills from fills`;
    return {
      finalWithoutFills: finalWithoutFills.map((r) => ({ clientOrderId: r.client_order_id, status: r.status, filled: Number(r.filled), fills: Number(r.fills) })),
      positionMismatches: mismatches.map((r) => ({ exchange: r.exchange, symbol: r.symbol, position: Number(r.position), fills: Number(r.fills) })),
      orders: Number(orders),
      fills: Number(fills),
    };
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** Wait until the process's log (stderr: pino writes there) shows `pattern`. */
export async function inStderr(bot: { stderr(): string }, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(bot.stderr())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in the log:\n${bot.stderr().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
