import type { REST } from 'discord.js';
import type { Caller } from '../../../../commands/command.ts';
import type { Reply } from '../../../../commands/reply.ts';
import type { CommandRouter, InboundCommand } from '../../../../commands/router-types.ts';
import type { Logger } from '../../../logger.ts';
import { findCommand } from '../command-lookup.ts';
import { createProgressReporter } from '../progress-reporter.ts';
import { RecentIds } from '../recent-ids.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { discordNotice } from '../render/discord-message.ts';
import { editOriginal, prepareDiscordMessage } from './discord-send.ts';
import { AUTOCOMPLETE_KEYS, interactionToInput, type SlashCommands } from './slash-commands.ts';

/** Interaction and response types (Discord API v10). */
export const INTERACTION = { ping: 1, command: 2, component: 3, autocomplete: 4 } as const;
export const RESPONSE = { pong: 1, message: 4, deferredMessage: 5, deferredUpdate: 6, updateMessage: 7, autocompleteResult: 8 } as const;
/** Discord shows at most 25 suggestions. */
const MAX_CHOICES = 25;
const EPHEMERAL = 64;

/** The parts of an interaction payload this adapter reads. */
export interface InteractionPayload {
  id: string;
  application_id: string;
  type: number;
  token: string;
  channel_id?: string;
  channel?: { id: string };
  guild_id?: string;
  member?: { user: DiscordUser };
  user?: DiscordUser;
  data?: { name?: string; type?: number; options?: Array<{ name: string; type: number; value?: unknown; focused?: boolean }>; custom_id?: string; component_type?: number };
}

interface DiscordUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface InteractionResponse {
  type: number;
  data?: object;
}

/** What to answer now, and what to do once that answer has reached Discord. */
export interface InteractionOutcome {
  response: InteractionResponse;
  followUp?: () => Promise<void>;
}

/** Where a deferred answer lives: its token edits the original response for 15 minutes. */
export interface DiscordAnswerHandle {
  applicationId: string;
  token: string;
  expiresAt: number;
  channelId?: string;
}

/** Interaction tokens live 15 minutes; stop editing a little before. */
export const INTERACTION_TOKEN_TTL_MS = 14 * 60_000;

export interface InteractionHandlerOptions {
  router: CommandRouter;
  /** REST for follow-ups (webhook edits need no bot token). */
  rest: REST;
  payloads: ButtonPayloads;
  slash: SlashCommands;
  logger: Logger;
  /** A fast command answering later than this is deferred (Discord allows 3 s in total). */
  answerWithinMs?: number;
  minEditIntervalMs?: number;
  /** Shows a reply's follow-up job (backtest progress and result) on the answer `handle` edits. */
  showFollowUp?: (reply: Reply, handle: DiscordAnswerHandle) => void;
  /** Values suggested while an option is typed (strategy names, listed symbols). */
  suggest?: (kind: 'strategy' | 'symbol') => Promise<readonly string[]>;
  now?: () => number;
}

/**
 * Interaction handling as a function of the payload alone, so the gateway and the HTTP endpoint share
 * it: PING → PONG; a slash command or a button runs through the router; slow commands (and answers
 * with charts or that run out of time) are deferred at once and completed by editing the original
 * response — progress first, then the embed with its chart attachment. Redeliveries of an
 * interaction id run once.
 */
export function createInteractionHandler(options: InteractionHandlerOptions): (payload: InteractionPayload) => Promise<InteractionOutcome> {
  const recent = new RecentIds();
  const log = options.logger;
  const now = options.now ?? Date.now;
  const within = options.answerWithinMs ?? 2_000;

  async function complete(payload: InteractionPayload, reply: Reply | undefined): Promise<void> {
    if (!reply) {
      await editOriginal(options.rest, payload.application_id, payload.token, discordNotice('Already handled.'));
      return;
    }
    const { body, files } = await prepareDiscordMessage(reply, options.payloads);
    await editOriginal(options.rest, payload.application_id, payload.token, { ...body, content: '' }, files);
  }

  const handleOf = (payload: InteractionPayload, caller: Caller): DiscordAnswerHandle => ({
    applicationId: payload.application_id,
    token: payload.token,
    expiresAt: now() + INTERACTION_TOKEN_TTL_MS,
    channelId: caller.chatId,
  });

  function deferred(
    payload: InteractionPayload,
    component: boolean,
    work: (inbound: InboundCommand) => Promise<Reply | undefined>,
    inbound: InboundCommand,
  ): InteractionOutcome {
    return {
      response: { type: component ? RESPONSE.deferredUpdate : RESPONSE.deferredMessage },
      followUp: async () => {
        const reporter = createProgressReporter(
          (text) => editOriginal(options.rest, payload.application_id, payload.token, discordNotice(`⏳ ${text}`)),
          options.minEditIntervalMs ?? 1_000,
        );
        try {
          const reply = await work({ ...inbound, progress: (text) => reporter.report(text) });
          await reporter.finish();
          await complete(payload, reply);
          if (reply?.followUp) options.showFollowUp?.(reply, handleOf(payload, inbound.caller));
        } catch (err) {
          await reporter.finish();
          log.error({ err }, 'discord deferred interaction failed');
          await editOriginal(options.rest, payload.application_id, payload.token, discordNotice('Something went wrong — the details are in the log.')).catch(() => {});
        }
      },
    };
  }

  /** Suggestions for the focused option: those starting with what was typed first, then those containing it. */
  async function autocomplete(payload: InteractionPayload): Promise<Array<{ name: string; value: string }>> {
    // Strangers learn nothing: no strategy names, no symbols (the same as a command they may not run).
    const user = payload.member?.user ?? payload.user;
    if (!user || !options.router.knows({ platform: 'discord', userId: user.id })) return [];
    const mapping = options.slash.mappings.get(payload.data?.name ?? '');
    const focused = payload.data?.options?.find((o) => o.focused);
    const key = focused && mapping?.options.get(focused.name)?.key;
    const kind = key ? AUTOCOMPLETE_KEYS[key] : undefined;
    if (!kind || !options.suggest) return [];
    try {
      const values = [...(await options.suggest(kind)), ...(key === 'target' ? ['all'] : [])];
      const typed = String(focused!.value ?? '').trim().toLowerCase();
      const starts = values.filter((v) => v.toLowerCase().startsWith(typed));
      const contains = values.filter((v) => !starts.includes(v) && v.toLowerCase().includes(typed));
      return [...starts, ...contains].slice(0, MAX_CHOICES).map((v) => ({ name: v.slice(0, 100), value: v.slice(0, 100) }));
    } catch (err) {
      log.warn({ err }, 'discord autocomplete failed');
      return [];
    }
  }

  return async function handleInteraction(payload) {
    if (payload.type === INTERACTION.ping) return { response: { type: RESPONSE.pong } };
    // Suggestions while typing: answered at once, never a command run (no audit row, no rate limit).
    if (payload.type === INTERACTION.autocomplete) return { response: { type: RESPONSE.autocompleteResult, data: { choices: await autocomplete(payload) } } };
    if (recent.checkAndAdd(payload.id)) return { response: { type: RESPONSE.message, data: discordNotice('Already handled.', true) } };
    const user = payload.member?.user ?? payload.user;
    if (!user || (payload.type !== INTERACTION.command && payload.type !== INTERACTION.component)) {
      return { response: { type: RESPONSE.message, data: discordNotice('Unsupported interaction.', true) } };
    }
    const caller: Caller = { platform: 'discord', userId: user.id, chatId: payload.channel_id ?? payload.channel?.id, displayName: user.global_name ?? user.username };
    const component = payload.type === INTERACTION.component;
    let text: string;
    let structured: Record<string, unknown> | undefined;
    if (component) {
      const decoded = options.payloads.decode(payload.data?.custom_id ?? '');
      if (!decoded) return { response: { type: RESPONSE.message, data: discordNotice('This button has expired: use the command instead.', true) } };
      text = decoded;
    } else {
      const name = payload.data?.name ?? '';
      const mapping = options.slash.mappings.get(name);
      if (mapping) {
        const input = interactionToInput(mapping, payload.data?.options);
        text = input.text;
        structured = input.options;
      } else text = `/${name}`;
    }
    const inbound: InboundCommand = { caller, text, options: structured, deliveryId: payload.id };
    const run = (i: InboundCommand) => options.router.handle(i);

    if (findCommand(options.router.commands, text)?.slow) return deferred(payload, component, run, inbound);

    // Progress of a command that turns out slow reaches the deferred response once there is one.
    let progressSink: ((text: string) => Promise<void>) | undefined;
    const handled = run({ ...inbound, progress: async (t) => progressSink?.(t) });
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      handled.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), within);
      }),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      return deferred(payload, component, (i) => {
        progressSink = i.progress;
        return handled;
      }, inbound);
    }
    let reply: Reply | undefined;
    try {
      reply = await handled;
    } catch (err) {
      log.error({ err }, 'discord command failed');
      reply = { text: ['Something went wrong — the details are in the log.'], tone: 'error', ephemeral: true };
    }
    if (!reply) return { response: component ? { type: RESPONSE.deferredUpdate } : { type: RESPONSE.message, data: discordNotice('Already handled.', true) } };
    // Charts need an attachment and follow-ups an answer to edit: both go through the deferred path.
    if ((reply.images && reply.images.length > 0) || reply.followUp) return deferred(payload, component, async () => reply, inbound);
    const { body } = await prepareDiscordMessage(reply, options.payloads);
    // A refused button press (someone else's confirmation, an expired code) must not replace the
    // prompt for everyone: answer it privately and leave the buttons in place.
    if (component && reply.tone !== 'error') return { response: { type: RESPONSE.updateMessage, data: body } };
    const data = component ? { ...body, flags: (body.flags ?? 0) | EPHEMERAL } : body;
    return { response: { type: RESPONSE.message, data } };
  };
}
