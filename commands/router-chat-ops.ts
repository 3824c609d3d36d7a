import type { ChatStore } from '../src/ports/chat-store.ts';
import type { AlertChannel, AlertLevel } from '../src/alerts/alert.ts';
import { ALERT_TYPES, resolveLevel } from '../src/alerts/alert-levels.ts';
import { AppError } from '../src/domain/errors.ts';
import type { AlertSettingView, ChatOps } from './chat-ops.ts';
import type { Reply } from './reply.ts';

export interface ChatOpsDeps {
  store: ChatStore;
  now(): number;
  /** Configured default levels per alert type (below `/alerts` settings, above the built-ins). */
  alertDefaults?: Readonly<Record<string, AlertLevel>>;
  alertTypes?: readonly string[];
  /** The alert channels (the enabled platforms' names, from the composition root). */
  alertChannels?: readonly AlertChannel[];
  confirm(code: string): Promise<Reply>;
  cancel(code: string): Promise<Reply>;
}

/** ChatOps over the repositories; one per handled command (the confirm/cancel closures carry the caller). */
export function createChatOps(deps: ChatOpsDeps): ChatOps {
  const types = deps.alertTypes ?? ALERT_TYPES;
  const channels = deps.alertChannels ?? [];
  return {
    audit: {
      async recent(limit) {
        return deps.store.audit.recent(limit);
      },
    },
    alerts: {
      types,
      channels,
      async effective() {
        const stored = await deps.store.alertSettings.list();
        const out: AlertSettingView[] = [];
        for (const type of types) {
          for (const channel of channels) out.push({ type, channel, ...resolveLevel(stored, channel, type, deps.alertDefaults) });
        }
        return out;
      },
      async set(type, level, channel) {
        if (!types.includes(type)) throw new AppError('BAD_REQUEST', `unknown alert type "${type}"; types: ${types.join(', ')}`);
        if (channel !== '*' && !channels.includes(channel)) throw new AppError('BAD_REQUEST', `unknown channel "${channel}"; channels: ${channels.join(', ')}`);
        await deps.store.alertSettings.upsert({ channel, type, level, updatedAt: deps.now() });
      },
    },
    confirmations: { confirm: deps.confirm, cancel: deps.cancel },
  };
}
