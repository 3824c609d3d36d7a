/**
 * ccxt error messages embed the full request: URL with query string and `signature=…`, sometimes
 * headers (`X-MBX-APIKEY`) and bodies. Everything the exchange adapter throws or logs passes through
 * here first, so no key, secret, signature or request URL reaches a log line, an alert or a chat.
 */

const REDACTED = '[redacted]';

/** `http(s)://` and `ws(s)://` URLs up to whitespace or a quote/bracket. */
const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'<>\\`]+/gi;
/** signature=…, in a query string or form body. */
const SIGNATURE_PATTERN = /(signature=)[^&\s"'<>]*/gi;
/** Header or field names whose values are credentials, followed by `:`/`=` and a value. */
const CREDENTIAL_FIELD_PATTERN =
  /((?:x-mbx-apikey|x-mbx-signature|api[-_]?key|api[-_]?secret|secret(?:[-_]?key)?|password|passphrase|access[-_]?token|authorization)["']?\s*[:=]\s*["']?)([^\s"',&}]+)/gi;

/** Keep only the path of a URL (no scheme, host, userinfo, query string or fragment). */
function urlToPath(url: string): string {
  const m = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(url);
  const path = m?.[1] || '/';
  return `[url ${path}]`;
}

/**
 * Remove secrets from a text: the given secret values (and their URL-encoded form), signatures,
 * credential fields, and every URL reduced to its path.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would also match ordinary words; real keys are long.
    if (!secret || secret.length < 6) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
  }
  out = out.replace(URL_PATTERN, urlToPath);
  out = out.replace(SIGNATURE_PATTERN, `$1${REDACTED}`);
  out = out.replace(CREDENTIAL_FIELD_PATTERN, `$1${REDACTED}`);
  return out;
}

/** A safe stand-in for a library error: same name, scrubbed message, a stack that holds no secrets. */
export function scrubbedError(err: unknown, secrets: readonly (string | undefined)[] = []): Error {
  const name = err instanceof Error ? err.constructor?.name || err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const safe = new Error(scrubSecrets(message, secrets));
  safe.name = name;
  return safe;
}
