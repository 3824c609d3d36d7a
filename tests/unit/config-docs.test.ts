import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEnvExample, renderEnvMarkdown } from '../../src/cli/config-command.ts';

const root = new URL('../../', import.meta.url);

describe('configuration documentation', () => {
  it('.env.example is exactly what `tradeops config --example` prints', () => {
    expect(readFileSync(new URL('.env.example', root), 'utf8')).toBe(renderEnvExample());
  });
  it("README's configuration reference lists every variable as the schema documents it", () => {
    expect(readFileSync(new URL('README.md', root), 'utf8')).toContain(renderEnvMarkdown());
  });
});
