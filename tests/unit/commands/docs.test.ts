import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsMarkdown, commandsTable } from '../../../commands/describe.ts';
import { COMMANDS, describeCommands } from '../../../commands/index.ts';

const root = resolve(import.meta.dirname, '../../..');
const read = (p: string) => readFileSync(resolve(root, p), 'utf8');

describe('command documentation', () => {
  it('describes every command with usage, role, description and an example', () => {
    const described = describeCommands();
    expect(described.map((d) => d.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(new Set(described.map((d) => d.name)).size).toBe(described.length);
    for (const d of described) {
      expect(d.description.length, d.name).toBeGreaterThan(10);
      expect(d.usage.startsWith(`/${d.name}`)).toBe(true);
      expect(d.examples.length, `${d.name} has an example`).toBeGreaterThan(0);
      for (const a of d.args) expect(a.accepts, `${d.name} ${a.key} says what it accepts`).not.toBe('');
    }
  });

  it('docs/commands.md holds the generated reference (regenerate after changing a command)', () => {
    const doc = read('docs/commands.md');
    const m = /<!-- commands:start -->\n([\s\S]*)<!-- commands:end -->/.exec(doc);
    expect(m, 'reference markers').not.toBeNull();
    expect(m![1]!.trim()).toBe(commandsMarkdown(describeCommands()).trim());
  });

  it("README's command reference lists every command", () => {
    const readme = read('README.md');
    const missing = COMMANDS.map((c) => c.name).filter((name) => !new RegExp(`/${name}\\b`).test(readme));
    expect(missing, 'commands missing from README.md (run npm run docs:generate)').toEqual([]);
    expect(readme).toContain(commandsTable(describeCommands()));
  });
});
