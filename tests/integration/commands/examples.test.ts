import { noMetrics } from '../../../src/ports/metrics.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs, parseCommandLine } from '../../../commands/args.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { BacktestRunView } from '../../../commands/services.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import type { BacktestRuntime } from '../../../src/app/build-backtests.ts';
import { startSimBacktests } from '../../support/sim-backtests.ts';
import { databaseTargets } from '../../support/databases.ts';
import { ADMIN, confirmationCodeOf, createHarness, type Harness, said } from './support/router-harness.ts';

const README = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

/** A usage line, not an example: placeholders (`SYMBOL`, `[N]`, `A|B`, `REASON…`). */
const isUsage = (line: string) => /[[\]|…]/.test(line) || line.split(/\s+/).slice(1).some((w) => /^[A-Z][A-Z_]+$/.test(w));

/** Every `/command …` in backticks in the README that names a real command and is an example, not a usage. */
function readmeExamples(): string[] {
  const out = new Set<string>();
  for (const m of README.matchAll(/`(\/[a-z_]+(?: [^`]*)?)`/g)) {
    const line = m[1]!.trim();
    const parsed = parseCommandLine(line);
    const command = COMMANDS.find((c) => c.name === parsed?.name);
    if (!command || isUsage(line)) continue;
    // A bare name of a command that needs arguments (`/buy`, `/backtest`) refers to it; it is no example.
    if (parsed!.rest.trim() === '' && !parseArgs(command, '').ok) continue;
    out.add(line);
  }
  return [...out];
}

/** Every example `/help COMMAND` shows (its "Examples:" line), read from the reply as a user sees it. */
async function helpExamples(h: Harness): Promise<string[]> {
  const out = new Set<string>();
  const list = said(await h.send(ADMIN, '/help'));
  const names = [...list.matchAll(/^\/([a-z_]+)/gm)].map((m) => m[1]!);
  expect(names.length).toBeGreaterThan(30);
  for (const name of names) {
    const text = said(await h.send(ADMIN, `/help ${name}`));
    const line = /^Examples: (.*)$/m.exec(text)?.[1];
    expect(line, `/help ${name} shows examples`).toBeDefined();
    for (const e of line!.split('  ·  ')) out.add(e.trim());
  }
  return [...out];
}

describe.each(databaseTargets().slice(0, 1))('every command example in README.md and /help ($name)', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = createHarness(await target.open(), { rateLimitPerMinute: 100_000 });
  });
  afterAll(() => target.cleanup());

  it('answers each without an error', async () => {
    const readme = readmeExamples();
    const help = await helpExamples(h);
    // The README's reference is generated from the same commands, and more examples are in its prose.
    expect(readme.length).toBeGreaterThanOrEqual(60);
    expect(help.length).toBeGreaterThanOrEqual(60);
    for (const example of new Set([...readme, ...help])) {
      let line = example;
      // A confirmation code is per request: answer one asked for just now.
      if (/^\/(confirm|cancel) /.test(line)) line = line.replace(/ \S+$/, ` ${confirmationCodeOf(await h.send(ADMIN, '/buy BTC/USDT 500'))}`);
      const reply = await h.send(ADMIN, line);
      expect(reply, line).toBeDefined();
      expect(reply!.tone, `${line} → ${said(reply)}`).not.toBe('error');
      expect(said(reply), line).not.toMatch(/^(Unknown command|Something went wrong)|usage: \//m);
    }
  }, 120_000);
});

describe('the /backtest examples run to the end on the default setup (simulated exchange)', () => {
  let runtime: BacktestRuntime;
  let close: (() => Promise<void>) | undefined;
  const jobs: Array<[string, number]> = [];
  beforeAll(async () => {
    ({ runtime, close } = await startSimBacktests(pino({ level: 'silent' }), {}, { ...noMetrics, backtestJob: (outcome, seconds) => void jobs.push([outcome, seconds]) }));
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  it('each finishes with a result', async () => {
    const backtest = COMMANDS.find((c) => c.name === 'backtest')!;
    const examples = [...new Set([...readmeExamples(), ...(backtest.examples ?? [])].filter((l) => l.startsWith('/backtest ')))];
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const line of examples) {
      const parsed = parseArgs(backtest, parseCommandLine(line)!.rest);
      if (!parsed.ok) throw new Error(`${line}: ${parsed.message}`);
      const a = parsed.value as { strategy: string; symbol: string; timeframe: string; from?: number; to?: number; params?: Record<string, unknown>; risk?: boolean };
      const done = new Promise<BacktestRunView>((res) => {
        const off = runtime.service.onUpdate((u) => {
          if (u.status === 'done' || u.status === 'failed') {
            off();
            res(u);
          }
        });
      });
      await runtime.service.enqueue({ strategy: a.strategy, symbol: a.symbol, timeframe: a.timeframe, from: a.from, to: a.to, params: a.params ?? {}, ...(a.risk ? { risk: true } : {}), requestedBy: { platform: 'console', userId: 'console' } });
      const run = await done;
      expect(run.error, line).toBeUndefined();
      expect(run.status, line).toBe('done');
      // risk=on runs through the bot's risk layer, and the result says what it did.
      // Counted once, by the process that announces the run.
      await expect.poll(() => jobs.length, { timeout: 5_000 }).toBe(examples.indexOf(line) + 1);
      expect(jobs.at(-1)![0]).toBe('ok');
      if (a.risk) expect(run.summary, line).toMatch(/Protections: .*\nPanic score: max [0-9.]+.*\nEntries denied by panic \(≥ 70\): \d+/);
      else expect(run.summary, line).not.toContain('Panic score');
    }
  }, 240_000);
});
