import { DOMAIN_EVENT_TYPES } from '../domain/events.ts';
import type { AlertChannel, AlertLevel, AlertSeverity } from './alert.ts';

/** Alert types that can be configured: one per domain event type (later issues add theirs). */
export const ALERT_TYPES: readonly string[] = DOMAIN_EVENT_TYPES;
export const ALERT_LEVELS: readonly AlertLevel[] = ['on', 'silent', 'off'];

/**
 * Built-in levels when neither `/alerts` nor the configuration says otherwise. Fills and strategy
 * chatter arrive in bursts and are mostly reference material, so they come without a sound; the
 * entry/exit alerts that summarise them ring.
 */
export const BUILTIN_ALERT_LEVELS: Readonly<Record<string, AlertLevel>> = {
  fill: 'silent',
  'order-denied': 'silent',
  'strategy-message': 'silent',
};

/** A stored setting: `channel` is a channel or `*` (every channel). */
export interface StoredLevel {
  channel: string;
  type: string;
  level: AlertLevel;
}

export interface ResolvedLevel {
  level: AlertLevel;
  source: 'channel' | 'all' | 'default';
}

/**
 * The level of `type` on `channel`: a setting for that channel wins over one for every channel (`*`),
 * which wins over the configured defaults, then the built-in ones, then `on`.
 */
export function resolveLevel(
  stored: readonly StoredLevel[],
  channel: AlertChannel,
  type: string,
  defaults: Readonly<Record<string, AlertLevel>> = {},
): ResolvedLevel {
  const own = stored.find((s) => s.channel === channel && s.type === type);
  if (own) return { level: own.level, source: 'channel' };
  const all = stored.find((s) => s.channel === '*' && s.type === type);
  if (all) return { level: all.level, source: 'all' };
  return { level: defaults[type] ?? BUILTIN_ALERT_LEVELS[type] ?? 'on', source: 'default' };
}

/**
 * What a level means for one alert: `off` drops it — except critical alerts, which are always
 * delivered (silently at least): a halt or an authentication failure must never be configured away.
 */
export function applyLevel(level: AlertLevel, severity: AlertSeverity): { deliver: boolean; silent: boolean } {
  if (level === 'off') return severity === 'critical' ? { deliver: true, silent: true } : { deliver: false, silent: true };
  return { deliver: true, silent: level === 'silent' };
}
