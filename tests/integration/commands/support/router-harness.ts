import { desc } from 'drizzle-orm';
import pino from 'pino';
import { COMMANDS } from '../../../../commands/index.ts';
import type { Caller, Command } from '../../../../commands/command.ts';
import type { Reply } from '../../../../commands/reply.ts';
import { createCommandRouter } from '../../../../commands/router.ts';
import type { CommandRouter, InboundCommand } from '../../../../commands/router-types.ts';
import { chatUsers } from '../../../../commands/users.ts';
import type { Database } from '../../../../src/adapters/db/client.ts';
import { auditLog } from '../../../../src/adapters/db/schema.ts';
import { ManualClock } from '../../../../src/ports/clock.ts';
import { createFakeServices, FAKE_T0, type FakeServices } from '../../../support/fake-services.ts';
import { noMetrics } from '../../../../src/ports/metrics.ts';
import { createDbChatStore } from '../../../../src/adapters/db/chat-store.ts';

export const ADMIN: Caller = { platform: 'telegram', userId: '1001', chatId: '1001' };
export const ADMIN2: Caller = { platform: 'telegram', userId: '1002', chatId: '-100200' };
export const TRADER: Caller = { platform: 'discord', userId: '80351110224678912', chatId: '555' };
export const VIEWER: Caller = { platform: 'line', userId: 'U4af4980629abcdef0123456789abcdef', chatId: 'U4af4980629abcdef0123456789abcdef' };
export const STRANGER: Caller = { platform: 'telegram', userId: '999', chatId: '999' };
export const CONSOLE: Caller = { platform: 'console', userId: 'console', chatId: 'console' };

export interface Harness {
  router: CommandRouter;
  services: FakeServices;
  clock: ManualClock;
  database: Database;
  /** Send a line as `caller`. */
  send(caller: Caller, text: string, extra?: Partial<InboundCommand>): Promise<Reply | undefined>;
  audit(): Promise<Array<typeof auditLog.$inferSelect>>;
  /** Log lines written by the router (JSON), to check what was logged. */
  logs: string[];
  /** What the router reported to its metrics. */
  metrics: { limited: { replied: number; dropped: number } };
}

/** A router over the real commands, fake services, a manual clock and the given database. */
export function createHarness(database: Database, options: { rateLimitPerMinute?: number; commands?: readonly Command[] } = {}): Harness {
  const clock = new ManualClock(FAKE_T0);
  const services = createFakeServices(() => clock.now());
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => logs.push(s) });
  const users = chatUsers([
    { platform: 'telegram', userId: ADMIN.userId, role: 'admin' },
    { platform: 'telegram', userId: ADMIN2.userId, role: 'admin' },
    { platform: 'discord', userId: TRADER.userId, role: 'trader' },
    { platform: 'line', userId: VIEWER.userId, role: 'viewer' },
  ], { console: 'admin' });
  const metrics = { limited: { replied: 0, dropped: 0 } };
  const router = createCommandRouter({
    commands: options.commands ?? COMMANDS,
    services,
    store: createDbChatStore(database.db),
    logger,
    clock,
    users,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1000,
    alertChannels: ['telegram', 'discord', 'line'],
    metrics: { ...noMetrics, chatRateLimited: (_p, replied) => void (replied ? metrics.limited.replied++ : metrics.limited.dropped++) },
  });
  return {
    router,
    services,
    clock,
    database,
    logs,
    metrics,
    send: (caller, text, extra = {}) => router.handle({ caller, text, ...extra }),
    audit: () => database.db.select().from(auditLog).orderBy(desc(auditLog.id)),
  };
}

/** Everything a reply says, as one string (for `toContain`). */
export function said(reply: Reply | undefined): string {
  if (!reply) return '';
  return [reply.title ?? '', ...(reply.text ?? []), ...(reply.tables ?? []).flatMap((t) => [t.title ?? '', t.columns.join(' '), ...t.rows.map((r) => r.join(' '))]), ...(reply.buttons ?? []).map((b) => `${b.label} ${b.command}`)].filter((s) => s !== '').join('\n');
}

/** The code in a confirmation reply's Confirm button. */
export function confirmationCodeOf(reply: Reply | undefined): string {
  const button = reply?.buttons?.find((b) => b.label === 'Confirm');
  const m = /^\/confirm ([A-Z2-9]{6})$/.exec(button?.command ?? '');
  if (!m) throw new Error(`no confirmation in reply: ${said(reply)}`);
  return m[1]!;
}
