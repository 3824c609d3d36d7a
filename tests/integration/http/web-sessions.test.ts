import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { webSessions } from '../../../src/adapters/db/schema.ts';
import type { Database } from '../../../src/adapters/db/client.ts';
import { createWebSessions, csrfMatches, LINK_TTL_MS, SESSION_TTL_MS } from '../../../src/adapters/http/dashboard/sessions.ts';
import { databaseTargets } from '../../support/databases.ts';

const ALICE = { platform: 'telegram', userId: '111' };
const BOB = { platform: 'discord', userId: '80351110224678912' };

describe.each(databaseTargets())('dashboard sign-in links and sessions on $name', (target) => {
  let database: Database;
  let now = 1_700_000_000_000;
  let s: ReturnType<typeof createWebSessions>;
  beforeEach(async () => {
    database = await target.open();
    now = 1_700_000_000_000;
    s = createWebSessions({ db: database.db, now: () => now });
  });
  afterAll(() => target.cleanup());

  it('a link signs in once; the session carries the user and a CSRF token; the database holds no token', async () => {
    const { token, expiresAt } = await s.createLink(ALICE);
    expect(expiresAt).toBe(now + LINK_TTL_MS);
    const r = await s.redeem(token);
    if (!r.ok) throw new Error(r.reason);
    expect(r.session).toMatchObject({ ...ALICE, expiresAt: now + SESSION_TTL_MS });
    expect(await s.session(r.token)).toMatchObject(ALICE);
    expect(csrfMatches(r.session, r.session.csrf)).toBe(true);
    expect(csrfMatches(r.session, `${r.session.csrf.slice(0, -1)}x`)).toBe(false);
    expect(csrfMatches(r.session, undefined)).toBe(false);
    const again = await s.redeem(token);
    expect(again).toEqual({ ok: false, reason: expect.stringContaining('already used') });
    const stored = JSON.stringify(await database.db.select().from(webSessions));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(r.token);
  });

  it('two browsers racing for one link: exactly one session', async () => {
    const { token } = await s.createLink(ALICE);
    const results = await Promise.all([s.redeem(token), s.redeem(token), s.redeem(token)]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
  });

  it('a link expires after 10 minutes; a session after its lifetime', async () => {
    const { token } = await s.createLink(ALICE);
    now += LINK_TTL_MS + 1;
    expect(await s.redeem(token)).toEqual({ ok: false, reason: expect.stringContaining('has expired') });
    const fresh = await s.createLink(ALICE);
    const r = await s.redeem(fresh.token);
    if (!r.ok) throw new Error(r.reason);
    now += SESSION_TTL_MS - 1;
    expect(await s.session(r.token)).toBeDefined();
    now += 2;
    expect(await s.session(r.token)).toBeUndefined();
  });

  it('/logout all revokes every session and unused link of that user only; garbage tokens are refused', async () => {
    const a1 = await s.redeem((await s.createLink(ALICE)).token);
    const a2 = await s.redeem((await s.createLink(ALICE)).token);
    const pending = await s.createLink(ALICE);
    const b1 = await s.redeem((await s.createLink(BOB)).token);
    if (!a1.ok || !a2.ok || !b1.ok) throw new Error('sign-in failed');
    expect(await s.revokeAll(ALICE)).toBe(3);
    expect(await s.session(a1.token)).toBeUndefined();
    expect(await s.session(a2.token)).toBeUndefined();
    expect(await s.redeem(pending.token)).toEqual({ ok: false, reason: expect.stringContaining('was revoked') });
    expect(await s.session(b1.token)).toMatchObject(BOB);
    expect(await s.revokeAll(ALICE)).toBe(0);
    expect(await s.session('nope')).toBeUndefined();
    expect(await s.redeem("' or 1=1 --")).toEqual({ ok: false, reason: expect.stringContaining('not valid') });
  });

  it('signing out ends that session only', async () => {
    const a1 = await s.redeem((await s.createLink(ALICE)).token);
    const a2 = await s.redeem((await s.createLink(ALICE)).token);
    if (!a1.ok || !a2.ok) throw new Error('sign-in failed');
    await s.logout(a1.token);
    expect(await s.session(a1.token)).toBeUndefined();
    expect(await s.session(a2.token)).toBeDefined();
  });
});
