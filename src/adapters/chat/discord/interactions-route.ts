import type { ServerResponse } from 'node:http';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../../logger.ts';
import type { InteractionOutcome, InteractionPayload } from './interactions.ts';
import { createDiscordVerifier } from './verify-signature.ts';

export const DISCORD_INTERACTIONS_PATH = '/interactions/discord';

export interface InteractionsRouteOptions {
  publicKey: string;
  logger: Logger;
  handle(payload: InteractionPayload): Promise<InteractionOutcome>;
  /** Runs a follow-up once the response is on its way (background, errors logged). */
  runLater(what: string, fn: () => Promise<void>): void;
  now?: () => number;
}

/**
 * POST /interactions/discord: Ed25519 over `timestamp + raw body` against DISCORD_PUBLIC_KEY; a
 * missing, malformed, stale or wrong signature → 401 before anything is parsed. The response is the
 * interaction response; follow-ups (editing a deferred answer) start only after it has been written,
 * so Discord knows the interaction before we edit it.
 */
export function mountDiscordInteractions(app: Hono, options: InteractionsRouteOptions): void {
  const verify = createDiscordVerifier(options.publicKey);
  const now = options.now ?? Date.now;
  app.post(DISCORD_INTERACTIONS_PATH, bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too large' }, 413) }), async (c) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    const check = verify(c.req.header('x-signature-ed25519'), c.req.header('x-signature-timestamp'), raw, now());
    if (check !== 'ok') {
      options.logger.debug({ check }, 'discord interaction refused');
      return c.json({ error: 'invalid request signature' }, 401);
    }
    let payload: InteractionPayload;
    try {
      payload = JSON.parse(raw.toString('utf8')) as InteractionPayload;
    } catch {
      return c.json({ error: 'bad json' }, 400);
    }
    if (!payload || typeof payload.type !== 'number') return c.json({ error: 'not an interaction' }, 400);
    const outcome = await options.handle(payload);
    if (outcome.followUp) {
      const followUp = outcome.followUp;
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      if (outgoing && typeof outgoing.once === 'function') outgoing.once('close', () => options.runLater('discord follow-up', followUp));
      else setImmediate(() => options.runLater('discord follow-up', followUp));
    }
    return c.json(outcome.response);
  });
}
