import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.ts';
import { RetryLaterError } from '../../../src/alerts/alert.ts';
import { discordError } from '../../support/standins/discord.ts';
import { type ChatHarness, closeDatabases, componentInteraction, DISCORD_APP_ID, DISCORD_GUILD_ID, slashInteraction, startChatHarness, USERS } from './support/chat-harness.ts';

afterAll(() => closeDatabases());
import { PNG_MAGIC, writeTestChart } from './support/png.ts';

const { admin, trader, viewer, stranger } = USERS.discord;

type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; color?: number; image?: { url: string }; footer?: { text: string } };
type Response = { type: number; data?: { content?: string; embeds?: Embed[]; components?: Array<{ components: Array<{ custom_id: string; label: string }> }>; flags?: number } };

/** Everything an interaction response shows, as one string. */
function shown(r: Response): string {
  const d = r.data ?? {};
  return [d.content ?? '', ...(d.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].join('\n');
}

describe('Discord interactions endpoint (discord.js REST against the API stand-in)', () => {
  let h: ChatHarness;
  beforeAll(async () => {
    h = await startChatHarness({ discord: true });
  });
  afterAll(() => h?.close());

  async function interact(payload: object): Promise<Response> {
    const res = await h.postDiscord(payload);
    expect(res.status).toBe(200);
    return (await res.json()) as Response;
  }

  it('registers typed slash commands for the guild at start', () => {
    const put = h.discord!.calls('PUT /applications/:id/guilds/:id/commands');
    expect(put).toHaveLength(1);
    expect(put[0].path).toBe(`/v10/applications/${DISCORD_APP_ID}/guilds/${DISCORD_GUILD_ID}/commands`);
    const defs = put[0].body as unknown as Array<{ name: string; options: Array<{ name: string; type: number; required: boolean; choices?: Array<{ value: string }>; min_value?: number; max_value?: number }> }>;
    expect(defs.map((d) => d.name)).toEqual(COMMANDS.map((c) => c.name));
    const pnl = defs.find((d) => d.name === 'pnl')!;
    expect(pnl.options[0]).toMatchObject({ name: 'period', type: 3, required: false });
    expect(pnl.options[0].choices!.map((c) => c.value)).toEqual(['day', 'week', 'month']);
    expect(pnl.options[1]).toMatchObject({ name: 'n', type: 4, min_value: 1 });
    const bt = defs.find((d) => d.name === 'backtest')!;
    expect(bt.options.filter((o) => o.required).map((o) => o.name)).toEqual(['strategy', 'symbol', 'timeframe']);
  });

  it('registers admin commands for Administrators only and strategy/symbol options with autocomplete', () => {
    const defs = h.discord!.calls('PUT /applications/:id/guilds/:id/commands')[0]!.body as unknown as Array<{ name: string; default_member_permissions?: string; options: Array<{ name: string; autocomplete?: boolean; choices?: unknown[] }> }>;
    const admin = COMMANDS.filter((c) => c.role === 'admin' && !c.public).map((c) => c.name);
    expect(admin).toEqual(expect.arrayContaining(['stop', 'killall', 'reload_config', 'logs']));
    for (const d of defs) expect(d.default_member_permissions, d.name).toBe(admin.includes(d.name) ? '8' : undefined);
    const bt = defs.find((d) => d.name === 'backtest')!;
    expect(bt.options.filter((o) => o.autocomplete).map((o) => o.name)).toEqual(['strategy', 'symbol']);
    for (const d of defs) for (const o of d.options) if (o.autocomplete) expect(o.choices, `${d.name} ${o.name}`).toBeUndefined();
    expect(defs.find((d) => d.name === 'size')!.options.find((o) => o.name === 'symbol')?.autocomplete).toBe(true);
  });

  it('suggests strategies and listed symbols while an option is typed, without running a command', async () => {
    const auditBefore = h.handled.length;
    const typed = (name: string, options: Array<{ name: string; type: number; value: string; focused?: boolean }>) => ({ ...(slashInteraction(trader, name, options as never) as object), type: 4 });
    const strategies = await interact(typed('backtest', [{ name: 'strategy', type: 3, value: 'sm', focused: true }]));
    expect(strategies).toEqual({ type: 8, data: { choices: [{ name: 'sma-cross', value: 'sma-cross' }] } });
    const symbols = await interact(typed('backtest', [{ name: 'strategy', type: 3, value: 'sma-cross' }, { name: 'symbol', type: 3, value: 'usdt', focused: true }]));
    expect(symbols.data).toEqual({ choices: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'].map((v) => ({ name: v, value: v })) });
    const eth = await interact(typed('close', [{ name: 'target', type: 3, value: 'e', focused: true }]));
    expect((eth.data as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toEqual(['ETH/USDT']);
    const none = await interact(typed('pnl', [{ name: 'n', type: 4, value: '3', focused: true }]));
    expect(none).toEqual({ type: 8, data: { choices: [] } });
    // A user not in CHAT_USERS is shown nothing: no strategy names, no symbols.
    const asStranger = (name: string, options: Array<{ name: string; type: number; value: string; focused?: boolean }>) => ({ ...(slashInteraction(stranger, name, options as never) as object), type: 4 });
    expect(await interact(asStranger('backtest', [{ name: 'strategy', type: 3, value: '', focused: true }]))).toEqual({ type: 8, data: { choices: [] } });
    expect(await interact(asStranger('close', [{ name: 'target', type: 3, value: 'e', focused: true }]))).toEqual({ type: 8, data: { choices: [] } });
    // A viewer is on the list: suggestions are no secret to them.
    const asViewer = { ...(slashInteraction(viewer, 'backtest', [{ name: 'strategy', type: 3, value: 'sm', focused: true }] as never) as object), type: 4 };
    expect(await interact(asViewer)).toEqual(strategies);
    expect(h.handled.length).toBe(auditBefore);
  });

  it('answers PING with PONG', async () => {
    expect(await interact({ id: '1', application_id: DISCORD_APP_ID, type: 1, token: 't', version: 1 })).toEqual({ type: 1 });
  });

  it('refuses 1,000 badly signed requests with 401: nothing runs, nothing is sent', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const payload = slashInteraction(admin, 'stop');
    const body = JSON.stringify(payload);
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const n = batch * 100 + i;
          const ts = String(Math.floor(Date.now() / 1000));
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          switch (n % 5) {
            case 0: // no headers at all
              break;
            case 1: // random signature
              Object.assign(headers, { 'x-signature-ed25519': randomBytes(64).toString('hex'), 'x-signature-timestamp': ts });
              break;
            case 2: // signed by someone else's key
              return h.postDiscord(payload, { key: other });
            case 3: // garbage signature
              Object.assign(headers, { 'x-signature-ed25519': 'not-hex', 'x-signature-timestamp': ts });
              break;
            default: // a genuine signature of another body (tampered in transit)
              Object.assign(headers, { 'x-signature-ed25519': sign(null, Buffer.from(ts + body.replace('"stop"', '"help"')), h.discordKey.privateKey).toString('hex'), 'x-signature-timestamp': ts });
          }
          return fetch(`${h.http.url}/interactions/discord`, { method: 'POST', body, headers });
        }),
      );
      statuses.push(...results.map((r) => r.status));
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(statuses).toHaveLength(1000);
    expect(h.handled).toHaveLength(0);
    expect(h.services.data.tradingState.state).toBe('ACTIVE');
    expect(h.discord!.calls('PATCH /webhooks/:id/:token/messages/@original')).toHaveLength(0);
    expect(h.discord!.calls('POST /interactions/:id/:token/callback')).toHaveLength(0);
  });

  it('refuses a correctly signed request whose timestamp is older than five minutes', async () => {
    const res = await h.postDiscord(slashInteraction(admin, 'whoami'), { timestamp: Date.now() - 6 * 60_000 });
    expect(res.status).toBe(401);
    const future = await h.postDiscord(slashInteraction(admin, 'whoami'), { timestamp: Date.now() + 6 * 60_000 });
    expect(future.status).toBe(401);
  });

  it('answers the shared commands with embeds', async () => {
    const help = await interact(slashInteraction(admin, 'help'));
    expect(help.type).toBe(4);
    expect(shown(help)).toMatch(/\/status[\s\S]*\/backtest/);
    const status = await interact(slashInteraction(admin, 'status'));
    expect(status.data!.embeds![0].fields!.some((f) => f.value.startsWith('```'))).toBe(true);
    expect(shown(status)).toMatch(/ACTIVE/);
    expect(shown(await interact(slashInteraction(stranger, 'whoami')))).toContain(`discord:${stranger}`);
    const pnl = await interact(slashInteraction(viewer, 'pnl', [{ name: 'period', type: 3, value: 'week' }, { name: 'n', type: 4, value: 2 }]));
    expect(shown(pnl)).toMatch(/P&L per week/);
    expect(h.handled.at(-1)).toMatchObject({ text: '/pnl week 2', options: { period: 'week', n: 2 } });
  });

  it('applies roles and refuses strangers with their id', async () => {
    expect(shown(await interact(slashInteraction(viewer, 'stop')))).toMatch(/needs the admin role/);
    expect(shown(await interact(slashInteraction(stranger, 'status')))).toContain(`discord:${stranger}`);
  });

  it('confirms /stop with buttons: another user is refused privately, the asker confirms once', async () => {
    const ask = await interact(slashInteraction(admin, 'stop'));
    const buttons = ask.data!.components![0].components;
    expect(buttons.map((b) => b.label)).toEqual(['Confirm', 'Cancel']);
    const confirm = buttons[0].custom_id;
    const other = await interact(componentInteraction(trader, confirm));
    expect(other.type).toBe(4);
    expect(other.data!.flags! & 64).toBe(64);
    expect(shown(other)).toMatch(/someone else/);
    expect(h.services.data.tradingState.state).toBe('ACTIVE');
    const done = await interact(componentInteraction(admin, confirm));
    expect(done.type).toBe(7);
    expect(shown(done)).toMatch(/Stopped/);
    expect(done.data!.components).toEqual([]);
    expect(h.services.data.tradingState.state).toBe('HALTED');
    expect(shown(await interact(componentInteraction(admin, confirm)))).toMatch(/already used/);
    await interact(slashInteraction(admin, 'resume'));
  });

  it('runs a redelivered interaction once', async () => {
    const payload = slashInteraction(admin, 'whoami', [], { id: '1250000000000009999' });
    expect(shown(await interact(payload))).toContain(`discord:${admin}`);
    expect(shown(await interact(payload))).toMatch(/Already handled/);
    expect(h.handled.filter((i) => i.deliveryId === '1250000000000009999')).toHaveLength(1);
  });

  it('defers /backtest at once, then edits the original response with progress and the chart', async () => {
    const payload = slashInteraction(trader, 'backtest', [
      { name: 'strategy', type: 3, value: 'sma-cross' },
      { name: 'symbol', type: 3, value: 'BTC/USDT' },
      { name: 'timeframe', type: 3, value: '1h' },
      { name: 'params', type: 3, value: 'fast=5 slow=20' },
    ]) as { token: string };
    const deferred = await interact(payload);
    expect(deferred).toEqual({ type: 5 });
    const route = 'PATCH /webhooks/:id/:token/messages/@original';
    await h.discord!.waitFor((r) => r.some((x) => x.method === 'PATCH' && x.path.includes(payload.token) && JSON.stringify(x.body).includes('queued')));
    expect(h.services.calls.enqueue.at(-1)).toMatchObject({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: { fast: 5, slow: 20 } });
    const run = h.services.data.runs.at(-1)!;
    const requestedBy = h.services.calls.enqueue.at(-1)!.requestedBy;
    h.services.emitBacktestUpdate({ ...run, status: 'running', progress: 0.4, requestedBy });
    await h.discord!.waitFor((r) => r.some((x) => x.path.includes(payload.token) && JSON.stringify(x.body).includes('running 40%')));
    const chartPath = writeTestChart();
    h.services.emitBacktestUpdate({ ...run, status: 'done', progress: 1, requestedBy, summary: 'Return 12 %', chartPath, metrics: { returnPct: 12.5 } });
    await h.discord!.waitFor((r) => r.some((x) => x.path.includes(payload.token) && x.files['files[0]'] !== undefined));
    const final = h.discord!.calls(route).filter((x) => x.path.includes(payload.token)).at(-1)!;
    expect(final.path).toBe(`/v10/webhooks/${DISCORD_APP_ID}/${payload.token}/messages/@original`);
    const body = final.body.payload_json as { embeds: Embed[]; attachments: Array<{ filename: string }> };
    expect(body.embeds[0].title).toMatch(/Backtest #\d+: sma-cross BTC\/USDT 1h done/);
    expect(body.embeds[0].image).toEqual({ url: 'attachment://chart-1.png' });
    expect(body.attachments[0].filename).toBe('chart-1.png');
    expect(final.files['files[0]'].data.subarray(0, 8)).toEqual(PNG_MAGIC);
    expect(final.headers.authorization).toBeUndefined();
  });
});

describe('Discord alert sender', () => {
  let h: ChatHarness;
  beforeAll(async () => {
    h = await startChatHarness({ discord: true });
  });
  afterAll(() => h?.close());
  const alert = (silent: boolean) => ({ type: 'fill', severity: 'info' as const, body: { title: 'Fill', text: ['BTC/USDT buy 0.01'], buttons: [{ label: 'Status', command: '/status' }] }, silent, createdAt: Date.now() });

  it('posts bot messages to the alert channel, silent ones without notification', async () => {
    const sender = h.chat.senders.find((s) => s.channel === 'discord')!;
    await sender.send(h.config.DISCORD_ALERT_CHANNEL_ID!, alert(true));
    const sent = h.discord!.calls('POST /channels/:id/messages').at(-1)!;
    expect(sent.path).toBe(`/v10/channels/${h.config.DISCORD_ALERT_CHANNEL_ID}/messages`);
    expect(sent.body).toMatchObject({ flags: 4096, allowed_mentions: { parse: [] } });
    expect(sent.headers.authorization).toBe(`Bot ${h.discord!.botToken}`);
  });

  it('opens an admin’s DM channel once for `dm:<id>` destinations', async () => {
    const sender = h.chat.senders.find((s) => s.channel === 'discord')!;
    await sender.send(`dm:${admin}`, alert(false));
    await sender.send(`dm:${admin}`, alert(false));
    const opened = h.discord!.calls('POST /users/@me/channels');
    expect(opened).toHaveLength(1);
    expect(opened[0].body).toEqual({ recipient_id: admin });
    const dm = `9${admin.slice(1)}`;
    expect(h.discord!.calls('POST /channels/:id/messages').filter((r) => r.path === `/v10/channels/${dm}/messages`)).toHaveLength(2);
  });

  it('posts through the channel webhook without buttons', async () => {
    const sender = h.chat.senders.find((s) => s.channel === 'discord')!;
    await sender.send('webhook', alert(false));
    const sent = h.discord!.calls('POST /webhooks/:id/:token').at(-1)!;
    expect(sent.path).toBe('/v10/webhooks/1200000000000000004/webhook-token-abc');
    expect(sent.body.components).toBeUndefined();
    expect(sent.query.get('wait')).toBe('true');
  });

  it('surfaces every 429 as RetryLaterError with retry_after, even when it persists', async () => {
    const sender = h.chat.senders.find((s) => s.channel === 'discord')!;
    h.discord!.failNext('POST /channels/:id/messages', discordError(429, 0, '', 2), 3);
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const err = await sender.send(h.config.DISCORD_ALERT_CHANNEL_ID!, alert(false)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryLaterError);
      expect((err as RetryLaterError).retryAt).toBeGreaterThanOrEqual(t0 + 1_900);
      expect((err as RetryLaterError).retryAt).toBeLessThanOrEqual(Date.now() + 2_200);
    }
    h.discord!.failNext('POST /webhooks/:id/:token', discordError(429, 0, '', 4));
    const err = await sender.send('webhook', alert(false)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).retryAt).toBeGreaterThan(Date.now() + 3_000);
  });
});

describe('Discord without DISCORD_GUILD_ID', () => {
  it('registers the slash commands globally', async () => {
    const h = await startChatHarness({ discord: true, env: { DISCORD_GUILD_ID: '' } });
    try {
      const put = h.discord!.calls('PUT /applications/:id/commands');
      expect(put).toHaveLength(1);
      expect(put[0].path).toBe(`/v10/applications/${DISCORD_APP_ID}/commands`);
      expect(h.discord!.calls('PUT /applications/:id/guilds/:id/commands')).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
