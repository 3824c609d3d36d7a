import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from '../../../src/cli/io.ts';

/** A CliIo whose output is kept in memory; `tty` makes stdout claim to be a terminal. */
export interface TestIo extends CliIo {
  out(): string;
  err(): string;
}

export function testIo(env: Record<string, string | undefined>, options: { tty?: boolean } = {}): TestIo {
  let out = '';
  let err = '';
  const stdout = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  if (options.tty) {
    stdout.isTTY = true;
    stdout.columns = 120;
  }
  const stderr = new Writable({
    write(chunk, _enc, cb) {
      err += String(chunk);
      cb();
    },
  });
  return { stdin: new PassThrough(), stdout, stderr, env, out: () => out, err: () => err };
}
