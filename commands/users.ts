import { ConfigError } from '../src/config.ts';
import type { Caller, Platform, Role } from './command.ts';

/** The allow-list: who may use the bot, with which role (parsed CHAT_USERS). */
export interface ChatUsers {
  /** Role of a platform user, or undefined for strangers. The console is always admin. */
  roleOf(caller: Pick<Caller, 'platform' | 'userId'>): Role | undefined;
  readonly entries: readonly ChatUserEntry[];
}

export interface ChatUserEntry {
  platform: Extract<Platform, 'telegram' | 'discord' | 'line'>;
  userId: string;
  role: Role;
}

const ROLES: readonly Role[] = ['viewer', 'trader', 'admin'];

/** Platform user id formats: Telegram numeric ids, Discord snowflakes, LINE user ids (U + 32 hex). */
const ID_FORMAT: Record<ChatUserEntry['platform'], { re: RegExp; example: string }> = {
  telegram: { re: /^[1-9][0-9]{0,15}$/, example: 'telegram:123456789=admin' },
  discord: { re: /^[1-9][0-9]{15,19}$/, example: 'discord:80351110224678912=trader' },
  line: { re: /^U[0-9a-f]{32}$/, example: 'line:U4af4980629abcdef0123456789abcdef=viewer' },
};

const FORMAT_HELP = 'expected platform:id=role entries separated by commas, e.g. telegram:123456789=admin,discord:80351110224678912=trader (roles: viewer, trader, admin)';

/**
 * Parse `CHAT_USERS` (`telegram:123=admin,discord:8035…=trader,line:U4af…=viewer`). Every problem
 * is collected and thrown as one ConfigError naming CHAT_USERS, the entry and what is accepted.
 * The same user listed twice with different roles is an error rather than a silent choice.
 */
export function parseChatUsers(text: string | undefined): ChatUsers {
  const entries: ChatUserEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, Role>();
  const parts = (text ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  parts.forEach((part, i) => {
    const where = `CHAT_USERS entry ${i + 1} "${part.length > 60 ? `${part.slice(0, 60)}…` : part}"`;
    const m = /^([a-z]+):([^=\s]+)=([a-z]+)$/i.exec(part);
    if (!m) {
      problems.push(`${where}: ${FORMAT_HELP}`);
      return;
    }
    const platform = m[1]!.toLowerCase() as ChatUserEntry['platform'];
    const userId = m[2]!;
    const role = m[3]!.toLowerCase() as Role;
    const format = ID_FORMAT[platform];
    if (!format) {
      problems.push(`${where}: unknown platform "${m[1]}" — expected telegram, discord or line (the console user is always admin)`);
      return;
    }
    if (!format.re.test(userId)) {
      problems.push(`${where}: "${userId}" is not a ${platform} user id — e.g. ${format.example}`);
      return;
    }
    if (!ROLES.includes(role)) {
      problems.push(`${where}: unknown role "${m[3]}" — expected viewer, trader or admin`);
      return;
    }
    const key = `${platform}:${userId}`;
    const before = seen.get(key);
    if (before !== undefined) {
      if (before !== role) problems.push(`${where}: ${key} is listed twice with different roles (${before}, ${role})`);
      return;
    }
    seen.set(key, role);
    entries.push({ platform, userId, role });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return chatUsers(entries);
}

/** An allow-list from entries (tests, config files). */
export function chatUsers(entries: readonly ChatUserEntry[]): ChatUsers {
  const map = new Map(entries.map((e) => [`${e.platform}:${e.userId}`, e.role]));
  return {
    entries,
    roleOf(caller) {
      if (caller.platform === 'console') return 'admin';
      // The dashboard acts for the chat user who signed in: userId is `telegram:123`, `console:console`.
      if (caller.platform === 'web') return caller.userId.startsWith('console:') ? 'admin' : map.get(caller.userId);
      return map.get(`${caller.platform}:${caller.userId}`);
    },
  };
}
