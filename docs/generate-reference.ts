/**
 * `npm run docs:generate`: regenerate the parts of the docs that are derived from code —
 * .env.example and README's configuration reference (src/config-docs.ts), README's command table
 * and docs/commands.md's reference (commands/). Tests fail when these drift from the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { commandsMarkdown, commandsTable } from '../commands/describe.ts';
import { describeCommands } from '../commands/index.ts';
import { renderEnvExample, renderEnvMarkdown } from '../src/cli/config-command.ts';

const root = resolve(import.meta.dirname, '..');
const file = (p: string) => resolve(root, p);

function replaceBetween(text: string, start: string, end: string, body: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`markers ${start} … ${end} not found`);
  return text.slice(0, a + start.length) + body + text.slice(b);
}

writeFileSync(file('.env.example'), renderEnvExample());

let readme = readFileSync(file('README.md'), 'utf8');
readme = replaceBetween(readme, '<!-- CONFIG-TABLE:START -->', '<!-- CONFIG-TABLE:END -->', `\n${renderEnvMarkdown()}`);
readme = replaceBetween(readme, '<!-- COMMAND-TABLE:START -->', '<!-- COMMAND-TABLE:END -->', `\n${commandsTable(describeCommands())}`);
writeFileSync(file('README.md'), readme);

const commandsDoc = readFileSync(file('docs/commands.md'), 'utf8');
writeFileSync(file('docs/commands.md'), replaceBetween(commandsDoc, '<!-- commands:start -->', '<!-- commands:end -->', `\n${commandsMarkdown(describeCommands())}`));
process.stdout.write('regenerated .env.example, README.md references, docs/commands.md reference\n');
