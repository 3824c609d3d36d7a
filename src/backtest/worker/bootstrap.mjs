// Worker entry: a worker thread does not inherit the tsx loader registered by bin/tradeops.js (or by
// vitest), so register it here before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./backtest-worker.ts');
