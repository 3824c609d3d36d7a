import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { parseLineEvent } from '../../../src/adapters/chat/line/line-events.ts';
import { parseTelegramUpdate } from '../../../src/adapters/chat/telegram/telegram-updates.ts';
import { commandName } from '../../../src/adapters/chat/command-lookup.ts';

const from = { id: 42, is_bot: false, first_name: 'Ann', username: 'ann' };

function message(text: string, chatType: 'private' | 'group' = 'private'): Update {
  return { update_id: 7, message: { message_id: 1, date: 0, chat: { id: chatType === 'private' ? 42 : -100, type: chatType, title: 'g' } as never, from, text } } as Update;
}

describe('Telegram update parsing', () => {
  it('turns a private text message into a command with the caller and delivery id', () => {
    expect(parseTelegramUpdate(message('/status'), 'bot')).toEqual({
      kind: 'text',
      caller: { platform: 'telegram', userId: '42', chatId: '42', displayName: 'ann' },
      chatId: '42',
      text: '/status',
      deliveryId: '7',
      messageId: 1,
    });
  });

  it('reads only commands in groups and ignores commands for another bot', () => {
    expect(parseTelegramUpdate(message('hello all', 'group'), 'bot')).toBeUndefined();
    expect(parseTelegramUpdate(message('/status@otherbot', 'group'), 'tradeops_bot')).toBeUndefined();
    expect(parseTelegramUpdate(message('/status@TradeOps_Bot', 'group'), 'tradeops_bot')).toMatchObject({ kind: 'text', text: '/status@TradeOps_Bot' });
  });

  it('turns a button press into a button inbound', () => {
    const update = { update_id: 8, callback_query: { id: 'q1', from, chat_instance: 'c', data: '/confirm X', message: { message_id: 5, date: 0, chat: { id: 42, type: 'private' } } } } as unknown as Update;
    expect(parseTelegramUpdate(update, 'bot')).toMatchObject({ kind: 'button', payload: '/confirm X', callbackQueryId: 'q1', messageId: 5, deliveryId: '8' });
  });

  it('ignores bots, edits and non-text messages', () => {
    expect(parseTelegramUpdate({ update_id: 9, edited_message: {} } as unknown as Update, 'bot')).toBeUndefined();
    expect(parseTelegramUpdate({ update_id: 10, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, from, sticker: {} } } as unknown as Update, 'bot')).toBeUndefined();
  });

  it('finds the command name in every accepted form', () => {
    expect(commandName('/status@MyBot extra')).toBe('status');
    expect(commandName('STATUS')).toBe('status');
    expect(commandName('   ')).toBeUndefined();
  });
});

describe('LINE event parsing', () => {
  const base = { timestamp: 1, webhookEventId: 'E1', replyToken: 'r1', deliveryContext: { isRedelivery: true } };

  it('reads typed commands with or without a slash in 1:1 chats', () => {
    const e = parseLineEvent({ ...base, type: 'message', source: { type: 'user', userId: 'U1' }, message: { type: 'text', text: ' status ' } });
    expect(e).toEqual({ kind: 'text', text: 'status', caller: { platform: 'line', userId: 'U1', chatId: 'U1' }, to: 'U1', deliveryId: 'E1', replyToken: 'r1', eventTimestamp: 1, isRedelivery: true });
  });

  it('reads only /commands in groups and answers to the group', () => {
    const src = { type: 'group' as const, groupId: 'G1', userId: 'U1' };
    expect(parseLineEvent({ ...base, type: 'message', source: src, message: { type: 'text', text: 'hi' } })).toBeUndefined();
    expect(parseLineEvent({ ...base, type: 'message', source: src, message: { type: 'text', text: '/status' } })?.to).toBe('G1');
  });

  it('turns postbacks into commands and ignores other events', () => {
    expect(parseLineEvent({ ...base, type: 'postback', source: { type: 'user', userId: 'U1' }, postback: { data: '/confirm X' } })?.text).toBe('/confirm X');
    expect(parseLineEvent({ ...base, type: 'follow', source: { type: 'user', userId: 'U1' } })).toBeUndefined();
    expect(parseLineEvent({ ...base, type: 'message', source: { type: 'group', groupId: 'G' }, message: { type: 'text', text: '/status' } })).toBeUndefined();
  });
});
