import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isLoopbackHost } from '../adapters/http/routes/metrics-route.ts';
import { parseChatUsers } from '../../commands/users.ts';
import { CHAT_PLATFORMS } from '../chat-platforms.ts';
import { ConfigError, type Config } from '../config.ts';
import { loadStrategyCatalog, parseStrategyParams, type StrategyCatalog } from '../strategies/registry.ts';

export interface StartCheckResult {
  /** Things that work but deserve attention (printed by `tradeops config`, logged by `start`). */
  warnings: string[];
  catalog: StrategyCatalog;
}

/**
 * Every check `start` runs before it touches the database, and all of them `tradeops config` runs:
 * chat users, strategy name and parameters against the strategy's own schema, the replay file, the
 * exchange id (ccxt loaded only when the exchange is not the simulator). Every problem is collected
 * and thrown as one ConfigError naming the variable, the value and what is accepted.
 */
export async function checkBeforeStart(config: Config, loadCcxt?: () => Promise<{ exchangeIdProblem(id: string): string | undefined }>): Promise<StartCheckResult> {
  const problems: string[] = [];
  const warnings: string[] = [];
  try {
    parseChatUsers(config.CHAT_USERS, CHAT_PLATFORMS);
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems);
    else throw err;
  }

  let catalog: StrategyCatalog | undefined;
  try {
    catalog = await loadStrategyCatalog(config.STRATEGIES_DIR);
  } catch (err) {
    problems.push(`STRATEGIES_DIR: got ${JSON.stringify(config.STRATEGIES_DIR)} — ${(err as Error).message}; expected a folder of strategy files (.ts/.js)`);
  }
  if (catalog) {
    const names = catalog.list().map((s) => s.name);
    if (!names.includes(config.STRATEGY)) problems.push(`STRATEGY: got "${config.STRATEGY}" — not a known strategy; expected one of ${names.join(', ')}`);
    else {
      try {
        parseStrategyParams(catalog.get(config.STRATEGY), config.STRATEGY_PARAMS);
      } catch (err) {
        problems.push(`STRATEGY_PARAMS: got ${JSON.stringify(config.STRATEGY_PARAMS)} — ${(err as Error).message} (see \`/strategies\` or README for each strategy's parameters)`);
      }
    }
  }

  if (config.SIM_DATA) {
    const path = resolve(config.SIM_DATA);
    if (!existsSync(path)) problems.push(`SIM_DATA: got ${JSON.stringify(config.SIM_DATA)} — no such file (${path}); expected a candle file in any import-candles format (CSV or JSON)`);
    else if (!statSync(path).isFile()) problems.push(`SIM_DATA: got ${JSON.stringify(config.SIM_DATA)} — not a file; expected a candle file (CSV or JSON)`);
    else if (config.EXCHANGE !== 'sim') warnings.push(`SIM_DATA is set but EXCHANGE=${config.EXCHANGE}: the file is only replayed on the simulated exchange`);
  }

  if (config.EXCHANGE !== 'sim') {
    const ccxt = loadCcxt ? await loadCcxt() : await defaultCcxt();
    const problem = ccxt.exchangeIdProblem(config.EXCHANGE);
    if (problem) problems.push(problem);
  }

  if (!config.METRICS_TOKEN && !isLoopbackHost(config.HTTP_HOST)) warnings.push(`HTTP_HOST=${config.HTTP_HOST} binds beyond loopback and METRICS_TOKEN is not set: GET /metrics is open to anyone who can reach it`);

  if (problems.length > 0) throw new ConfigError(problems);
  return { warnings, catalog: catalog! };
}

async function defaultCcxt(): Promise<{ exchangeIdProblem(id: string): string | undefined }> {
  const { loadCcxt, exchangeIdProblem } = await import('../adapters/exchange/ccxt-client.ts');
  const mod = await loadCcxt();
  return { exchangeIdProblem: (id) => exchangeIdProblem(id, mod) };
}
