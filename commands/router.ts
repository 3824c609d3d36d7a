import { standbyRefusal } from './leader-only.ts';
import type { AlertChannel, AlertLevel } from '../src/alerts/alert.ts';
import { isAppError } from '../src/domain/errors.ts';
import { type Logger, scrubSecrets } from '../src/logger.ts';
import type { AuditDecision, ChatStore } from '../src/ports/chat-store.ts';
import { type MetricsRecorder, noMetrics } from '../src/ports/metrics.ts';
import type { Clock } from '../src/ports/clock.ts';
import { mapArgs, optionsToArgs, parseCommandLine, tokenize, validateArgs } from './args.ts';
import { type Caller, type Command, type CommandContext, ROLE_RANK, type Role } from './command.ts';
import { type AuditOverride, createConfirmationFlow } from './confirmation-flow.ts';
import { clip, execute, type Execution, failure, redactArgs, summarize } from './execute.ts';
import { SlidingWindowLimiter } from './rate-limiter.ts';
import type { Reply } from './reply.ts';
import type { CommandRouter, InboundCommand } from './router-types.ts';
import { createChatOps } from './router-chat-ops.ts';
import type { BotServices } from './services.ts';
import type { ChatUsers } from './users.ts';

export interface RouterDeps {
  commands: readonly Command[];
  services: BotServices;
  /** Audit log, delivery ids, confirmations, alert settings (src/ports/chat-store.ts). */
  store: ChatStore;
  logger: Logger;
  clock: Clock;
  /** Parsed CHAT_USERS (commands/users.ts). */
  users: ChatUsers;
  /** COMMAND_RATE_LIMIT: commands per user per minute. */
  rateLimitPerMinute: number;
  confirmTtlMs?: number;
  /** Configured alert levels per type (shown and edited by /alerts). */
  alertDefaults?: Readonly<Record<string, AlertLevel>>;
  alertChannels?: readonly AlertChannel[];
  /** Counters for /metrics (commands by decision, rate limiting). */
  metrics?: MetricsRecorder;
}

const MINUTE = 60_000;

/** Audit decision → the metrics port's command outcome. */
const OUTCOME: Record<AuditDecision, string> = {
  allowed: 'ok',
  confirmed: 'ok',
  cancelled: 'ok',
  confirm_requested: 'confirm',
  refused: 'denied',
  expired: 'denied',
  invalid: 'invalid',
  rate_limited: 'rate_limited',
  failed: 'error',
};
/** Platforms redeliver for hours at most (Telegram 24 h); two days of ids is plenty. */
const DELIVERY_ID_RETENTION_MS = 2 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

interface Audit {
  command: string;
  args?: unknown;
  role?: Role;
  decision: AuditDecision;
  result: string;
}

/**
 * The command core every transport calls: dedupe → identify → rate-limit → find → authorise →
 * validate → confirm-or-run → audit. `handle` never throws; each outcome is a Reply (or undefined:
 * a duplicate delivery, or a stranger past the refusal limit) and one audit row.
 */
export function createCommandRouter(deps: RouterDeps): CommandRouter {
  const log = deps.logger.child({ component: 'commands' });
  const store = deps.store;
  const now = () => deps.clock.now();
  const byName = new Map(deps.commands.map((c) => [c.name, c]));
  const limiter = new SlidingWindowLimiter(deps.rateLimitPerMinute, MINUTE);
  const strangerRefusals = new SlidingWindowLimiter(1, MINUTE);
  const metrics = deps.metrics ?? noMetrics;
  /** Until when each rate-limited user has already been told to slow down (one reply per window). */
  const toldUntil = new Map<string, number>();
  let lastPrune = -Infinity;

  const context = (caller: Caller, role: Role | undefined, input: InboundCommand | undefined, scope: { override?: AuditOverride }): CommandContext => {
    const ctx: CommandContext = {
      caller,
      role,
      services: deps.services,
      logger: log,
      now,
      progress: input?.progress ?? (async () => {}),
      commands: deps.commands,
    };
    ctx.chatOps = createChatOps({
      store,
      now,
      alertDefaults: deps.alertDefaults,
      alertChannels: deps.alertChannels,
      async confirm(code) {
        const r = await flow.confirm(code, caller);
        scope.override = r.audit;
        return r.reply;
      },
      async cancel(code) {
        const r = await flow.cancel(code, caller);
        scope.override = r.audit;
        return r.reply;
      },
    });
    return ctx;
  };

  const flow = createConfirmationFlow({
    store,
    now,
    ttlMs: deps.confirmTtlMs ?? 60_000,
    commands: deps.commands,
    roleOf: (caller) => deps.users.roleOf(caller),
    run: (command, args, caller, role): Promise<Execution> => execute(command, context(caller, role, undefined, {}), args),
  });

  async function audit(input: InboundCommand, started: number, a: Audit): Promise<void> {
    metrics.command(input.caller.platform, a.command, OUTCOME[a.decision]);
    try {
      await store.audit.insert({
        ts: started,
        platform: input.caller.platform,
        userId: input.caller.userId,
        chatId: input.caller.chatId,
        command: clip(a.command, 64),
        args: a.args,
        role: a.role,
        decision: a.decision,
        result: clip(a.result),
        durationMs: now() - started,
      });
    } catch (err) {
      log.error({ err, command: a.command, decision: a.decision }, 'audit row not written');
    }
  }

  async function prune(at: number): Promise<void> {
    if (at - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = at;
    try {
      await store.deliveries.prune(at - DELIVERY_ID_RETENTION_MS);
      await store.confirmations.prune(at - DELIVERY_ID_RETENTION_MS);
    } catch (err) {
      log.warn({ err }, 'pruning chat_updates/confirmations failed');
    }
  }

  async function handle(input: InboundCommand): Promise<Reply | undefined> {
    const started = now();
    const { caller } = input;
    if (input.deliveryId !== undefined) {
      if (!(await store.deliveries.record(caller.platform, clip(input.deliveryId, 128), started))) {
        log.debug({ platform: caller.platform, deliveryId: input.deliveryId }, 'duplicate delivery ignored');
        return undefined;
      }
      await prune(started);
    }
    const role = deps.users.roleOf(caller);
    const line = parseCommandLine(input.text);
    const command = line ? byName.get(line.name) : undefined;
    const typed = line?.name ?? clip(input.text.trim().split(/\s+/, 1)[0] ?? '', 32);
    const userKey = `${caller.platform}:${caller.userId}`;

    if (role === undefined && !command?.public) {
      const first = strangerRefusals.take(userKey, started).ok;
      await audit(input, started, { command: typed || '(empty)', decision: 'refused', result: first ? 'unknown user' : 'unknown user (not answered)' });
      if (!first) return undefined;
      return {
        text: [`You are not on this bot's allow-list. Your id is ${userKey} — ask an admin to add it to CHAT_USERS.`],
        tone: 'error',
      };
    }

    if (caller.platform !== 'console') {
      const rate = limiter.take(userKey, started);
      if (!rate.ok) {
        // One answer and one audit row per user per window: a flood must not become a flood of
        // replies (the platform would rate-limit the bot) and of audit rows (the table would grow).
        if ((toldUntil.get(userKey) ?? -Infinity) > started) {
          metrics.chatRateLimited(caller.platform, false);
          return undefined;
        }
        for (const [k, until] of toldUntil) if (until <= started) toldUntil.delete(k);
        toldUntil.set(userKey, started + rate.retryInMs);
        metrics.chatRateLimited(caller.platform, true);
        const seconds = Math.ceil(rate.retryInMs / 1000);
        await audit(input, started, { command: typed, role, decision: 'rate_limited', result: `over ${deps.rateLimitPerMinute}/min; further messages unanswered for ${seconds} s` });
        return { text: [`Slow down: at most ${deps.rateLimitPerMinute} commands a minute. Try again in ${seconds} s; until then messages are not answered.`], tone: 'warning' };
      }
    }

    if (!line || !command) {
      const message = line ? unknownCommandMessage(line.name, deps.commands, role) : 'That is not a command — send /help for the list.';
      await audit(input, started, { command: typed || '(empty)', role, decision: 'refused', result: 'unknown command' });
      return { text: [message], tone: 'error' };
    }

    if (!command.public && (role === undefined || ROLE_RANK[role] < ROLE_RANK[command.role])) {
      const message = `/${command.name} needs the ${command.role} role; you are ${role ?? 'not on the allow-list'}.`;
      await audit(input, started, { command: command.name, role, decision: 'refused', result: `needs ${command.role}` });
      return { text: [message], tone: 'error' };
    }

    let raw: Record<string, unknown>;
    try {
      raw = input.options ? optionsToArgs(command, input.options) : mapArgs(command, tokenize(line.rest));
    } catch (err) {
      const message = isAppError(err) ? err.message : 'the arguments could not be read';
      await audit(input, started, { command: command.name, args: { text: clip(scrubSecrets(line.rest), 200) }, role, decision: 'invalid', result: message });
      return { text: [message], tone: 'error' };
    }
    const valid = validateArgs(command, raw);
    const shown = redactArgs(command, raw);
    if (!valid.ok) {
      await audit(input, started, { command: command.name, args: shown, role, decision: 'invalid', result: valid.message });
      return { text: [valid.message], tone: 'error' };
    }

    const scope: { override?: AuditOverride } = {};
    const ctx = context(caller, role, input, scope);
    const standby = standbyRefusal(command, ctx);
    if (standby) {
      await audit(input, started, { command: command.name, args: shown, role, decision: standby.decision, result: standby.result });
      return standby.reply;
    }
    if (command.confirm) {
      try {
        const what = await command.confirm(valid.value, ctx);
        const { reply, code } = await flow.request(command, raw, what, caller);
        await audit(input, started, { command: command.name, args: { ...shown, code }, role, decision: 'confirm_requested', result: clip(what) });
        return reply;
      } catch (err) {
        const done = failure(err, command, ctx);
        await audit(input, started, { command: command.name, args: shown, role, decision: done.decision, result: done.result });
        return done.reply;
      }
    }

    const done = await execute(command, ctx, valid.value);
    const a: Audit = scope.override
      ? { ...scope.override, role }
      : { command: command.name, args: shown, role, decision: done.decision, result: done.result || summarize(done.reply) };
    await audit(input, started, a);
    return done.reply;
  }

  return {
    commands: deps.commands,
    knows: (caller) => deps.users.roleOf(caller) !== undefined,
    async handle(input) {
      try {
        return await handle(input);
      } catch (err) {
        // Only infrastructure can get here (the database refused the dedupe insert): answer generically.
        log.error({ err, platform: input.caller.platform, userId: input.caller.userId }, 'command handling failed');
        return { text: ['internal error — the details are in the log'], tone: 'error' };
      }
    },
  };
}

function unknownCommandMessage(name: string, commands: readonly Command[], role: Role | undefined): string {
  const visible = commands.filter((c) => c.public || (role !== undefined && ROLE_RANK[role] >= ROLE_RANK[c.role]));
  let best: { name: string; d: number } | undefined;
  for (const c of visible) {
    const d = editDistance(name, c.name);
    if (d <= 2 && (!best || d < best.d)) best = { name: c.name, d };
  }
  const shown = name.length > 32 ? `${name.slice(0, 32)}…` : name;
  return `Unknown command /${shown}.${best ? ` Did you mean /${best.name}?` : ''} Send /help for the list.`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
