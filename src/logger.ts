import pino, { type Logger, type LoggerOptions, type DestinationStream } from 'pino';
import { createRequire } from 'node:module';

export type { Logger } from 'pino';

/**
 * Paths pino redacts wherever they appear in a log object (wildcards match one level, so the common
 * nestings are listed). Secrets *inside strings* (a bot token in a URL, a signature in an exchange
 * error) are not reachable by paths: `scrubSecrets` rewrites every string through the serializers
 * and formatters below.
 */
export const REDACT_PATHS = [
  'apiKey', 'secret', 'password', 'token', 'authorization', 'signature',
  '*.apiKey', '*.secret', '*.password', '*.token', '*.authorization', '*.Authorization', '*.signature',
  '*.*.apiKey', '*.*.secret', '*.*.password', '*.*.token', '*.*.authorization', '*.*.Authorization',
  'headers.authorization', 'headers["x-mbx-apikey"]', 'headers["x-line-signature"]', 'headers["x-signature-ed25519"]',
  'headers["x-telegram-bot-api-secret-token"]', 'config.EXCHANGE_API_KEY', 'config.EXCHANGE_API_SECRET',
  'config.EXCHANGE_API_PASSWORD', 'config.TELEGRAM_BOT_TOKEN', 'config.DISCORD_BOT_TOKEN', 'config.LINE_CHANNEL_SECRET',
  'config.LINE_CHANNEL_ACCESS_TOKEN', 'config.TELEGRAM_WEBHOOK_SECRET', 'config.DATABASE_URL',
];

const STRING_PATTERNS: Array<[RegExp, string]> = [
  [/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot[REDACTED]'],
  [/\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g, '[REDACTED]'], // bare Telegram tokens
  [/([?&](?:signature|apiKey|api_key|key|token|sign|secret)=)[^&\s"']+/gi, '$1[REDACTED]'],
  [/(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{16,}/g, '$1 [REDACTED]'],
  [/(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g, '$1[REDACTED]@'],
];

/** Known secret values (from config) registered at start; any occurrence in a log line is replaced. */
const knownSecrets = new Set<string>();

export function registerSecrets(values: Array<string | undefined>): void {
  for (const v of values) if (v && v.length >= 6) knownSecrets.add(v);
}

export function scrubSecrets(text: string): string {
  let out = text;
  for (const s of knownSecrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
  for (const [re, rep] of STRING_PATTERNS) out = out.replace(re, rep);
  return out;
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubSecrets(value.message), stack: value.stack ? scrubSecrets(value.stack) : undefined, code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

export interface LoggerSettings {
  level: string;
  format?: 'json' | 'pretty';
  destination?: DestinationStream;
  /** A second destination that keeps recent lines in memory (`/logs`): src/log-ring.ts. */
  ring?: { stream: NodeJS.WritableStream };
}

/**
 * pino-pretty (30-odd modules) is loaded only when pretty output is wanted: a bot in a container or
 * under a service manager writes JSON and never needs it.
 */
function loadPinoPretty(): typeof import('pino-pretty') {
  return createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
}

/** The process logger; components take `logger.child({ component })`. */
export function createLogger(settings: LoggerSettings): Logger {
  const pretty = settings.format ? settings.format === 'pretty' : Boolean(process.stdout.isTTY);
  const options: LoggerOptions = {
    level: settings.level,
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: { err: (e: unknown) => scrubDeep(e), error: (e: unknown) => scrubDeep(e) },
    formatters: { log: (obj) => scrubDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  const main: DestinationStream = settings.destination
    ?? (pretty
      // In-process pretty stream (no worker thread): simpler shutdown, nothing lost on exit.
      ? loadPinoPretty()({ colorize: Boolean(process.stderr.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: 2, sync: true })
      // Logs go to stderr so stdout stays for command output (console chat, --json).
      : pino.destination({ fd: 2, sync: false }));
  if (!settings.ring || settings.level === 'silent') return pino(options, main);
  // Each stream of a multistream filters at its own level (default info): give both the logger's.
  const level = settings.level as pino.Level;
  return pino(options, pino.multistream([{ level, stream: main }, { level, stream: settings.ring.stream as DestinationStream }]));
}
