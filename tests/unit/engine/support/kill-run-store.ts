import type { KillRun, RiskStore } from '../../../../src/ports/risk-store.ts';

/**
 * The kill-run half of RiskStore in memory, stored as copies (what a JSON column keeps: later changes
 * to the caller's objects are not seen until written). Every other method throws, so a test using it
 * by accident fails loudly. The drizzle implementation is exercised in
 * tests/integration/engine/risk-layer.test.ts.
 */
export function memoryKillRunStore(): RiskStore & { runs: Map<number, KillRun>; writes: number } {
  const runs = new Map<number, KillRun>();
  const copy = <T>(x: T): T => structuredClone(x);
  const unused = () => {
    throw new Error('not used by these tests');
  };
  const store = {
    runs,
    writes: 0,
    async createKillRun(run: Omit<KillRun, 'id'>) {
      const id = runs.size + 1;
      runs.set(id, { ...copy(run), id });
      store.writes++;
      return id;
    },
    async updateKillRun(id: number, patch: Partial<Omit<KillRun, 'id'>>) {
      const r = runs.get(id);
      if (!r) throw new Error(`no kill run ${id}`);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      runs.set(id, { ...r, ...copy(defined) });
      store.writes++;
    },
    async runningKillRun() {
      const running = [...runs.values()].filter((r) => r.status === 'running').sort((a, b) => b.id - a.id)[0];
      return running && copy(running);
    },
    savePanic: unused,
    panicSince: unused,
    prunePanic: unused,
    insertSweep: unused,
    updateSweep: unused,
    sweptSince: unused,
    closedTradePnls: unused,
  };
  return store;
}
