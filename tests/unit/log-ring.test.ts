import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { LogRing } from '../../src/log-ring.ts';
import { createLogger, registerSecrets } from '../../src/logger.ts';

const sink = () => new Writable({ write: (_c, _e, done) => done() });

describe('LogRing', () => {
  it('keeps the newest lines up to its capacity, oldest first, filtered by level', () => {
    const ring = new LogRing(3);
    for (let i = 1; i <= 5; i++) ring.add(JSON.stringify({ level: i === 4 ? 50 : 30, time: i, msg: `m${i}` }));
    expect(ring.recent(10).map((l) => l.msg)).toEqual(['m3', 'm4', 'm5']);
    expect(ring.recent(2).map((l) => l.msg)).toEqual(['m4', 'm5']);
    expect(ring.recent(10, 'error')).toEqual([{ ts: 4, level: 'error', msg: 'm4', component: undefined, error: undefined }]);
  });

  it('is fed by the logger: scrubbed lines, the error message without its stack', async () => {
    const secret = 'Sx9-quiet-lantern-77';
    registerSecrets([secret]);
    const ring = new LogRing();
    const logger = createLogger({ level: 'debug', destination: sink(), ring });
    logger.child({ component: 'orders' }).error({ err: new Error(`rejected for key ${secret}\n    at somewhere (file.ts:1:1)`) }, `order failed with ${secret}`);
    logger.debug('tick');
    logger.trace('not kept: below the level');
    await new Promise((r) => setImmediate(r));
    const lines = ring.recent(10);
    expect(lines.map((l) => [l.level, l.component, l.msg, l.error])).toEqual([
      ['error', 'orders', 'order failed with [REDACTED]', 'rejected for key [REDACTED]'],
      ['debug', undefined, 'tick', undefined],
    ]);
    expect(JSON.stringify(lines)).not.toContain(secret);
  });
});
