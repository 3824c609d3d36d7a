import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { createChartLinks } from '../../../src/adapters/http/routes/chart-links.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('chart links', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chart-links-'));
  const file = join(dir, 'equity.png');
  writeFileSync(file, PNG);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes no links without PUBLIC_URL', () => {
    const links = createChartLinks({});
    expect(links.enabled).toBe(false);
    expect(links.create(file)).toBeUndefined();
  });

  it('serves the PNG at an unguessable URL until it expires', async () => {
    let t = 1_000;
    const links = createChartLinks({ publicUrl: 'https://bot.example.com/', ttlMs: 60_000, now: () => t });
    const app = new Hono();
    links.mount(app);
    const url = links.create(file)!;
    const other = links.create(file)!;
    expect(url).toMatch(/^https:\/\/bot\.example\.com\/charts\/[A-Za-z0-9_-]{43}\.png$/);
    expect(other).not.toBe(url);
    expect(url).not.toContain('equity');
    const path = new URL(url).pathname;
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    expect((await app.request('/charts/' + 'A'.repeat(43) + '.png')).status).toBe(404);
    expect((await app.request('/charts/../../etc/passwd')).status).toBe(404);
    t += 60_000;
    expect((await app.request(path)).status).toBe(404);
    expect(links.size()).toBe(0);
  });
});
