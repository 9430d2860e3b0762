#!/bin/sh
# Runs once, when the compose Postgres volume is created: one database and one login role per
# service, each role owning only its own database (least privilege). Passwords come from the
# environment of the postgres container (SERVICE_DATABASES="name:password name:password").
# READ_ONLY_ROLES="role:database:password ..." adds login roles that may read what the owner of
# that database creates there, now and later (default privileges: migrations, a rebuild's new
# schema), and nothing else. Its local twin: ensureReadOnlyRole in ../src/infra/service-databases.ts.
set -eu
for entry in ${SERVICE_DATABASES}; do
  name="${entry%%:*}"
  password="${entry#*:}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$name" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
done
for entry in ${READ_ONLY_ROLES:-}; do
  role="${entry%%:*}"
  rest="${entry#*:}"
  database="${rest%%:*}"
  password="${rest#*:}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$database" \
    -v role="$role" -v database="$database" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'database', :'role') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT USAGE ON SCHEMAS TO %I', :'database', :'role') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT SELECT ON TABLES TO %I', :'database', :'role') \gexec
SQL
done
