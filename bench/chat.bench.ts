/**
 * Chat benchmark: the command path in process and the two webhook answers that have platform
 * deadlines.
 *
 *  1. Command handling in process: router.handle (parse, dedupe insert, authorise, validate, audit
 *     row) of `/audit 5` — its handler reads the audit log from PGlite — then the reply rendered for
 *     Telegram, Discord and LINE. Target p50 ≤ 2 ms, p99 ≤ 20 ms.
 *  2. Discord deferral: a signed HTTP interaction for the slow `/backtest` → the type-5 answer, over
 *     the real HTTP server (Ed25519 verification included). Target p99 ≤ 250 ms.
 *  3. LINE webhook: a signed event → the 200 answer (processing happens after). Target p99 ≤ 100 ms.
 *
 * Run: `node --import tsx bench/chat.bench.ts`. Prints figures and PASS/FAIL per target; exit 1 on a FAIL.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Hono } from 'hono';
import pino from 'pino';
import { COMMANDS } from '../commands/index.ts';
import { createCommandRouter } from '../commands/router.ts';
import { parseChatUsers } from '../commands/users.ts';
import { createChat } from '../src/adapters/chat/index.ts';
import { ButtonPayloads } from '../src/adapters/chat/render/button-payloads.ts';
import { renderDiscord } from '../src/adapters/chat/render/discord-message.ts';
import { renderLine } from '../src/adapters/chat/render/line-messages.ts';
import { renderTelegram } from '../src/adapters/chat/render/telegram-html.ts';
import { openDatabase } from '../src/adapters/db/client.ts';
import { migrate } from '../src/adapters/db/migrate.ts';
import { startHttpServer } from '../src/adapters/http/server.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/ports/clock.ts';
import { createFakeServices } from '../tests/support/fake-services.ts';
import { DiscordStandIn } from '../tests/support/standins/discord.ts';
import { LineStandIn, lineSignature } from '../tests/support/standins/line.ts';
import { createDbChatStore } from '../src/adapters/db/chat-store.ts';
import { CHAT_PLATFORMS } from '../src/chat-platforms.ts';

const logger = pino({ level: 'silent' });
const failures: string[] = [];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(name: string, samples: number[], targets: Array<[p: number, maxMs: number]>): void {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  console.log(`${name}: n=${s.length} mean=${mean.toFixed(3)} ms p50=${percentile(s, 50).toFixed(3)} ms p99=${percentile(s, 99).toFixed(3)} ms max=${s.at(-1)!.toFixed(3)} ms`);
  for (const [p, max] of targets) {
    const got = percentile(s, p);
    const ok = got <= max;
    const line = `${ok ? 'PASS' : 'FAIL'} target ${name} p${p} ≤ ${max} ms (got ${got.toFixed(3)} ms)`;
    console.log(line);
    if (!ok) failures.push(line);
  }
}

const ADMIN_TG = '111111111';
const ADMIN_DC = '80351110224678912';
const ADMIN_LINE = `U${'a'.repeat(32)}`;

const database = await openDatabase({ dataDir: 'memory://' });
await migrate(database);
const services = createFakeServices(() => Date.now());

// 1. In-process command handling --------------------------------------------------------------
{
  const router = createCommandRouter({
    commands: COMMANDS,
    services,
    store: createDbChatStore(database.db),
    logger,
    clock: systemClock,
    users: parseChatUsers(`telegram:${ADMIN_TG}=admin`, CHAT_PLATFORMS),
    rateLimitPerMinute: 10_000,
  });
  const payloads = new ButtonPayloads();
  const caller = { platform: 'telegram' as const, userId: ADMIN_TG, chatId: ADMIN_TG };
  let id = 0;
  const once = async () => {
    const reply = await router.handle({ caller, text: '/audit 5', deliveryId: `bench-${id++}` });
    if (!reply || reply.tone === 'error') throw new Error(`unexpected reply: ${JSON.stringify(reply)}`);
    renderTelegram(reply, payloads);
    renderDiscord(reply, payloads);
    renderLine(reply, { payloads });
  };
  for (let i = 0; i < 300; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  report('command in process (/audit 5 → PGlite read → Telegram+Discord+LINE payloads)', samples, [
    [50, 2],
    [99, 20],
  ]);
}

// 2 + 3. Webhooks over the real HTTP server -----------------------------------------------------
{
  const discord = await new DiscordStandIn().start();
  const line = await new LineStandIn().start();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(12)).toString('hex');
  const lineSecret = 'bench-line-channel-secret';
  const config = loadConfig({
    DATA_DIR: 'memory://',
    CONSOLE: 'false',
    COMMAND_RATE_LIMIT: '10000',
    CHAT_USERS: `discord:${ADMIN_DC}=admin,line:${ADMIN_LINE}=admin`,
    DISCORD_BOT_TOKEN: discord.botToken,
    DISCORD_APP_ID: '1200000000000000001',
    DISCORD_PUBLIC_KEY: publicHex,
    DISCORD_API_URL: discord.url,
    DISCORD_GATEWAY: 'false',
    LINE_CHANNEL_SECRET: lineSecret,
    LINE_CHANNEL_ACCESS_TOKEN: line.accessToken,
    LINE_API_URL: line.url,
  });
  const router = createCommandRouter({ commands: COMMANDS, services, store: createDbChatStore(database.db), logger, clock: systemClock, users: parseChatUsers(config.CHAT_USERS, CHAT_PLATFORMS), rateLimitPerMinute: 10_000 });
  const chat = await createChat({ config, router, services, database, logger });
  let app: Hono | undefined;
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, logger, readiness: [], hardening: { banAfter: 1e9, ratePerMinute: 1e9 }, mount: [(a) => (app = a)] });
  chat.mount(app!);
  await chat.start();

  const discordSamples: number[] = [];
  for (let i = 0; i < 330; i++) {
    const id = String(1_260_000_000_000_000_000n + BigInt(i));
    const body = JSON.stringify({
      id,
      application_id: '1200000000000000001',
      type: 2,
      token: `bench-token-${id}`,
      version: 1,
      channel_id: '1200000000000000010',
      member: { user: { id: ADMIN_DC, username: 'bench' } },
      data: { name: 'backtest', type: 1, options: [{ name: 'strategy', type: 3, value: 'sma-cross' }, { name: 'symbol', type: 3, value: 'BTC/USDT' }, { name: 'timeframe', type: 3, value: '1h' }] },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const headers = { 'content-type': 'application/json', 'x-signature-timestamp': ts, 'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex') };
    const t0 = performance.now();
    const res = await fetch(`${http.url}/interactions/discord`, { method: 'POST', body, headers });
    const answer = (await res.json()) as { type: number };
    const ms = performance.now() - t0;
    if (answer.type !== 5) throw new Error(`expected a deferral, got ${JSON.stringify(answer)}`);
    if (i >= 30) discordSamples.push(ms);
  }
  report('Discord deferral (signed interaction → type 5)', discordSamples, [[99, 250]]);

  const lineSamples: number[] = [];
  for (let i = 0; i < 330; i++) {
    const body = JSON.stringify({
      destination: 'Ubot',
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp: Date.now(),
          webhookEventId: `01HBENCH${String(i).padStart(18, '0')}`,
          deliveryContext: { isRedelivery: false },
          replyToken: `bench-reply-${i}`,
          source: { type: 'user', userId: ADMIN_LINE },
          message: { type: 'text', id: String(i), text: 'status' },
        },
      ],
    });
    const t0 = performance.now();
    const res = await fetch(`${http.url}/webhooks/line`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body, lineSecret) } });
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`LINE webhook answered ${res.status}`);
    if (i >= 30) lineSamples.push(ms);
  }
  report('LINE webhook answered (signed event → 200)', lineSamples, [[99, 100]]);

  await chat.stop();
  const replies = line.calls('/v2/bot/message/reply').length;
  const edits = discord.calls('PATCH /webhooks/:id/:token/messages/@original').length;
  console.log(`follow-ups completed: ${edits} Discord edits, ${replies} LINE replies`);
  await http.close();
  await Promise.all([discord.close(), line.close()]);
}

await database.close();
if (failures.length > 0) {
  console.log(`${failures.length} target(s) missed`);
  process.exit(1);
}
