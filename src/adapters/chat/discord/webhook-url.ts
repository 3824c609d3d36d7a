/** `https://discord.com/api/webhooks/{id}/{token}` (any host) → id and token. */
export function parseWebhookUrl(url: string): { id: string; token: string } | undefined {
  const m = /\/webhooks\/(\d+)\/([A-Za-z0-9_.-]+)\/?(?:\?.*)?$/.exec(url);
  return m ? { id: m[1]!, token: m[2]! } : undefined;
}
