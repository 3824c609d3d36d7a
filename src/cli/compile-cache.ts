import module from 'node:module';

/**
 * Node's compile cache: V8's code cache of the built modules, kept on disk (NODE_COMPILE_CACHE, by
 * default the temp folder), so a later start skips compiling what did not change (0.04–0.1 s of
 * CPU for the bot). Node also keeps every loaded module's cache entry in memory until the process
 * exits (~3 MiB for the bot), which is why the bot on PostgreSQL runs without it
 * (docs/performance.md, "Resident memory on PostgreSQL"). bin/tradeops.js turns it on (through
 * this function) for every other command.
 */
export function enableCompileCache(): void {
  try {
    module.enableCompileCache?.();
  } catch {
    // an unwritable cache folder only costs speed
  }
}

/**
 * Whether the bot keeps the compile cache: on the embedded database, whose ready time it serves
 * (PGlite's own start dominates its memory); not on PostgreSQL, where its entries would be ~3 % of
 * the process for the life of the process.
 */
export function compileCacheForBot(config: { DATABASE_URL?: string }): boolean {
  return !config.DATABASE_URL;
}
