import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../../../src/adapters/db/write-batcher.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteBatcher (group commit)', () => {
  it('writes arriving while one is in flight share the next statement, in arrival order, each with its own result', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const b = new WriteBatcher<number, string>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((x) => `r${x}`);
    });
    const first = b.add(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4].map((x) => b.add(x));
    await tick();
    expect(b.pending).toBe(3);
    expect(batches).toHaveLength(1);
    release();
    expect(await first).toBe('r1');
    expect(await Promise.all(later)).toEqual(['r2', 'r3', 'r4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('writes in the same turn of the event loop go together; an idle batcher writes at once', async () => {
    const batches: number[][] = [];
    const b = new WriteBatcher<number, number>(async (items) => (batches.push(items), items));
    await Promise.all([b.add(1), b.add(2)]);
    await b.add(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const b = new WriteBatcher<number, number>(async (items) => (sizes.push(items.length), items), 4);
    await Promise.all(Array.from({ length: 10 }, (_, i) => b.add(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('a failed statement rejects every item of its batch and no other; the next batch is written', async () => {
    let calls = 0;
    let release!: () => void;
    const b = new WriteBatcher<number, number>(async (items) => {
      calls++;
      if (calls === 1) {
        await new Promise<void>((r) => (release = r));
        throw new Error('connection refused');
      }
      return items;
    });
    const a = b.add(1);
    await tick();
    const c = [b.add(2), b.add(3)];
    release();
    await expect(a).rejects.toThrow('connection refused');
    expect(await Promise.all(c)).toEqual([2, 3]);
  });

  it('a flush that answers the wrong number of results rejects the batch rather than mis-assigning', async () => {
    const b = new WriteBatcher<number, number>(async () => [1]);
    await expect(Promise.all([b.add(1), b.add(2)])).rejects.toThrow('2 items');
  });
});

describe('WriteBatcher.drain', () => {
  it('resolves only once every added item is written', async () => {
    const written: number[] = [];
    const b = new WriteBatcher<number, void>(async (items) => {
      await new Promise((r) => setTimeout(r, 20));
      written.push(...items);
      return items.map(() => undefined);
    });
    void b.add(1);
    void b.add(2);
    await b.drain();
    expect(written).toEqual([1, 2]);
  });
});
