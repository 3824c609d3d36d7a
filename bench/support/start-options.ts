/**
 * The Node options `npm start` (and the Docker entry point) run the bot with, read from package.json:
 * a bench that starts the bot starts it as users do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function startNodeOptions(root: string): string[] {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /^node((?: --\S+)*) bin\/tradeops\.js start$/.exec(script);
  if (!m) throw new Error(`npm start is "${script}": not "node [OPTIONS] bin/tradeops.js start"`);
  return m[1]!.trim().split(' ').filter(Boolean);
}
