import { ConfigError } from '../config-error.ts';
import { isAppError } from '../domain/errors.ts';
import type { CliIo } from './io.ts';

/** Exit code 2 for what the user can fix (configuration, arguments, input files), 1 for the rest. */
export function reportCliError(err: unknown, io: CliIo): number {
  if (err instanceof ConfigError) {
    io.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (isAppError(err)) {
    io.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  const e = err as { code?: string; message?: string };
  if (e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}
