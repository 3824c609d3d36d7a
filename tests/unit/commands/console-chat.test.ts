import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CommandRouter, InboundCommand } from '../../../commands/router-types.ts';
import type { BacktestRunView } from '../../../commands/services.ts';
import { CONSOLE_PROMPT, createConsoleChat } from '../../../src/adapters/chat/console.ts';

/** A router that echoes: enough to test the console's reading, ordering and rendering. */
function echoRouter(seen: InboundCommand[], delays: Record<string, number> = {}): CommandRouter {
  return {
    commands: [],
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

  it('shows progress and results of backtests started from the console only', async () => {
    const s = streams();
    let listener: ((run: BacktestRunView & { requestedBy?: { platform: string; userId: string } }) => void) | undefined;
    const backtests = {
      list: async () => [],
      get: async () => undefined,
      enqueue: async () => {
        throw new Error('not used');
      },
      onUpdate: (l: typeof listener) => {
        listener = l;
        return () => (listener = undefined);
      },
    };
    const chat = createConsoleChat({ router: echoRouter([]), input: s.input, output: s.output, logger, backtests: backtests as never });
    chat.start();
    const run = { id: 7, strategy: 's', symbol: 'BTC/USDT', timeframe: '1h', createdAt: 0, params: {}, requestedBy: { platform: 'console', userId: 'console' } };
    listener!({ ...run, status: 'running', progress: 0.41 });
    listener!({ ...run, status: 'running', progress: 0.45 });
    listener!({ ...run, status: 'running', progress: 0.52 });
    listener!({ ...run, id: 8, status: 'done', progress: 1, requestedBy: { platform: 'telegram', userId: '1' } });
    listener!({ ...run, status: 'done', progress: 1, summary: '+12% vs +8% buy & hold', chartPath: '/data/backtests/7/equity.png' });
    await chat.stop();
    expect(listener).toBeUndefined();
    expect(s.text()).toBe(
      ['Backtest #7: running 40%', 'Backtest #7: running 50%', 'Backtest #7 done: +12% vs +8% buy & hold', '[image] equity chart: /data/backtests/7/equity.png', ''].join('\n'),
    );
  });
});
