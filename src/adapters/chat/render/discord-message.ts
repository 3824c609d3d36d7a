import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIEmbedField, APIComponentInMessageActionRow } from 'discord.js';
import type { Reply, ReplyImage } from '../../../../commands/reply.ts';
import type { ButtonPayloads } from './button-payloads.ts';
import { codeBlockSafe, escapeDiscordMarkdown } from './discord-markdown.ts';
import { PHONE_WIDTH, tableUnits } from './table-layout.ts';

/** Discord's documented limits for one message. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  rows: 5,
} as const;

export const TONE_COLOUR: Record<NonNullable<Reply['tone']>, number> = {
  info: 0x5865f2,
  success: 0x57f287,
  warning: 0xfee75c,
  error: 0xed4245,
};

const BUTTON_STYLE = { primary: 1, secondary: 2, danger: 4 } as const;
const EPHEMERAL = 1 << 6;

/** A message body for channel messages, interaction responses and webhook edits. */
export interface DiscordMessageBody {
  content?: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
  allowed_mentions: { parse: [] };
  flags?: number;
  attachments?: Array<{ id: number; filename: string; description?: string }>;
}

export interface DiscordRendered {
  body: DiscordMessageBody;
  /** Images to upload as attachments `files[i]`, named as the body's `attachments[i].filename`. */
  files: Array<{ name: string; image: ReplyImage }>;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Table rows (or cards) as code-block field values, each within the field limit, a grid's header repeated. */
function tableFields(reply: Reply): Array<{ name: string; value: string; rows: number }> {
  const out: Array<{ name: string; value: string; rows: number }> = [];
  for (const table of reply.tables ?? []) {
    const t = tableUnits(table, { maxWidth: PHONE_WIDTH });
    const wrap = (lines: string[]) => `\`\`\`\n${codeBlockSafe(lines.join('\n'))}\n\`\`\``;
    const maxLine = DISCORD_LIMITS.fieldValue - 200;
    const header = t.header.map((l) => cut(l, maxLine));
    let lines: string[] = [];
    let rows = 0;
    let part = 0;
    const push = () => {
      const name = part === 0 ? (table.title ? cut(escapeDiscordMarkdown(table.title), DISCORD_LIMITS.fieldName) : '\u200b') : '\u200b';
      out.push({ name, value: wrap([...header, ...lines]), rows });
      part++;
      lines = [];
      rows = 0;
    };
    for (const unit of t.units) {
      let add = unit.map((l) => cut(l, maxLine));
      if (lines.length > 0 && wrap([...header, ...lines, ...add]).length > DISCORD_LIMITS.fieldValue) {
        push();
        // A card that opens a new field needs no blank line above it.
        if (add[0] === '') add = add.slice(1);
      }
      lines.push(...add);
      rows++;
    }
    if (rows > 0 || part === 0) push();
  }
  return out;
}

/**
 * Reply → one Discord embed (title, escaped description, tables as code-block fields, tone colour)
 * plus buttons as components whose custom_id is the command line, and images as attachments shown
 * in the embed. Everything is cut to Discord's limits; rows that do not fit are counted in the footer.
 */
export function renderDiscord(reply: Reply, payloads: ButtonPayloads): DiscordRendered {
  const embed: APIEmbed = { color: TONE_COLOUR[reply.tone ?? 'info'] };
  let total = 0;
  if (reply.title) {
    embed.title = cut(reply.title, DISCORD_LIMITS.title);
    total += embed.title.length;
  }
  const paragraphs = (reply.text ?? []).map(escapeDiscordMarkdown).join('\n\n');
  if (paragraphs) {
    embed.description = cut(paragraphs, DISCORD_LIMITS.description);
    total += embed.description.length;
  }
  const fields: APIEmbedField[] = [];
  let hiddenRows = 0;
  const reserve = 120; // room for the footer that says what was left out
  for (const f of tableFields(reply)) {
    const size = f.name.length + f.value.length;
    if (fields.length >= DISCORD_LIMITS.fields || total + size > DISCORD_LIMITS.embedTotal - reserve) {
      hiddenRows += f.rows;
      continue;
    }
    fields.push({ name: f.name, value: f.value });
    total += size;
  }
  if (fields.length > 0) embed.fields = fields;
  if (hiddenRows > 0) embed.footer = { text: `${hiddenRows} more row(s) not shown (Discord size limit)` };
  const files = (reply.images ?? []).map((image, i) => ({ name: `chart-${i + 1}.png`, image }));
  if (files.length > 0) {
    embed.image = { url: `attachment://${files[0].name}` };
    const caption = files[0].image.caption;
    if (caption && !embed.footer) embed.footer = { text: cut(caption, DISCORD_LIMITS.footer) };
  }
  if (!embed.title && !embed.description && !embed.fields && !embed.image) embed.description = '\u200b';

  const components: DiscordMessageBody['components'] = [];
  const buttons = (reply.buttons ?? []).slice(0, DISCORD_LIMITS.buttonsPerRow * DISCORD_LIMITS.rows);
  buttons.forEach((b, i) => {
    if (i % DISCORD_LIMITS.buttonsPerRow === 0) components.push({ type: 1, components: [] });
    const button: APIButtonComponent = {
      type: 2,
      style: BUTTON_STYLE[b.style ?? 'secondary'],
      label: cut(b.label, DISCORD_LIMITS.buttonLabel),
      custom_id: payloads.encode(b.command, DISCORD_LIMITS.customId),
    };
    components[components.length - 1].components.push(button);
  });

  const body: DiscordMessageBody = { embeds: [embed], components, allowed_mentions: { parse: [] } };
  if (reply.ephemeral) body.flags = EPHEMERAL;
  if (files.length > 0) body.attachments = files.map((f, i) => ({ id: i, filename: f.name, description: cut(f.image.alt, 1024) }));
  return { body, files };
}

/** A short plain message (progress, notices), markdown-escaped. */
export function discordNotice(text: string, ephemeral = false): DiscordMessageBody {
  const body: DiscordMessageBody = { content: cut(escapeDiscordMarkdown(text), 2000), embeds: [], components: [], allowed_mentions: { parse: [] } };
  if (ephemeral) body.flags = EPHEMERAL;
  return body;
}
