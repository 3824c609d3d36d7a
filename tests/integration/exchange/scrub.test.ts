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
