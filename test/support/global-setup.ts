import { randomBytes } from 'node:crypto';
import { TEST_DB, TEST_POSTGRES_URL, withAdminClient } from './test-database';

export default async function globalSetup(): Promise<void> {
  process.env.ASSAY_TEST_RUN_ID = randomBytes(4).toString('hex');
  if (TEST_DB === 'postgres') {
    try {
      await withAdminClient((client) => client.query('SELECT 1'));
    } catch (error) {
      throw new Error(`PostgreSQL tests need a server at ${TEST_POSTGRES_URL} (ASSAY_TEST_POSTGRES_URL): ${String(error)}`);
    }
  }
}
