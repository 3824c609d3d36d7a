import type { REST, RawFile } from 'discord.js';
import type { Reply } from '../../../../commands/reply.ts';
import { readImage } from '../image-file.ts';
import type { ButtonPayloads } from '../render/button-payloads.ts';
import { type DiscordMessageBody, renderDiscord } from '../render/discord-message.ts';

/** A rendered reply with its chart files loaded (a missing file is dropped from the attachments). */
export async function prepareDiscordMessage(reply: Reply, payloads: ButtonPayloads): Promise<{ body: DiscordMessageBody; files: RawFile[] }> {
  const rendered = renderDiscord(reply, payloads);
  const files: RawFile[] = [];
  const attachments: NonNullable<DiscordMessageBody['attachments']> = [];
  for (const [i, f] of rendered.files.entries()) {
    const data = await readImage(f.image.path);
    if (!data) continue;
    attachments.push({ ...rendered.body.attachments![i], id: files.length });
    files.push({ name: f.name, data, contentType: 'image/png', key: `files[${files.length}]` });
  }
  const body = { ...rendered.body };
  if (rendered.files.length > 0) {
    body.attachments = attachments;
    if (files.length === 0 || files[0].name !== rendered.files[0].name) {
      // The embed pointed at a chart that could not be read: show its alt text instead.
      const embed = { ...body.embeds[0] };
      delete embed.image;
      const alt = rendered.files[0].image.alt;
      embed.description = embed.description && embed.description !== '\u200b' ? `${embed.description}\n\n${alt}` : alt;
      body.embeds = [embed];
    }
  }
  return { body, files };
}

type WebhookRoute = `/webhooks/${string}`;

/** PATCH the interaction's original response (deferred answers, progress, final result with files). */
export async function editOriginal(rest: REST, applicationId: string, token: string, body: object, files: RawFile[] = []): Promise<void> {
  const route: WebhookRoute = `/webhooks/${applicationId}/${token}/messages/@original`;
  await rest.patch(route, { body, files: files.length > 0 ? files : undefined, auth: false });
}

/** Answer an interaction received through the gateway (the HTTP endpoint answers in its response). */
export async function postInteractionCallback(rest: REST, id: string, token: string, response: object): Promise<void> {
  await rest.post(`/interactions/${id}/${token}/callback`, { body: response, auth: false });
}
