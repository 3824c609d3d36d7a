import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsoleChat } from '../../../src/adapters/chat/console/console-chat.ts';
import { databaseTargets } from '../../support/databases.ts';
import { createHarness } from './support/router-harness.ts';

describe.each(databaseTargets())('console chat through the real router on $name', (target) => {
  afterAll(() => target.cleanup());

  it('runs commands as the console admin, renders tables, and confirms by typing /confirm CODE', async () => {
    const h = createHarness(await target.open());
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    const chat = createConsoleChat({ router: h.router, input, output, logger: pino({ level: 'silent' }) });
    chat.start();
    input.write('status\n/balance\n/stop\n');
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/\/confirm ([A-Z2-9]{6})/);
    const code = /\/confirm ([A-Z2-9]{6})/.exec(out)![1]!;
    input.end(`/confirm ${code}\n/whoami\n`);
    await chat.done;
    expect(out).toContain('Status — paper');
    expect(out).toMatch(/Asset  +Free  In orders  +Total\n─+  ─+  ─+  ─+\nUSDT +7,900\.00 +0\.00 +7,900\.00/);
    expect(out).toContain(`[Confirm] /confirm ${code}   [Cancel] /cancel ${code}`);
    expect(out).toContain('Trading is HALTED');
    expect(out).toContain('Your id is console:console; your role is admin.');
    expect(h.services.calls.setTradingState).toEqual([{ state: 'HALTED', reason: 'stopped from chat', by: 'console:console' }]);
    const audit = await h.audit();
    expect(audit.map((r) => [r.platform, r.command, r.decision]).reverse()).toEqual([
      ['console', 'status', 'allowed'],
      ['console', 'balance', 'allowed'],
      ['console', 'stop', 'confirm_requested'],
      ['console', 'stop', 'confirmed'],
      ['console', 'whoami', 'allowed'],
    ]);
  });
});
