import { openDatabase } from '../../../src/adapters/db/client.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { describeTradingStoreContract } from '../../contract/trading-store.contract.ts';
import { createTempDatabase, pgServerUrl } from '../../support/pg-temp.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

describeTradingStoreContract('PGlite', async () => {
  const db = await openMigratedPglite();
  return { store: new DrizzleTradingStore(db.db), done: () => db.close() };
});

if (pgServerUrl()) {
  describeTradingStoreContract('PostgreSQL', async () => {
    const temp = await createTempDatabase();
    const db = await openDatabase({ url: temp.url });
    await migrate(db);
    return {
      store: new DrizzleTradingStore(db.db),
      async done() {
        await db.close();
        await temp.drop();
      },
    };
  });
}
