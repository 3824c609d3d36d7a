/**
 * A configuration the program refuses: every problem, one line each (`NAME: got VALUE — what it
 * accepts`). Its own module so that reporting one (src/cli/report-error.ts) loads no schema.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
