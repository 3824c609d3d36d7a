import type { AlertLevel } from '../../../alerts/alert.ts';
import type { Db } from '../client.ts';
import { alertSettings } from '../schema.ts';
import type { AlertSettingRow } from '../../../ports/chat-store.ts';

export type { AlertSettingRow };

/** Every stored level (`/alerts` and the fan-out read them; the table is tiny). */
export async function listAlertSettings(db: Db): Promise<AlertSettingRow[]> {
  const rows = await db.select().from(alertSettings);
  return rows.map((r) => ({ channel: r.channel, type: r.type, level: r.level as AlertLevel, updatedAt: r.updatedAt }));
}

/** Set the level of one type on one channel (or `*`), replacing what was there. */
export async function upsertAlertSetting(db: Db, s: AlertSettingRow): Promise<void> {
  await db
    .insert(alertSettings)
    .values(s)
    .onConflictDoUpdate({ target: [alertSettings.channel, alertSettings.type], set: { level: s.level, updatedAt: s.updatedAt } });
}

