import { randomInt } from 'node:crypto';
import type { AuditDecision, ChatStore, ConfirmationRecord } from '../src/ports/chat-store.ts';
import { AppError } from '../src/domain/errors.ts';
import { validateArgs } from './args.ts';
import { type Caller, type Command, ROLE_RANK, type Role } from './command.ts';
import { type Execution, hasSensitive, redactArgs } from './execute.ts';
import type { Reply } from './reply.ts';

/** Unambiguous alphabet (no 0/O, 1/I): codes are read off a phone and typed. 32⁶ ≈ 10⁹. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;

/** What the router writes to the audit log for a /confirm or /cancel (instead of a row for the /confirm itself). */
export interface AuditOverride {
  command: string;
  args?: unknown;
  decision: AuditDecision;
  result: string;
}

export interface ConfirmationFlowDeps {
  store: ChatStore;
  now(): number;
  ttlMs: number;
  commands: readonly Command[];
  roleOf(caller: Caller): Role | undefined;
  /** Run a command for a caller (the router's executor: context, error handling). */
  run(command: Command, args: unknown, caller: Caller, role: Role): Promise<Execution>;
}

export function newConfirmationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * Confirmation of destructive commands. A request stores a single-use code bound to the user and
 * platform; `/confirm CODE` runs the command only if the code is pending, unexpired and the same
 * user's — the pending → confirmed compare-and-set in the database makes a double tap run it once.
 * Arguments marked `sensitive` never reach the table: they wait in memory (lost on restart, then the
 * user is asked to send the command again).
 */
export function createConfirmationFlow(deps: ConfirmationFlowDeps) {
  const held = new Map<string, { raw: Record<string, unknown>; expiresAt: number }>();

  async function request(command: Command, raw: Record<string, unknown>, what: string, caller: Caller): Promise<{ reply: Reply; code: string }> {
    const now = deps.now();
    for (const [c, h] of held) if (h.expiresAt < now) held.delete(c);
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = newConfirmationCode();
      const stored = redactArgs(command, raw);
      const ok = await deps.store.confirmations.insert({
        code,
        platform: caller.platform,
        userId: caller.userId,
        chatId: caller.chatId,
        command: command.name,
        args: stored,
        createdAt: now,
        expiresAt: now + deps.ttlMs,
      });
      if (!ok) continue;
      if (hasSensitive(command, raw)) held.set(code, { raw, expiresAt: now + deps.ttlMs });
      const seconds = Math.round(deps.ttlMs / 1000);
      return {
        code,
        reply: {
          title: `Confirm /${command.name}?`,
          text: [what, `Valid for ${seconds} s, only for you. Tap Confirm or send /confirm ${code}; /cancel ${code} drops it.`],
          buttons: [
            { label: 'Confirm', command: `/confirm ${code}`, style: 'danger' },
            { label: 'Cancel', command: `/cancel ${code}`, style: 'secondary' },
          ],
          tone: 'warning',
        },
      };
    }
    throw new AppError('UNAVAILABLE', 'could not create a confirmation code; try again');
  }

  /** Checks shared by confirm and cancel. A refusal comes back as the reply plus its audit line. */
  async function check(code: string, caller: Caller): Promise<{ rec: ConfirmationRecord } | { refusal: { reply: Reply; audit: AuditOverride } }> {
    const rec = await deps.store.confirmations.find(code);
    const refuse = (command: string, decision: AuditDecision, message: string) => ({
      refusal: { reply: { text: [message], tone: 'error' as const }, audit: { command, args: { code }, decision, result: message } },
    });
    if (!rec) return refuse('confirm', 'refused', `No confirmation has the code ${code}.`);
    if (rec.platform !== caller.platform || rec.userId !== caller.userId) {
      return refuse(rec.command, 'refused', `Confirmation ${code} was asked for by someone else; only they can answer it.`);
    }
    if (rec.status === 'confirmed') return refuse(rec.command, 'refused', `Confirmation ${code} was already used.`);
    if (rec.status === 'cancelled') return refuse(rec.command, 'refused', `Confirmation ${code} was cancelled.`);
    if (rec.status === 'expired' || deps.now() > rec.expiresAt) {
      if (rec.status === 'pending') await deps.store.confirmations.settle(code, 'expired');
      held.delete(code);
      return refuse(rec.command, 'expired', `Confirmation ${code} expired; send /${rec.command} again.`);
    }
    return { rec };
  }

  async function confirm(code: string, caller: Caller): Promise<{ reply: Reply; audit: AuditOverride }> {
    const checked = await check(code, caller);
    if ('refusal' in checked) return checked.refusal;
    const { rec } = checked;
    const auditArgs = { code, ...rec.args };
    if (!(await deps.store.confirmations.settle(code, 'confirmed'))) {
      const message = `Confirmation ${code} was already used.`;
      return { reply: { text: [message], tone: 'error' }, audit: { command: rec.command, args: auditArgs, decision: 'refused', result: message } };
    }
    const kept = held.get(code)?.raw;
    held.delete(code);
    const fail = (decision: AuditDecision, message: string) => ({
      reply: { text: [message], tone: 'error' as const },
      audit: { command: rec.command, args: auditArgs, decision, result: message },
    });
    const command = deps.commands.find((c) => c.name === rec.command);
    if (!command) return fail('failed', `/${rec.command} is no longer available.`);
    const role = deps.roleOf(caller);
    if (!role || ROLE_RANK[role] < ROLE_RANK[command.role]) return fail('refused', `/${command.name} needs the ${command.role} role.`);
    if (hasSensitive(command, rec.args) && !kept) return fail('failed', `The arguments of /${command.name} were not kept across a restart; send it again.`);
    const valid = validateArgs(command, kept ?? rec.args);
    if (!valid.ok) return fail('invalid', valid.message);
    const done = await deps.run(command, valid.value, caller, role);
    return {
      reply: done.reply,
      audit: { command: rec.command, args: auditArgs, decision: done.decision === 'allowed' ? 'confirmed' : done.decision, result: done.result },
    };
  }

  async function cancel(code: string, caller: Caller): Promise<{ reply: Reply; audit: AuditOverride }> {
    const checked = await check(code, caller);
    if ('refusal' in checked) return checked.refusal;
    const { rec } = checked;
    held.delete(code);
    if (!(await deps.store.confirmations.settle(code, 'cancelled'))) {
      const message = `Confirmation ${code} was already used.`;
      return { reply: { text: [message], tone: 'error' }, audit: { command: rec.command, args: { code }, decision: 'refused', result: message } };
    }
    const message = `Cancelled: /${rec.command} will not run.`;
    return { reply: { text: [message], tone: 'info' }, audit: { command: rec.command, args: { code, ...rec.args }, decision: 'cancelled', result: message } };
  }

  return { request, confirm, cancel };
}

export type ConfirmationFlow = ReturnType<typeof createConfirmationFlow>;
