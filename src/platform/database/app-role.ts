/** Tables whose rows are evidence: the application may only add and read them. */
export const APPEND_ONLY_TABLES = ['ledger_entries', 'ledger_nodes', 'ledger_keys', 'ledger_checkpoints', 'evidence_records'];

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The grants for the production split of duties: migrations run as the table owner, and the
 * application connects as `role`, which may read and write ordinary tables but only INSERT and
 * SELECT the append-only ones. It cannot disable the triggers (not the owner) nor set
 * session_replication_role (not a superuser). Run as the owner after `assay migrate`.
 */
export function appRoleGrants(role: string): string[] {
  if (!ROLE_NAME.test(role)) throw new Error(`"${role}" is not a plain lower-case role name`);
  const appendOnly = APPEND_ONLY_TABLES.join(', ');
  return [
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON ${appendOnly} FROM ${role}`,
    `REVOKE ALL ON schema_migrations FROM ${role}`,
    `GRANT SELECT ON schema_migrations TO ${role}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  ];
}
