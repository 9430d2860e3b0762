#!/bin/sh
# Runs once, when the compose Postgres volume is created: one database and one login role per
# service, each role owning only its own database (least privilege). Passwords come from the
# environment of the postgres container (SERVICE_DATABASES="name:password name:password").
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
