import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.ts';
import { envOf, type CliIo } from './io.ts';

export const DASHBOARD_LINK_HELP = `Usage: tradeops dashboard-link [--user PLATFORM:ID]

Print a one-time sign-in link to the web dashboard (valid 10 minutes), for a user on the allow-list
(CHAT_USERS) with that user's role. The default user is the console, which is admin.

  --user PLATFORM:ID   telegram:123456789, discord:…, line:U…, or console (default)
  -h, --help           show this help

The link points at PUBLIC_URL (or http://HTTP_HOST:HTTP_PORT). It needs the bot's database: with
PostgreSQL (DATABASE_URL) run it any time; with the embedded database, which one process at a time
can open, type /dashboard in the running bot's console instead.
`;

export async function runDashboardLinkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { user: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    io.stdout.write(DASHBOARD_LINK_HELP);
    return 0;
  }
  const { loadConfig } = await import('../config.ts');
  const config = loadConfig(await envOf(io));
  if (!config.DASHBOARD) throw new AppError('UNAVAILABLE', 'the web dashboard is turned off (DASHBOARD=false)');
  const raw = values.user ?? 'console:console';
  const m = /^([a-z]+):(.+)$/.exec(raw === 'console' ? 'console:console' : raw);
  if (!m) throw new AppError('BAD_REQUEST', `--user "${raw}" is not PLATFORM:ID (e.g. telegram:123456789, or console)`);
  const who = { platform: m[1]!, userId: m[2]! };
  const { parseChatUsers } = await import('../../commands/users.ts');
  const { CHAT_PLATFORMS } = await import('../chat-platforms.ts');
  const role = parseChatUsers(config.CHAT_USERS, CHAT_PLATFORMS).roleOf({ platform: 'web', userId: `${who.platform}:${who.userId}` });
  if (!role) throw new AppError('FORBIDDEN', `${who.platform}:${who.userId} is not on the allow-list (CHAT_USERS); add it with a role first`);
  const { openDatabase } = await import('../adapters/db/client.ts');
  const { migrate } = await import('../adapters/db/migrate.ts');
  const { createDashboardAccess, createWebSessions } = await import('../adapters/http/dashboard/sessions.ts');
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir, maxConnections: 2 });
  try {
    await migrate(database);
    const base = config.PUBLIC_URL ?? `http://${config.HTTP_HOST === '0.0.0.0' ? '127.0.0.1' : config.HTTP_HOST}:${config.HTTP_PORT}`;
    const link = await createDashboardAccess(createWebSessions({ db: database.db }), () => base).createLink(who);
    io.stdout.write(`${link.url}\n`);
    if (!config.PUBLIC_URL && config.HTTP_PORT === 0) io.stderr.write('note: HTTP_PORT=0 picks the port when the bot starts; put the real address in front of the path (or set PUBLIC_URL)\n');
    io.stderr.write(`one-time sign-in for ${who.platform}:${who.userId} (${role}), valid until ${new Date(link.expiresAt).toISOString()}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
