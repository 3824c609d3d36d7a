import { consolePlatform } from './adapters/chat/console/platform.ts';
import { discordPlatform } from './adapters/chat/discord/platform.ts';
import { linePlatform } from './adapters/chat/line/platform.ts';
import { telegramPlatform } from './adapters/chat/telegram/platform.ts';

/**
 * Every chat platform, written once (docs/chat-platforms.md). Adding one is a folder under
 * src/adapters/chat/ exporting a descriptor, plus one line here; the platform and alert-channel
 * types, CHAT_USERS parsing, alert destinations, pacing and secret redaction all follow from it.
 * The descriptors load no SDK until `create()`.
 */
export const CHAT_PLATFORMS = [telegramPlatform, discordPlatform, linePlatform, consolePlatform] as const;

/** `telegram` | `discord` | `line` | `console`. */
export type ChatPlatformName = (typeof CHAT_PLATFORMS)[number]['name'];

export const CHAT_PLATFORM_NAMES: readonly ChatPlatformName[] = CHAT_PLATFORMS.map((p) => p.name);
