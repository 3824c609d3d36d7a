#!/usr/bin/env node
// The `tradeops` binary: checks the Node version, registers tsx (the sources are TypeScript, run as
// they are — no build step), then hands over to src/cli.ts.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`tradeops needs Node.js 22.12 or newer; this is ${process.version}. See .nvmrc.\n`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
