import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { backtestFollowUp } from '../../../commands/backtest-follow-up.ts';
import type { CommandRouter, InboundCommand } from '../../../commands/router-types.ts';
import type { BacktestRunView } from '../../../commands/services.ts';
import { CONSOLE_PROMPT, createConsoleChat } from '../../../src/adapters/chat/console/console-chat.ts';
import { createFakeServices } from '../../support/fake-services.ts';

/** A router that echoes: enough to test the console's reading, ordering and rendering. */
function echoRouter(seen: InboundCommand[], delays: Record<string, number> = {}): CommandRouter {
  return {
    commands: [],
    knows: () => true,
    async handle(input) {
      seen.push(input);
      await new Promise((r) => setTimeout(r, delays[input.text] ?? 0));
      if (input.text === '/quiet') return undefined;
      if (input.text === '/slow') await input.progress?.('half way');
      return { title: `got ${input.text}`, tables: [{ columns: ['k', 'v'], rows: [['n', 1]] }] };
    },
  };
}

function streams() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (d: Buffer) => (written += d.toString()));
  return { input, output, text: () => written };
}

const logger = pino({ level: 'silent' });

describe('console chat', () => {
  it('sends each line as the console admin and prints replies in order, without a prompt when piped', async () => {
    const seen: InboundCommand[] = [];
    const s = streams();
    const chat = createConsoleChat({ router: echoRouter(seen, { '/first': 20 }), input: s.input, output: s.output, logger });
    chat.start();
    s.input.end('/first\n\n   \n/quiet\n/slow\nstatus\n');
    await chat.done;
    expect(seen.map((i) => i.text)).toEqual(['/first', '/quiet', '/slow', 'status']);
    expect(seen[0]!.caller).toEqual({ platform: 'console', userId: 'console', chatId: 'console', displayName: 'console' });
    expect(s.text()).toBe(
      ['got /first', '', 'k  v', '─  ─', 'n  1', '… half way', 'got /slow', '', 'k  v', '─  ─', 'n  1', 'got status', '', 'k  v', '─  ─', 'n  1', ''].join('\n'),
    );
    expect(s.text()).not.toContain(CONSOLE_PROMPT);
  });

  it('prompts when interactive', async () => {
    const s = streams();
    const chat = createConsoleChat({ router: echoRouter([]), input: s.input, output: s.output, logger, interactive: true });
    chat.start();
    s.input.write('/a\n');
    await new Promise((r) => setTimeout(r, 20));
    await chat.stop();
    expect(s.text().indexOf(CONSOLE_PROMPT)).toBeLessThan(s.text().indexOf('got /a'));
    expect(s.text()).toContain(`got /a`);
    expect(s.text().match(/tradeops> /g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('shows the follow-up job of a reply (backtest progress, then its result) after the answer', async () => {
    const s = streams();
    const services = createFakeServices();
    const run: BacktestRunView = { id: 7, status: 'queued', strategy: 's', symbol: 'BTC/USDT', timeframe: '1h', createdAt: 0, progress: 0, params: {} };
    const router: CommandRouter = {
      commands: [],
      knows: () => true,
      async handle() {
        return { title: 'Backtest #7 queued', followUp: backtestFollowUp(services.backtests, run) };
      },
    };
    const chat = createConsoleChat({ router, input: s.input, output: s.output, logger, minEditIntervalMs: 0 });
    chat.start();
    s.input.write('/backtest s BTC/USDT 1h\n');
    await vi.waitFor(() => expect(s.text()).toContain('Backtest #7 queued'));
    services.emitBacktestUpdate({ ...run, status: 'running', progress: 0.41 });
    await vi.waitFor(() => expect(s.text()).toContain('running 41%'));
    // Another run's updates are not this job's.
    services.emitBacktestUpdate({ ...run, id: 8, status: 'done', progress: 1 });
    services.emitBacktestUpdate({ ...run, status: 'done', progress: 1, summary: '+12% vs +8% buy & hold', metrics: { returnPct: 12 } });
    await vi.waitFor(() => expect(s.text()).toContain('+12% vs +8% buy & hold'));
    await chat.stop();
    const text = s.text();
    expect(text.indexOf('Backtest #7 queued')).toBeLessThan(text.indexOf('running 41%'));
    expect(text.indexOf('running 41%')).toBeLessThan(text.indexOf('Backtest #7: s BTC/USDT 1h done'));
    expect(text).not.toContain('#8');
  });
});
