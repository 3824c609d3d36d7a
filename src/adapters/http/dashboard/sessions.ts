import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { webSessionsRepo } from '../../db/repositories/web-sessions.ts';
import type { DashboardAccess } from '../../../../commands/services.ts';

/** A sign-in link is valid this long (and only once). */
export const LINK_TTL_MS = 10 * 60_000;
/** A browser session lasts this long from sign-in; `/logout all` ends it earlier. */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** Who a dashboard session belongs to: the chat identity that asked for the link. */
export interface WebIdentity {
  platform: string;
  userId: string;
}

export interface WebSession extends WebIdentity {
  expiresAt: number;
  /** The CSRF token of this session (derived from the session token: nothing extra stored). */
  csrf: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Password-less sign-in for the dashboard. A chat user (or the console via `tradeops
 * dashboard-link`) gets a one-time link; opening it and pressing "Sign in" trades it for a session
 * cookie. Tokens are 32 random bytes; the database holds only their SHA-256, so a leaked database
 * row signs no one in. The role is not stored: it is read from CHAT_USERS on every request, so
 * removing a user from the allow-list locks them out at once.
 */
export function createWebSessions(deps: { db: Db; now?: () => number; linkTtlMs?: number; sessionTtlMs?: number }) {
  const now = deps.now ?? Date.now;
  const linkTtl = deps.linkTtlMs ?? LINK_TTL_MS;
  const sessionTtl = deps.sessionTtlMs ?? SESSION_TTL_MS;
  return {
    /** A new one-time sign-in token for `who`. */
    async createLink(who: WebIdentity): Promise<{ token: string; expiresAt: number }> {
      const token = randomBytes(32).toString('base64url');
      const t = now();
      await webSessionsRepo.insert(deps.db, { tokenHash: hash(token), kind: 'link', platform: who.platform, userId: who.userId, createdAt: t, expiresAt: t + linkTtl });
      return { token, expiresAt: t + linkTtl };
    },

    /**
     * Trade a link token for a session token. Refused (with the reason shown to the user) when the
     * link is unknown, used, revoked or expired.
     */
    async redeem(linkToken: string): Promise<{ ok: true; token: string; session: WebSession } | { ok: false; reason: string }> {
      if (!TOKEN.test(linkToken)) return { ok: false, reason: 'This sign-in link is not valid. Send /dashboard in chat for a new one.' };
      const t = now();
      const used = await webSessionsRepo.useLink(deps.db, hash(linkToken), t);
      if (!used) {
        const row = await webSessionsRepo.find(deps.db, hash(linkToken));
        const why = !row || row.kind !== 'link' ? 'is not valid' : row.usedAt !== undefined ? 'was already used' : row.revokedAt !== undefined ? 'was revoked' : 'has expired';
        return { ok: false, reason: `This sign-in link ${why}. Send /dashboard in chat for a new one (links work once, for 10 minutes).` };
      }
      const token = randomBytes(32).toString('base64url');
      await webSessionsRepo.insert(deps.db, { tokenHash: hash(token), kind: 'session', platform: used.platform, userId: used.userId, createdAt: t, expiresAt: t + sessionTtl });
      return { ok: true, token, session: { platform: used.platform, userId: used.userId, expiresAt: t + sessionTtl, csrf: csrfOf(token) } };
    },

    /** The live session of a cookie value, or undefined. */
    async session(token: string | undefined): Promise<WebSession | undefined> {
      if (!token || !TOKEN.test(token)) return undefined;
      const row = await webSessionsRepo.find(deps.db, hash(token));
      if (!row || row.kind !== 'session' || row.revokedAt !== undefined || row.expiresAt <= now()) return undefined;
      return { platform: row.platform, userId: row.userId, expiresAt: row.expiresAt, csrf: csrfOf(token) };
    },

    /** End one session (the dashboard's "Sign out"). */
    async logout(token: string): Promise<void> {
      if (TOKEN.test(token)) await webSessionsRepo.revoke(deps.db, hash(token), now());
    },

    /** End every session and unused link of a user (`/logout all`); returns how many were live. */
    revokeAll: (who: WebIdentity) => webSessionsRepo.revokeUser(deps.db, who.platform, who.userId, now()),

    prune: () => webSessionsRepo.prune(deps.db, now() - 7 * 24 * 3_600_000),
  };
}

export type WebSessions = ReturnType<typeof createWebSessions>;

function csrfOf(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(session: WebSession, submitted: string | undefined): boolean {
  if (!submitted) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What chat commands get: a sign-in URL under `baseUrl` and `/logout all`. */
export function createDashboardAccess(sessions: WebSessions, baseUrl: () => string): DashboardAccess {
  return {
    async createLink(who) {
      const { token, expiresAt } = await sessions.createLink(who);
      return { url: `${baseUrl().replace(/\/+$/, '')}/login/${token}`, expiresAt };
    },
    revokeAll: (who) => sessions.revokeAll(who),
  };
}
