import type { Kernel } from '../kernel.ts';

/** Risk lines for /status: panic level, protection locks, recent protection triggers, denials, a running kill-all. */
export function riskWarnings(kernel: Kernel, now: number): string[] {
  const out: string[] = [];
  const r = kernel.risk;
  const p = r.panic.latest('portfolio');
  if (p && p.level !== 'calm') out.push(`panic ${p.level}: ${p.score.toFixed(0)}/100 (/panic)`);
  for (const l of r.state.activeLocks(now)) out.push(`${l.symbol} locked until ${new Date(l.until).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${l.reason}`);
  const day = now - 86_400_000;
  for (const t of r.state.triggers.filter((x) => x.ts >= day && 'state' in x)) out.push(`protection ${t.kind} fired ${new Date(t.ts).toISOString().slice(11, 16)} UTC: ${t.reason}`);
  if (r.gate.deniedTotal > 0) {
    const codes = [...r.gate.denialCounts()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
    out.push(`${r.gate.deniedTotal} order(s) denied since start: ${codes}`);
  }
  if (r.killAll?.runningId !== undefined) out.push(`kill-all #${r.killAll.runningId} is running`);
  return out;
}
