import { describeAlertStoreContract } from '../../contract/alert-store.contract.ts';
import { memoryAlertStore } from './support/memory-alert-store.ts';

// The outbox's unit tests run on this store: it must keep the database implementation's contract.
describeAlertStoreContract('in memory (the outbox unit tests\' store)', async () => ({ store: memoryAlertStore(), done: async () => {} }));
