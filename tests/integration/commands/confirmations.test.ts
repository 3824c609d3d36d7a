import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../support/databases.ts';
import { ADMIN, ADMIN2, CONSOLE, confirmationCodeOf, createHarness, type Harness, said } from './support/router-harness.ts';

describe.each(databaseTargets())('confirmations on $name', (target) => {
  let h: Harness;
  beforeEach(async () => {
    h = createHarness(await target.open());
  });
  afterAll(() => target.cleanup());

  const decisions = async () => (await h.audit()).reverse().map((r) => [r.command, r.decision]);

  it('asks first, then runs on /confirm CODE from the same user', async () => {
    const ask = await h.send(ADMIN, '/stop maintenance window');
    expect(ask?.title).toBe('Confirm /stop?');
    expect(said(ask)).toContain('Trading goes from ACTIVE to HALTED');
    const code = confirmationCodeOf(ask);
    expect(ask?.buttons).toEqual([
      { label: 'Confirm', command: `/confirm ${code}`, style: 'danger' },
      { label: 'Cancel', command: `/cancel ${code}`, style: 'secondary' },
    ]);
    for (const b of ask!.buttons!) expect(Buffer.byteLength(b.command)).toBeLessThanOrEqual(64);
    expect(h.services.calls.setTradingState).toEqual([]);

    h.clock.advance(59_000);
    const done = await h.send(ADMIN, `/confirm ${code.toLowerCase()}`);
    expect(said(done)).toContain('Trading is HALTED');
    expect(h.services.calls.setTradingState).toEqual([{ state: 'HALTED', reason: 'maintenance window', by: 'telegram:1001' }]);
    const rows = await h.audit();
    expect(rows[0]).toMatchObject({ command: 'stop', decision: 'confirmed', role: 'admin', args: { code, reason: 'maintenance window' } });
    expect(rows[1]).toMatchObject({ command: 'stop', decision: 'confirm_requested', args: { code, reason: 'maintenance window' } });
  });

  it('refuses an expired code and audits it', async () => {
    const code = confirmationCodeOf(await h.send(ADMIN, '/stop'));
    h.clock.advance(60_001);
    const r = await h.send(ADMIN, `/confirm ${code}`);
    expect(said(r)).toBe(`Confirmation ${code} expired; send /stop again.`);
    expect(r?.tone).toBe('error');
    expect(said(await h.send(ADMIN, `/confirm ${code}`))).toContain('expired');
    expect(h.services.calls.setTradingState).toEqual([]);
    expect(await decisions()).toEqual([
      ['stop', 'confirm_requested'],
      ['stop', 'expired'],
      ['stop', 'expired'],
    ]);
  });

  it('is single-use, also when two taps race', async () => {
    const code = confirmationCodeOf(await h.send(ADMIN, '/stop'));
    const [a, b] = await Promise.all([h.send(ADMIN, `/confirm ${code}`), h.send(ADMIN, `/confirm ${code}`)]);
    const texts = [said(a), said(b)].sort();
    expect(texts[0]).toContain(`Confirmation ${code} was already used.`);
    expect(texts[1]).toContain('Trading is HALTED');
    expect(said(await h.send(ADMIN, `/confirm ${code}`))).toBe(`Confirmation ${code} was already used.`);
    expect(h.services.calls.setTradingState).toHaveLength(1);
    const d = await decisions();
    expect(d.filter(([, x]) => x === 'confirmed')).toHaveLength(1);
    expect(d.filter(([, x]) => x === 'refused')).toHaveLength(2);
  });

  it('is accepted only from the user who asked, on the same platform', async () => {
    const code = confirmationCodeOf(await h.send(ADMIN, '/stop'));
    expect(said(await h.send(ADMIN2, `/confirm ${code}`))).toBe(`Confirmation ${code} was asked for by someone else; only they can answer it.`);
    expect(said(await h.send(CONSOLE, `/confirm ${code}`))).toContain('someone else');
    expect(said(await h.send(ADMIN2, `/cancel ${code}`))).toContain('someone else');
    expect(h.services.calls.setTradingState).toEqual([]);
    // The refusals did not use the code up.
    expect(said(await h.send(ADMIN, `/confirm ${code}`))).toContain('Trading is HALTED');
    const rows = await h.audit();
    expect(rows.filter((r) => r.decision === 'refused').map((r) => [r.userId, r.platform])).toEqual([
      ['1002', 'telegram'],
      ['console', 'console'],
      ['1002', 'telegram'],
    ]);
  });

  it('cancels: the command never runs and the code is dead', async () => {
    const code = confirmationCodeOf(await h.send(ADMIN, '/stop'));
    expect(said(await h.send(ADMIN, `/cancel ${code}`))).toBe('Cancelled: /stop will not run.');
    expect(said(await h.send(ADMIN, `/confirm ${code}`))).toBe(`Confirmation ${code} was cancelled.`);
    expect(said(await h.send(ADMIN, `/cancel ${code}`))).toBe(`Confirmation ${code} was cancelled.`);
    expect(h.services.calls.setTradingState).toEqual([]);
    expect(await decisions()).toEqual([
      ['stop', 'confirm_requested'],
      ['stop', 'cancelled'],
      ['stop', 'refused'],
      ['stop', 'refused'],
    ]);
  });

  it('refuses unknown and malformed codes', async () => {
    expect(said(await h.send(ADMIN, '/confirm ZZZZZZ'))).toBe('No confirmation has the code ZZZZZZ.');
    expect(said(await h.send(ADMIN, '/confirm 12'))).toContain('CODE: expected the 6-character code');
    expect(said(await h.send(ADMIN, '/confirm'))).toContain('CODE is missing');
    expect(await decisions()).toEqual([
      ['confirm', 'refused'],
      ['confirm', 'invalid'],
      ['confirm', 'invalid'],
    ]);
  });

  it('works from the console like anywhere else', async () => {
    const code = confirmationCodeOf(await h.send(CONSOLE, 'stop'));
    expect(said(await h.send(CONSOLE, `confirm ${code}`))).toContain('Trading is HALTED');
    expect(h.services.calls.setTradingState[0]).toMatchObject({ by: 'console:console' });
  });
});
