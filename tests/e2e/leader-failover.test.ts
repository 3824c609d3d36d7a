/**
 * Two real processes on one PostgreSQL database: exactly one leads (trades); killing it with
 * SIGKILL lets the other take over within 15 s, reconciling first; orders, fills and positions stay
 * consistent. With PGlite a second process on the same data directory is refused with a clear error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';
import { checkInvariants, inStderr } from '../support/trading-invariants.ts';

const READY = /tradeops ready: (.*)\n/;
const urlOf = (line: string) => /http=(http:\/\/[^\s]+)/.exec(line)![1]!;
const roleOf = async (url: string) => ((await (await fetch(`${url}/healthz`)).json()) as { role: string }).role;

describe('several processes on one database', () => {
  const bots: BotProcess[] = [];
  let db: { url: string; drop(): Promise<void> } | undefined;
  afterAll(async () => {
    for (const b of bots) await b.stop('SIGKILL');
    await db?.drop();
  });

  it.skipIf(!pgServerUrl())('PostgreSQL: one leader, one standby; the standby leads within 15 s of the leader’s SIGKILL', async () => {
    db = await createTempDatabase();
    const env = { DATABASE_URL: db.url, HTTP_PORT: '0', CONSOLE: 'false', LOG_FORMAT: 'json', SIM_SPEED: '4', STRATEGY_PARAMS: '{"fast":2,"slow":3}', ORDER_LOOKUP_DELAY_MS: '0', LEADER_CHECK_INTERVAL: '2' };
    const a = spawnBot(['start'], { ...env, DATA_DIR: tempDataDir() });
    bots.push(a);
    const readyA = await a.waitFor(READY, 60_000);
    expect(readyA[1]).toContain('role=leader');
    // The standby has a console: it answers read-only commands and refuses trading ones.
    const b = spawnBot(['start'], { ...env, DATA_DIR: tempDataDir(), CONSOLE: 'true' });
    bots.push(b);
    const readyB = await b.waitFor(READY, 60_000);
    expect(readyB[1]).toContain('role=standby');
    let mark = b.stdout().length;
    b.send('/status');
    await b.waitFor(/role standby/, 15_000, mark);
    mark = b.stdout().length;
    b.send('/pause');
    await b.waitFor(/this process is a standby: another process is the leader and trades\. \/pause changes trading/, 15_000, mark);
    const [urlA, urlB] = [urlOf(readyA[1]!), urlOf(readyB[1]!)];
    expect([await roleOf(urlA), await roleOf(urlB)]).toEqual(['leader', 'standby']);
    // Let the leader trade a while; the standby must stay a standby.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await roleOf(urlB)).toBe('standby');
    const before = await checkInvariants(db.url);

    const killedAt = Date.now();
    await a.stop('SIGKILL');
    let role = 'standby';
    while (role !== 'leader' && Date.now() - killedAt < 20_000) {
      await new Promise((r) => setTimeout(r, 250));
      role = await roleOf(urlB);
    }
    expect(role).toBe('leader');
    expect(Date.now() - killedAt).toBeLessThanOrEqual(15_000);
    await inStderr(b, /reconciliation finished/, 20_000);
    // The new leader trades on from what is stored: nothing doubled, nothing lost.
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await checkInvariants(db.url);
    expect(after.finalWithoutFills).toEqual([]);
    expect(after.positionMismatches).toEqual([]);
    expect(after.fills).toBeGreaterThanOrEqual(before.fills);
    expect((await b.stop('SIGTERM')).code).toBe(0);
  }, 180_000);

  it('PGlite: a second process on the same data directory is refused with a clear error', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, HTTP_PORT: '0', CONSOLE: 'false', LOG_FORMAT: 'json' };
    const first = spawnBot(['start'], env);
    bots.push(first);
    await first.waitFor(READY, 90_000);
    const second = spawnBot(['start'], env);
    bots.push(second);
    const { code } = await new Promise<{ code: number | null }>((resolve) => second.child.on('exit', (c) => resolve({ code: c })));
    expect(code).not.toBe(0);
    expect(second.stderr() + second.stdout()).toMatch(/in use by another tradeops process \(pid \d+\).*one process per data directory/s);
    expect((await first.stop('SIGTERM')).code).toBe(0);
  }, 180_000);
});
