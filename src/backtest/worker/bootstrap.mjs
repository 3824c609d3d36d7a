// Worker entry when the TypeScript sources run (tests, `npm run dev`): a worker thread does not
// inherit the tsx loader registered by vitest or `node --import tsx`, so register it here before
// loading the TypeScript worker. The built program (dist/) starts backtest-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./backtest-worker.ts');
