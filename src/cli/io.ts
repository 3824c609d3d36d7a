import type { Readable, Writable } from 'node:stream';

/** Streams a CLI command talks to; tests pass their own. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export const processIo = (): CliIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });

/** The environment a command configures itself from: process.env plus ./.env, or the test's own. */
export async function envOf(io: CliIo): Promise<Record<string, string | undefined>> {
  if (io.env !== process.env) return io.env;
  const { readEnv } = await import('../env-file.ts');
  return readEnv();
}
