import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../domain/errors.ts';
import { BUILT_IN_STRATEGIES } from './built-ins.ts';
import type { StrategyDefinition, StrategyInstance } from './strategy.ts';

export interface StrategyCatalog {
  list(): StrategyDefinition[];
  get(name: string): StrategyDefinition;
}

/**
 * Built-in strategies plus the files in `strategiesDir` (`<name>.ts|.js|.mjs`, default export or a
 * named `strategy` export implementing StrategyDefinition). A file that does not implement the API
 * is refused with a message saying what is missing.
 */
export async function loadStrategyCatalog(strategiesDir?: string): Promise<StrategyCatalog> {
  const byName = new Map<string, StrategyDefinition>();
  for (const s of BUILT_IN_STRATEGIES) byName.set(s.name, s);
  if (strategiesDir) {
    const dir = resolve(strategiesDir);
    if (!existsSync(dir)) throw new AppError('BAD_REQUEST', `STRATEGIES_DIR ${dir} does not exist`);
    for (const file of readdirSync(dir).sort()) {
      if (!/\.(ts|js|mjs)$/.test(file) || file.endsWith('.d.ts') || file.includes('.test.')) continue;
      const def = await loadStrategyFile(join(dir, file));
      if (byName.has(def.name)) throw new AppError('CONFLICT', `strategy "${def.name}" in ${file} clashes with another strategy of that name`);
      byName.set(def.name, def);
    }
  }
  return {
    list: () => [...byName.values()],
    get(name) {
      const s = byName.get(name);
      if (!s) throw new AppError('NOT_FOUND', `unknown strategy "${name}"; available: ${[...byName.keys()].join(', ')}`);
      return s;
    },
  };
}

export async function loadStrategyFile(path: string): Promise<StrategyDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new AppError('BAD_REQUEST', `strategy file ${path} failed to load: ${(err as Error).message}`);
  }
  const candidate = (mod.default ?? mod.strategy) as Partial<StrategyDefinition> | undefined;
  const problems = strategyProblems(candidate);
  if (problems.length > 0) {
    throw new AppError('BAD_REQUEST', `strategy file ${path} does not implement the strategy API: ${problems.join('; ')}`);
  }
  return candidate as StrategyDefinition;
}

function strategyProblems(s: Partial<StrategyDefinition> | undefined): string[] {
  if (!s || typeof s !== 'object') return ['export a StrategyDefinition as default export or as `strategy`'];
  const p: string[] = [];
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(s.name)) p.push('`name` must be a lowercase name with dashes');
  if (typeof s.description !== 'string') p.push('`description` must be a string');
  if (!s.params || typeof (s.params as { safeParse?: unknown }).safeParse !== 'function') p.push('`params` must be a zod schema');
  if (typeof s.warmup !== 'function') p.push('`warmup(params)` must be a function');
  if (typeof s.create !== 'function') p.push('`create(params)` must be a function');
  return p;
}

/** Validate parameters against the strategy's schema; errors name the parameter and what it accepts. */
export function parseStrategyParams<P extends Record<string, unknown>>(def: StrategyDefinition<P>, raw: Record<string, unknown>): P {
  const r = def.params.safeParse(raw);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    throw new AppError('BAD_REQUEST', `invalid parameters for ${def.name}: ${msg}`);
  }
  return r.data;
}

/** Create a strategy instance, checking that `create` returned something with the required methods. */
export function instantiate<P extends Record<string, unknown>>(def: StrategyDefinition<P>, params: P): StrategyInstance {
  const inst = def.create(params);
  if (!inst || typeof inst.prepare !== 'function' || typeof inst.onCandle !== 'function') {
    throw new AppError('BAD_REQUEST', `strategy ${def.name}: create() must return an object with prepare(candles) and onCandle(ctx)`);
  }
  return inst;
}
