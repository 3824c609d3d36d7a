import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A real PNG chart on disk (rendered by resvg, as the backtest report does). */
export function writeTestChart(dir = mkdtempSync(join(tmpdir(), 'chat-chart-'))): string {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><polyline points="0,30 20,20 40,24 64,2" stroke="#0a0" fill="none" stroke-width="2"/></svg>';
  const png = new Resvg(svg).render().asPng();
  const path = join(dir, 'equity.png');
  writeFileSync(path, png);
  return path;
}
