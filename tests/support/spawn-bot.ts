import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childEnv } from './child-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** A real `tradeops` process (the built CLI through bin/tradeops.js) for end-to-end tests. */
export interface BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written so far to stdout and stderr. */
  stdout(): string;
  stderr(): string;
  /** Resolve with the first match of `pattern` in stdout at or after `from` (a stdout offset). */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  send(line: string): void;
  /** Send a signal and wait for the exit: code and how long it took. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tradeops-e2e-'));
}

export function spawnBot(args: string[], env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [join(ROOT, 'bin/tradeops.js'), ...args], { cwd: ROOT, env: childEnv(env), stdio: 'pipe' });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 20_000, from = 0) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const m = out.slice(from).match(pattern);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolvePromise(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}\n--- stdout ---\n${out.slice(-4000)}\n--- stderr ---\n${err.slice(-4000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
        void exited.then(() => {
          if (waiters.has(check)) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited while waiting for ${pattern}\n--- stdout ---\n${out.slice(-4000)}\n--- stderr ---\n${err.slice(-4000)}`));
          }
        });
      });
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      const t0 = Date.now();
      if (child.exitCode !== null) return { code: child.exitCode, ms: 0 };
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 2_000);
      const code = await exited;
      clearTimeout(timer);
      return { code, ms: Date.now() - t0 };
    },
  };
}
