import { ConfigError } from '../src/config.ts';
import type { Caller, Platform, Role } from './command.ts';

/** The allow-list: who may use the bot, with which role (parsed CHAT_USERS). */
export interface ChatUsers {
  /** Role of a platform user, or undefined for strangers. Platforms with a fixed role (the console: admin) give it to everyone. */
  roleOf(caller: Pick<Caller, 'platform' | 'userId'>): Role | undefined;
  readonly entries: readonly ChatUserEntry[];
}

export interface ChatUserEntry {
  platform: Platform;
  userId: string;
  role: Role;
}

/** What CHAT_USERS parsing needs from each platform descriptor (src/chat-platforms.ts). */
export interface UserPlatform {
  readonly name: string;
  /** How its user ids look; absent = not on the allow-list. */
  readonly userId?: { pattern: RegExp; example: string };
  readonly fixedRole?: Role;
}

const ROLES: readonly Role[] = ['viewer', 'trader', 'admin'];

/**
 * Parse `CHAT_USERS` (`telegram:123=admin,discord:8035…=trader,line:U4af…=viewer`) against the
 * platforms' user-id formats. Every problem is collected and thrown as one ConfigError naming
 * CHAT_USERS, the entry and what is accepted. The same user listed twice with different roles is an
 * error rather than a silent choice.
 */
export function parseChatUsers(text: string | undefined, platforms: readonly UserPlatform[]): ChatUsers {
  const listed = platforms.filter((p) => p.userId !== undefined);
  const names = listed.map((p) => p.name);
  const example = listed.slice(0, 2).map((p) => p.userId!.example).join(',');
  const formatHelp = `expected platform:id=role entries separated by commas, e.g. ${example} (roles: viewer, trader, admin)`;
  const entries: ChatUserEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, Role>();
  const parts = (text ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  parts.forEach((part, i) => {
    const where = `CHAT_USERS entry ${i + 1} "${part.length > 60 ? `${part.slice(0, 60)}…` : part}"`;
    const m = /^([a-z]+):([^=\s]+)=([a-z]+)$/i.exec(part);
    if (!m) {
      problems.push(`${where}: ${formatHelp}`);
      return;
    }
    const name = m[1]!.toLowerCase();
    const userId = m[2]!;
    const role = m[3]!.toLowerCase() as Role;
    const platform = listed.find((p) => p.name === name);
    if (!platform) {
      const fixed = platforms.filter((p) => p.fixedRole).map((p) => `the ${p.name} user is always ${p.fixedRole}`);
      problems.push(`${where}: unknown platform "${m[1]}" — expected ${orList(names)}${fixed.length ? ` (${fixed.join('; ')})` : ''}`);
      return;
    }
    if (!platform.userId!.pattern.test(userId)) {
      problems.push(`${where}: "${userId}" is not a ${name} user id — e.g. ${platform.userId!.example}`);
      return;
    }
    if (!ROLES.includes(role)) {
      problems.push(`${where}: unknown role "${m[3]}" — expected viewer, trader or admin`);
      return;
    }
    const key = `${name}:${userId}`;
    const before = seen.get(key);
    if (before !== undefined) {
      if (before !== role) problems.push(`${where}: ${key} is listed twice with different roles (${before}, ${role})`);
      return;
    }
    seen.set(key, role);
    entries.push({ platform: name as Platform, userId, role });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return chatUsers(entries, Object.fromEntries(platforms.filter((p) => p.fixedRole).map((p) => [p.name, p.fixedRole!])));
}

/** An allow-list from entries (tests, config files); `fixedRoles` gives every user of a platform one role. */
export function chatUsers(entries: readonly ChatUserEntry[], fixedRoles: Readonly<Record<string, Role>> = {}): ChatUsers {
  const map = new Map(entries.map((e) => [`${e.platform}:${e.userId}`, e.role]));
  return {
    entries,
    roleOf(caller) {
      // The dashboard acts for the chat user who signed in: its userId is `telegram:123`, `console:console`.
      if (caller.platform === 'web') {
        const at = caller.userId.indexOf(':');
        return at > 0 ? (fixedRoles[caller.userId.slice(0, at)] ?? map.get(caller.userId)) : undefined;
      }
      return fixedRoles[caller.platform] ?? map.get(`${caller.platform}:${caller.userId}`);
    },
  };
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
