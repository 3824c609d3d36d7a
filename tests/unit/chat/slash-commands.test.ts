import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../commands/command.ts';
import { choice, decimal, wholeNumber } from '../../../commands/arg-types.ts';
import { COMMANDS } from '../../../commands/index.ts';
import { buildSlashCommands, interactionToInput, optionName } from '../../../src/adapters/chat/discord/slash-commands.ts';

const noop = async () => ({ text: ['ok'] });

function command(name: string, args: z.ZodType, extra: Partial<Command> = {}): Command {
  return { name, description: `${name} command`, args, role: 'viewer', run: noop, ...extra };
}

describe('slash commands from zod schemas', () => {
  const commands: Command[] = [
    command('status', z.object({})),
    command('pnl', z.object({ period: z.enum(['day', 'week', 'month']).default('day').describe('period length'), count: z.coerce.number().int().min(1).max(90).default(7) }), {
      positional: ['period', 'count'],
    }),
    command(
      'backtest',
      z.object({
        strategy: z.string().min(1).max(64).describe('strategy name'),
        symbol: z.string(),
        timeframe: z.string(),
        from: z.string().optional(),
        dryRun: z.boolean().default(false),
        riskPct: z.number().positive().max(100).optional(),
        params: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
      }),
      { positional: ['strategy', 'symbol', 'timeframe', 'from'], slow: true },
    ),
    command('Bad Name!', z.object({})),
  ];
  const { definitions, mappings } = buildSlashCommands(commands);

  it('generates one definition per valid command name', () => {
    expect(definitions.map((d) => d.name)).toEqual(['status', 'pnl', 'backtest']);
    expect(definitions[0]).toEqual({ type: 1, name: 'status', description: 'status command', options: [] });
  });

  it('types options, takes choices from enums and descriptions from describe()', () => {
    const pnl = definitions[1];
    expect(pnl.options).toEqual([
      { type: 3, name: 'period', description: 'period length', required: false, choices: [{ name: 'day', value: 'day' }, { name: 'week', value: 'week' }, { name: 'month', value: 'month' }] },
      { type: 4, name: 'count', description: 'count', required: false, min_value: 1, max_value: 90 },
    ]);
  });

  it('puts required options first, keeps positional order, lowercases names', () => {
    const bt = definitions[2];
    expect(bt.options.map((o) => [o.name, o.type, o.required])).toEqual([
      ['strategy', 3, true],
      ['symbol', 3, true],
      ['timeframe', 3, true],
      ['from', 3, false],
      ['dry_run', 5, false],
      ['risk_pct', 10, false],
      ['params', 3, false],
    ]);
    expect(bt.options[0]).toMatchObject({ min_length: 1, max_length: 64, description: 'strategy name' });
    for (const o of bt.options) expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
    expect(optionName('fromDate')).toBe('from_date');
  });

  it('maps interaction options back to schema keys and a readable command line', () => {
    const input = interactionToInput(mappings.get('backtest')!, [
      { name: 'strategy', value: 'sma-cross' },
      { name: 'symbol', value: 'BTC/USDT' },
      { name: 'timeframe', value: '1h' },
      { name: 'dry_run', value: true },
      { name: 'params', value: 'fast=10 slow=30 mode=x' },
    ]);
    expect(input.options).toEqual({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', dryRun: true, params: { fast: 10, slow: 30, mode: 'x' } });
    expect(input.text).toBe('/backtest sma-cross BTC/USDT 1h dryRun=true params={"fast":10,"slow":30,"mode":"x"}');
  });

  it('types text-reading schemas by what they accept: whole numbers with bounds, decimals, word choices', () => {
    const c = command('probe', z.object({ n: wholeNumber(1, 366, 'how many'), x: decimal(0, 100, 'a share'), period: choice(['day', 'week', 'month'] as const, 'period:'), free: z.string().max(10) }), {
      positional: ['n', 'x', 'period', 'free'],
    });
    const [def] = buildSlashCommands([c]).definitions;
    expect(def.options.map((o) => [o.name, o.type])).toEqual([['n', 4], ['x', 10], ['period', 3], ['free', 3]]);
    expect(def.options[0]).toMatchObject({ min_value: 1, max_value: 366 });
    expect(def.options[2].choices!.map((ch) => ch.value)).toEqual(['day', 'week', 'month']);
    expect(def.options[3].choices).toBeUndefined();
  });

  it('builds valid definitions for every real command', () => {
    const { definitions } = buildSlashCommands(COMMANDS);
    expect(definitions.map((d) => d.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const d of definitions) {
      expect(d.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(d.description.length).toBeGreaterThan(0);
      expect(d.description.length).toBeLessThanOrEqual(100);
      expect(d.options.length).toBeLessThanOrEqual(25);
      const firstOptional = d.options.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(d.options.slice(firstOptional).every((o) => !o.required)).toBe(true);
      for (const o of d.options) {
        expect(o.description.length).toBeGreaterThan(0);
        expect(o.description.length).toBeLessThanOrEqual(100);
        expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
      }
    }
  });
});
