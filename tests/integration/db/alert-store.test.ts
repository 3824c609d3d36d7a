import { openDatabase } from '../../../src/adapters/db/client.ts';
import { createDbAlertStore } from '../../../src/adapters/db/alert-store.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import { describeAlertStoreContract } from '../../contract/alert-store.contract.ts';
import { createTempDatabase, pgServerUrl } from '../../support/pg-temp.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

describeAlertStoreContract('PGlite', async () => {
  const db = await openMigratedPglite();
  return { store: createDbAlertStore(db.db), done: () => db.close() };
});

if (pgServerUrl()) {
  describeAlertStoreContract('PostgreSQL', async () => {
    const temp = await createTempDatabase();
    const db = await openDatabase({ url: temp.url });
    await migrate(db);
    return {
      store: createDbAlertStore(db.db),
      async done() {
        await db.close();
        await temp.drop();
      },
    };
  });
}
