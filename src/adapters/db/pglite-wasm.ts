import { readFileSync } from 'node:fs';

/** The global WebAssembly API (the project compiles without the DOM library, which declares it). */
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

let compiling: Promise<WebAssembly.Module> | undefined;

/**
 * PGlite's PostgreSQL WebAssembly module (~9 MB), read and compiled once per process. V8 compiles
 * a module asynchronously on its background thread, so `tradeops start` begins this before it loads
 * the bot's modules (src/cli/start.ts) and the two overlap instead of the compile waiting for the
 * main thread's module loading to finish; openDatabase hands the result to PGlite
 * (`pgliteWasmModule`) instead of letting it read and compile the same file itself. Rejects when the
 * file cannot be read or compiled (openDatabase then leaves it to PGlite, which reports the problem).
 */
export function compilePgliteWasm(): Promise<WebAssembly.Module> {
  if (!compiling) {
    // Read at once (a few ms from the page cache): an asynchronous read comes back in 512 KiB pieces,
    // each waiting for the main thread, which is busy loading modules — the compile started ~150 ms later.
    compiling = new Promise<Uint8Array>((resolve) => resolve(readFileSync(new URL('./pglite.wasm', import.meta.resolve('@electric-sql/pglite'))))).then((bytes) => wasmApi.compile(bytes));
    // Started early and awaited later (or never, when the start fails before the database): not an unhandled rejection.
    compiling.catch(() => undefined);
  }
  return compiling;
}
