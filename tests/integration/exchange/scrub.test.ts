/** scrubSecrets on the kinds of text ccxt produces (its error messages carry the signed request). */
import { describe, expect, it } from 'vitest';
import { scrubSecrets, scrubbedError } from '../../../src/adapters/exchange/scrub.ts';

const KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

describe('scrubSecrets', () => {
  it('reduces request URLs to their path (no host, no query string, no signature)', () => {
    const msg = `binance GET https://api.binance.com/api/v3/account?timestamp=1700000000000&recvWindow=10000&signature=0a1b2c3d4e5f 401 Unauthorized {"code":-2015}`;
    const out = scrubSecrets(msg);
    expect(out).toBe('binance GET [url /api/v3/account] 401 Unauthorized {"code":-2015}');
  });

  it('removes signature= in form bodies and the X-MBX-APIKEY header value', () => {
    const out = scrubSecrets(`body: symbol=BTCUSDT&side=BUY&timestamp=1&signature=deadbeef00 headers: {"X-MBX-APIKEY":"${KEY}"}`);
    expect(out).not.toContain('deadbeef00');
    expect(out).not.toContain(KEY);
    expect(out).toContain('signature=[redacted]');
  });

  it('removes known key/secret values wherever they appear, also URL-encoded', () => {
    const weird = 'abc/def+ghi=jkl==';
    const out = scrubSecrets(`key ${KEY} secret=${SECRET} in ${encodeURIComponent(weird)} and ${weird}`, [KEY, SECRET, weird]);
    for (const s of [KEY, SECRET, weird, encodeURIComponent(weird)]) expect(out).not.toContain(s);
  });

  it('redacts credential-looking fields even without knowing the values', () => {
    const out = scrubSecrets('apiKey: "abcd1234efgh" secret=zyx987 password:"p4ss" Authorization: Bearer-xyz');
    expect(out).not.toMatch(/abcd1234efgh|zyx987|p4ss|Bearer-xyz/);
  });

  it('keeps ordinary text untouched', () => {
    const msg = 'binance Account has insufficient balance for requested action.';
    expect(scrubSecrets(msg, [KEY, SECRET])).toBe(msg);
  });

  it('scrubbedError keeps the class name and gives a clean stack', () => {
    class RequestTimeout extends Error {}
    const raw = new RequestTimeout(`binance POST https://api.binance.com/api/v3/order?signature=${SECRET} request timed out`);
    const safe = scrubbedError(raw, [SECRET]);
    expect(safe.name).toBe('RequestTimeout');
    expect(safe.message).toBe('binance POST [url /api/v3/order] request timed out');
    expect(safe.stack).not.toContain(SECRET);
    expect(safe.stack).not.toContain('signature=');
  });
});

describe('scrubSecrets: every URL form and credential field ccxt messages carry', () => {
  it.each([
    ['http://127.0.0.1:9000/api/v3/order?signature=1', '[url /api/v3/order]'],
    ['HTTPS://API.BINANCE.COM/api/v3/account', '[url /api/v3/account]'],
    ['ws://stream.example.com/ws/btcusdt@trade', '[url /ws/btcusdt@trade]'],
    ['wss://user:pa55@stream.example.com/ws?listenKey=abc', '[url /ws]'],
    ['https://api.binance.com?apiKey=abc', '[url /]'],
    ['https://api.binance.com', '[url /]'],
    ['https://api.binance.com#frag', '[url /]'],
    ['https://api.binance.com/a/b#frag', '[url /a/b]'],
  ])('%s → %s', (url, path) => {
    expect(scrubSecrets(`GET ${url} failed`)).toBe(`GET ${path} failed`);
  });

  it('ends a URL at whitespace, quotes, angle brackets, backslashes and backticks', () => {
    expect(scrubSecrets(`{"url":"https://h/p?q=1","next":'https://h/r?q=2'} <https://h/s?q=3> \`https://h/t?q=4\` https://h/u?q=5\\n`))
      .toBe(`{"url":"[url /p]","next":'[url /r]'} <[url /s]> \`[url /t]\` [url /u]\\n`);
  });

  it('leaves words that only look like a scheme alone', () => {
    expect(scrubSecrets('ftp://host/x and https:/broken and xhttps://h/p')).toBe('ftp://host/x and https:/broken and xhttps://h/p');
  });

  it('redacts signature= up to the next field, quote or bracket, in any case', () => {
    expect(scrubSecrets('a=1&signature=s1g&b=2 SIGNATURE=S2 "signature=s3" <signature=s4>'))
      .toBe('a=1&signature=[redacted]&b=2 SIGNATURE=[redacted] "signature=[redacted]" <signature=[redacted]>');
  });

  it.each([
    ['X-MBX-APIKEY: k1', 'X-MBX-APIKEY: [redacted]'],
    ['x-mbx-signature=k2', 'x-mbx-signature=[redacted]'],
    ['apikey=k3', 'apikey=[redacted]'],
    ['api-key: k4', 'api-key: [redacted]'],
    ['api_key = k5', 'api_key = [redacted]'],
    ['apiSecret:k6', 'apiSecret:[redacted]'],
    ['api-secret=k7', 'api-secret=[redacted]'],
    ['api_secret=k8', 'api_secret=[redacted]'],
    ['secret=k9', 'secret=[redacted]'],
    ['secretKey=k10', 'secretKey=[redacted]'],
    ['secret-key=k11', 'secret-key=[redacted]'],
    ['secret_key=k12', 'secret_key=[redacted]'],
    ['password=k13', 'password=[redacted]'],
    ['passphrase: k14', 'passphrase: [redacted]'],
    ['accessToken=k15', 'accessToken=[redacted]'],
    ['access-token=k16', 'access-token=[redacted]'],
    ['access_token=k17', 'access_token=[redacted]'],
    ['Authorization: k18', 'Authorization: [redacted]'],
    ['{"apiKey":"k19","x":1}', '{"apiKey":"[redacted]","x":1}'],
    ["{'secret': 'k20'}", "{'secret': '[redacted]'}"],
    ['{password:k21}', '{password:[redacted]}'],
    ['apiKey=k22&nonce=5', 'apiKey=[redacted]&nonce=5'],
    ['apiKey=k23, next', 'apiKey=[redacted], next'],
    ['apiKey\t:\tk24', 'apiKey\t:\t[redacted]'],
  ])('%s', (input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });

  it('keeps the names of credential fields when no value follows', () => {
    expect(scrubSecrets('the apiKey is missing; password required')).toBe('the apiKey is missing; password required');
  });

  it('redacts a given secret of six characters, and leaves shorter values (ordinary words) alone', () => {
    expect(scrubSecrets('key abcdef and abcde', ['abcdef'])).toBe('key [redacted] and abcde');
    expect(scrubSecrets('key abcde here', ['abcde', undefined, ''])).toBe('key abcde here');
  });

  it('redacts every occurrence of the plain and the URL-encoded form', () => {
    const secret = 'a/b+c=d-e';
    expect(scrubSecrets(`${secret} x ${encodeURIComponent(secret)} y ${secret}`, [secret])).toBe('[redacted] x [redacted] y [redacted]');
  });
});

describe('scrubbedError', () => {
  it('falls back to the error name when the class has none, and to "Error" for a thrown non-error', () => {
    const Anonymous = (() => class extends Error {})();
    const err = new Anonymous('boom https://h/p?signature=1');
    err.name = 'ExchangeError';
    const safe = scrubbedError(err);
    expect(safe).toBeInstanceOf(Error);
    expect([safe.name, safe.message]).toEqual(['ExchangeError', 'boom [url /p]']);
    const thrown = scrubbedError('plain text with apiKey=abc123 and key k3y-value-1', ['k3y-value-1']);
    expect([thrown.name, thrown.message]).toEqual(['Error', 'plain text with apiKey=[redacted] and key [redacted]']);
  });

  it('never throws itself, even for an error that hides its constructor', () => {
    const odd = new Error('odd https://h/p?apiKey=1');
    Object.defineProperty(odd, 'constructor', { value: undefined });
    odd.name = 'OddError';
    const safe = scrubbedError(odd);
    expect([safe.name, safe.message]).toEqual(['OddError', 'odd [url /p]']);
  });

  it('takes the message of an error object, not its text form', () => {
    const safe = scrubbedError(new TypeError('bad input'));
    expect([safe.name, safe.message]).toEqual(['TypeError', 'bad input']);
  });
});
