#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL when it answers (required when MOTCUA_REQUIRE_PG=1), there twice:
# as migrated, and with the history and audit tables partitioned by month.
set -uo pipefail
BIN="$1"; PG_URL="$2"; shift 2
status=0

run() {  # pytest exit 5 ("no tests collected") is a failure here: an empty suite proves nothing.
  local label="$1"; shift
  echo "=== tests on $label ==="
  "$@"; local rc=$?
  [ $rc -ne 0 ] && echo "=== $label: FAILED (exit $rc) ===" && status=1
}

run SQLite env DATABASE_URL= "$BIN/pytest" -n "${MOTCUA_TEST_WORKERS:-2}" "$@"

if "$BIN/python" - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
PY
then
  run PostgreSQL env DATABASE_URL="$PG_URL" "$BIN/pytest" -n "${MOTCUA_TEST_WORKERS:-2}" "$@"
  # Again with the history and audit tables partitioned by month, as a province that ran `motcua partitions convert`.
  run "PostgreSQL, partitioned history and audit" env DATABASE_URL="$PG_URL" MOTCUA_TEST_PARTITIONED=1 \
    "$BIN/pytest" -n "${MOTCUA_TEST_WORKERS:-2}" "$@"
elif [ "${MOTCUA_REQUIRE_PG:-0}" = 1 ]; then
  echo "PostgreSQL at $PG_URL does not answer and MOTCUA_REQUIRE_PG=1" >&2; status=1
else
  echo "PostgreSQL at $PG_URL does not answer: skipped the PostgreSQL run (set TEST_PG_URL)." >&2
fi
exit $status
