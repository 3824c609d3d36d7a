import { AppError } from '../src/domain/errors.ts';
import type { BotServices } from './services.ts';

/**
 * Refuse a symbol the exchange does not list. The schema already guaranteed ASCII BASE/QUOTE; this
 * is the market-list half of the check, with a short list of what is available.
 */
export async function requireListedSymbol(services: BotServices, symbol: string): Promise<void> {
  const listed = await services.symbols();
  if (listed.includes(symbol)) return;
  const sample = listed.slice(0, 8).join(', ');
  throw new AppError('BAD_REQUEST', `${symbol} is not listed on this exchange${sample ? ` — e.g. ${sample}${listed.length > 8 ? ', …' : ''}` : ''}`);
}
