#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2 --v8-pool-size=1
// The `tradeops` binary: checks the Node version, then runs the JavaScript built once from the
// TypeScript sources (dist/, made by `npm run build` — `prepare` runs it on `npm ci`, the Docker
// image runs it in its build stage). No transpiler runs at run time.
// The first line gives the installed command what `npm start` and the Docker image run with (a
// small young generation, one V8 worker thread, two malloc arenas: V8 and glibc read them when the
// process starts, so only the command line can), in the same process: `env -S` (coreutils ≥ 8.30,
// macOS, FreeBSD) splits the line; npm's Windows shims (cmd-shim) read the variable and the options
// from it. `node bin/tradeops.js` runs without them; BusyBox `env` (Alpine) has no `-S`.
import { existsSync, readFileSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`tradeops needs Node.js 22.12 or newer; this is ${process.version}. See .nvmrc.\n`);
  process.exit(1);
}
const first = process.argv[2];
if (first === '--version' || first === '-v') {
  // Answered here, before loading anything else: `tradeops --version` costs one Node start.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const cli = new URL('../dist/src/cli.js', import.meta.url);
  if (!existsSync(cli)) {
    process.stderr.write('tradeops is not built: run `npm run build` (npm ci runs it through `prepare`).\n');
    process.exit(1);
  }
  // V8's code cache for the built modules (dist/src/cli/compile-cache.js), turned on before they
  // load. Not here for the bot (`start`, also the command when none or an option comes first): Node
  // keeps every module's cache in memory for the life of the process, so the bot turns it on itself,
  // for the embedded database only, once it knows which database it has.
  const startsBot = first === undefined || first === 'start' || first.startsWith('-');
  if (!startsBot) (await import(new URL('../dist/src/cli/compile-cache.js', import.meta.url).href)).enableCompileCache();
  const { main } = await import(cli.href);
  process.exitCode = await main(process.argv.slice(2));
}
