-- Creates the role the Assay API and workers connect as: `assay_app`.
--
-- Run by the postgres image on first initialisation only (an empty data volume), with psql, as
-- POSTGRES_USER (the schema owner that `assay migrate` connects as), in database POSTGRES_DB.
-- Outside Docker:  ASSAY_APP_DB_PASSWORD=... psql -v ON_ERROR_STOP=1 -U <owner> -d <db> -f 01-roles.sql
--
-- The password comes from the environment variable ASSAY_APP_DB_PASSWORD (read with psql's \getenv,
-- psql 15 or later). If it is unset, the placeholder 'change-me' is used: change it with
--   ALTER ROLE assay_app PASSWORD '...';
--
-- Privileges: the owner's future tables in schema public get SELECT, INSERT, UPDATE, DELETE for
-- assay_app, and its sequences USAGE, SELECT. assay_app owns nothing, so it cannot create, alter or
-- drop tables. The ledger tables must be append-only for it: the migration that creates them must
-- REVOKE UPDATE, DELETE ON <ledger table> FROM assay_app (DESIGN.md "Deployment").

\set ON_ERROR_STOP on

\getenv assay_app_password ASSAY_APP_DB_PASSWORD
\if :{?assay_app_password}
\else
  \warn '01-roles.sql: ASSAY_APP_DB_PASSWORD is not set; assay_app gets the placeholder password change-me. Change it.'
  \set assay_app_password 'change-me'
\endif

CREATE ROLE assay_app LOGIN PASSWORD :'assay_app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
\unset assay_app_password

SELECT format('GRANT CONNECT ON DATABASE %I TO assay_app', current_database()) \gexec

-- Only the owner creates objects in public (already the default since PostgreSQL 15).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO assay_app;

-- Objects that the current role (the owner, which runs the migrations) creates from now on.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO assay_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO assay_app;
