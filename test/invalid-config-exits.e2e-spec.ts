import { runCli } from './support/cli';
import { TEST_DB } from './support/test-database';

// Configuration does not depend on the database: checked once, in the PGlite pass.
const describeOnce = TEST_DB === 'pglite' ? describe : describe.skip;

describeOnce('configuration at boot (PGlite pass only)', () => {
  it.each([
    [{ PORT: 'not-a-port' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, 'DATABASE_URL'],
    [{ ASSAY_LOG_LEVEL: 'loud' }, 'ASSAY_LOG_LEVEL'],
    [{ ASSAY_SESSION_TTL_MINUTES: '0' }, 'ASSAY_SESSION_TTL_MINUTES'],
  ])('%j stops the process non-zero, naming %s', async (env, variable) => {
    const result = await runCli(['serve'], env);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(variable);
    expect(result.stdout).not.toContain('serving');
  });

  it('never prints a secret value, even when it is invalid', async () => {
    const result = await runCli(['config'], { DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(result.code).toBe(78);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('`assay config` prints every setting with secrets masked', async () => {
    const result = await runCli(['config', '--json'], { DATABASE_URL: 'postgres://u:hunter2@db/x', ASSAY_DATA_DIR: '/tmp/x' });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { variable: string; value: string; isSensitive: boolean; isDefault: boolean }[];
    expect(rows.find((r) => r.variable === 'DATABASE_URL')).toMatchObject({ value: '********', isSensitive: true, isDefault: false });
    expect(rows.find((r) => r.variable === 'PORT')).toMatchObject({ value: '3000', isDefault: true });
    expect(result.stdout).not.toContain('hunter2');
  });
});
