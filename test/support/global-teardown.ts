import { runPrefix, TEST_DB, withAdminClient } from './test-database';

/** Drops any database of this run that a failed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  if (TEST_DB !== 'postgres') return;
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${runPrefix()}%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}
