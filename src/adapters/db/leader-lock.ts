import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../domain/errors.ts';

/** Arbitrary but fixed (and distinct from the migration lock): every tradeops process on a database contends for it. */
export const LEADER_LOCK_KEY = 7_346_512_020;

/**
 * Leadership among processes sharing one PostgreSQL database: a session-level advisory lock held on
 * a dedicated connection (not the pool, whose connections come and go). Postgres releases it the
 * moment that session ends — the process died, or its connection broke — so a standby polling with
 * pg_try_advisory_lock takes over within one poll interval.
 */
export interface LeaderLock {
  readonly held: boolean;
  /** Try to take the lock (never waits); true when this process holds it afterwards. */
  tryAcquire(): Promise<boolean>;
  /**
   * Is the lock still ours? False when the dedicated session was lost (postgres.js would reconnect
   * silently on a new session that does not hold it) — the caller must stop trading at once.
   */
  verify(): Promise<boolean>;
  /** Release the lock and close the dedicated connection. */
  close(): Promise<void>;
}

export async function openLeaderLock(url: string): Promise<LeaderLock> {
  const { default: postgres } = await import('postgres');
  // One connection, never idled out: the lock lives exactly as long as this session.
  const sql = postgres(url, { max: 1, idle_timeout: 0, max_lifetime: null, connect_timeout: 10, onnotice: () => {}, keep_alive: 10 });
  let held = false;
  let pid: number | undefined;
  return {
    get held() {
      return held;
    },
    async tryAcquire() {
      const [row] = await sql<Array<{ ok: boolean; pid: number }>>`select pg_try_advisory_lock(${LEADER_LOCK_KEY}) as ok, pg_backend_pid() as pid`;
      held = row!.ok;
      pid = held ? row!.pid : undefined;
      return held;
    },
    async verify() {
      if (!held) return false;
      try {
        const [row] = await sql<Array<{ pid: number; mine: boolean }>>`
          select pg_backend_pid() as pid,
                 exists(select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted
                        and ((classid::bigint << 32) | objid::bigint) = ${LEADER_LOCK_KEY}) as mine`;
        held = row!.pid === pid && row!.mine;
      } catch {
        held = false;
      }
      return held;
    },
    async close() {
      if (held) {
        try {
          await sql`select pg_advisory_unlock(${LEADER_LOCK_KEY})`;
        } catch {
          // the session is gone: so is the lock
        }
      }
      held = false;
      await sql.end({ timeout: 2 });
    },
  };
}

/**
 * PGlite keeps its files in one directory that only one process may open. A lock file with the
 * owner's pid makes a second process fail fast with a clear message instead of corrupting data; a
 * file left by a dead process (SIGKILL) is taken over.
 */
export function lockDataDir(dataDir: string, pid = process.pid): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'tradeops.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(pid));
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(file, 'utf8').trim() === String(pid)) unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== pid && isAlive(owner)) {
        throw new AppError(
          'CONFLICT',
          `the data directory ${dataDir} is in use by another tradeops process (pid ${owner}): the embedded database (PGlite) allows one process per data directory. ` +
            'Stop that process, give this one another DATA_DIR, or set DATABASE_URL to a PostgreSQL server to run several processes (one leader trades, the others stand by).',
        );
      }
      if (existsSync(file)) unlinkSync(file); // left by a process that is gone
    }
  }
  throw new AppError('CONFLICT', `could not lock the data directory ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
