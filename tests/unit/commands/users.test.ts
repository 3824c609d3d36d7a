import { describe, expect, it } from 'vitest';
import { parseChatUsers } from '../../../commands/users.ts';
import { CHAT_PLATFORMS } from '../../../src/chat-platforms.ts';
import { ConfigError } from '../../../src/config.ts';

const LINE_ID = 'U4af4980629abcdef0123456789abcdef';

describe('parseChatUsers', () => {
  it('parses platform:id=role entries', () => {
    const users = parseChatUsers(` telegram:123456789=admin, discord:80351110224678912=trader,line:${LINE_ID}=viewer `, CHAT_PLATFORMS);
    expect(users.entries).toEqual([
      { platform: 'telegram', userId: '123456789', role: 'admin' },
      { platform: 'discord', userId: '80351110224678912', role: 'trader' },
      { platform: 'line', userId: LINE_ID, role: 'viewer' },
    ]);
    expect(users.roleOf({ platform: 'telegram', userId: '123456789' })).toBe('admin');
    expect(users.roleOf({ platform: 'discord', userId: '123456789' })).toBeUndefined();
    expect(users.roleOf({ platform: 'console', userId: 'anyone' })).toBe('admin');
  });

  it('accepts an empty or missing list (console only)', () => {
    expect(parseChatUsers(undefined, CHAT_PLATFORMS).entries).toEqual([]);
    expect(parseChatUsers('', CHAT_PLATFORMS).entries).toEqual([]);
  });

  it('collects every problem into one ConfigError naming CHAT_USERS', () => {
    let error: ConfigError | undefined;
    try {
      parseChatUsers('telegram:123=admin,slack:1=admin,telegram:abc=viewer,discord:80351110224678912=boss,line:U123=viewer,telegram=admin,telegram:123=viewer', CHAT_PLATFORMS);
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      'CHAT_USERS entry 2 "slack:1=admin": unknown platform "slack" — expected telegram, discord or line (the console user is always admin)',
      'CHAT_USERS entry 3 "telegram:abc=viewer": "abc" is not a telegram user id — e.g. telegram:123456789=admin',
      'CHAT_USERS entry 4 "discord:80351110224678912=boss": unknown role "boss" — expected viewer, trader or admin',
      'CHAT_USERS entry 5 "line:U123=viewer": "U123" is not a line user id — e.g. line:U4af4980629abcdef0123456789abcdef=viewer',
      'CHAT_USERS entry 6 "telegram=admin": expected platform:id=role entries separated by commas, e.g. telegram:123456789=admin,discord:80351110224678912=trader (roles: viewer, trader, admin)',
      'CHAT_USERS entry 7 "telegram:123=viewer": telegram:123 is listed twice with different roles (admin, viewer)',
    ]);
    expect(error!.message).toContain('invalid configuration');
  });
});
