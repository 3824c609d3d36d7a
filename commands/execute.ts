import type { AuditDecision } from '../src/ports/chat-store.ts';
import { isAppError, publicMessage } from '../src/domain/errors.ts';
import { CONTROL_CHARS } from './arg-types.ts';
import { scrubSecrets } from '../src/logger.ts';
import type { Command, CommandContext } from './command.ts';
import { standbyRefusal } from './leader-only.ts';
import type { Execution } from './execution.ts';
import { reply as R, type Reply } from './reply.ts';

export type { Execution } from './execution.ts';

const MAX_RESULT = 300;

/**
 * Run a handler and classify the outcome. An AppError is the user's answer (bad request → `invalid`,
 * forbidden → `refused`, the rest → `failed`); anything else is a bug or an outage: logged with its
 * context, answered with the generic line, never with its message (it may carry internals).
 */
export async function execute<C extends Command>(command: C, ctx: CommandContext, args: unknown): Promise<Execution> {
  // Checked here too (not only before a confirmation prompt): the process may have become a standby
  // between the prompt and the Confirm.
  const standby = standbyRefusal(command, ctx);
  if (standby) return standby;
  try {
    const reply = await command.run(ctx, args as never);
    return { reply, decision: 'allowed', result: summarize(reply) };
  } catch (err) {
    return failure(err, command, ctx);
  }
}

/** The answer and audit line for an error thrown while handling `command`. */
export function failure(err: unknown, command: Command, ctx: CommandContext): Execution {
  if (isAppError(err)) {
    const decision: AuditDecision = err.code === 'BAD_REQUEST' ? 'invalid' : err.code === 'FORBIDDEN' ? 'refused' : 'failed';
    return { reply: R.error(err.message), decision, result: clip(`${err.code}: ${err.message}`) };
  }
  ctx.logger.error({ err, command: command.name, platform: ctx.caller.platform, userId: ctx.caller.userId, chatId: ctx.caller.chatId }, 'command failed');
  return { reply: R.error(publicMessage(err)), decision: 'failed', result: 'internal error' };
}

/** A reply in one line: its title, else its first paragraph, else its first table's title. */
export function summarize(reply: Reply | undefined): string {
  if (!reply) return '';
  const first = reply.title ?? reply.text?.[0] ?? reply.tables?.[0]?.title ?? (reply.tables?.length ? `${reply.tables[0]!.rows.length} rows` : 'ok');
  return clip(first.replace(/\s+/g, ' '));
}

/**
 * Arguments as they may be stored (audit log, confirmations table): the command's `sensitive` keys
 * replaced, and every string passed through the logger's secret scrubber as a second line of defence
 * (a token pasted into a free-text reason).
 */
export function redactArgs(command: Command | undefined, raw: Record<string, unknown>): Record<string, unknown> {
  const hidden = new Set(command?.sensitive ?? []);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (hidden.has(k)) out[k] = '[REDACTED]';
    else if (typeof v === 'string') out[k] = storable(scrubSecrets(v));
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = redactArgs(undefined, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/** Whether any sensitive key is present (such arguments are never written to the database). */
export function hasSensitive(command: Command, raw: Record<string, unknown>): boolean {
  return (command.sensitive ?? []).some((k) => raw[k] !== undefined);
}

/** Clip and make storable (no control characters: Postgres refuses NUL in text and jsonb). */
export function clip(s: string, max = MAX_RESULT): string {
  const t = storable(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Control and invisible characters replaced by U+FFFD, so any user text can be stored and shown. */
export function storable(s: string): string {
  return s.replace(new RegExp(CONTROL_CHARS.source, 'gu'), '\uFFFD');
}
