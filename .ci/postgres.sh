# shellcheck shell=bash
# A throwaway PostgreSQL server for the database tests (tests/test_store.py).
#
#   source .ci/postgres.sh      # exports BCPARSE_TEST_PG_URL (or leaves it unset and says why)
#   bash .ci/postgres.sh        # the same, printing the export line to copy
#
# Installs Debian's postgresql package when no server binaries are found (as root), creates a
# cluster in $BCPARSE_PG_DIR (default /tmp/bcparse-pg) owned by the postgres user, starts it on
# localhost:$BCPARSE_PG_PORT (default 54329, trust authentication: a test server only), and
# creates the database $BCPARSE_PG_DB (default bcparse_test). Running it again reuses what is
# there. An already set BCPARSE_TEST_PG_URL that answers is kept as it is.
#
# Safe to source from a script running under `set -euo pipefail`: it changes no shell option,
# no working directory, defines nothing that outlives it except BCPARSE_TEST_PG_URL, and always
# ends with status 0 — on failure BCPARSE_TEST_PG_URL is unset and the reason printed on stderr.

_bcparse_pg() {
    local port="${BCPARSE_PG_PORT:-54329}"
    local dir="${BCPARSE_PG_DIR:-/tmp/bcparse-pg}"
    local db="${BCPARSE_PG_DB:-bcparse_test}"
    local bindir="" owner="" v="" url="" i=""

    _bcparse_pg_fail() { echo "postgres.sh: no PostgreSQL for the tests: $*" >&2; unset BCPARSE_TEST_PG_URL; }

    if [ -n "${BCPARSE_TEST_PG_URL:-}" ] && command -v psql >/dev/null 2>&1 \
        && psql "${BCPARSE_TEST_PG_URL}" -qtAc 'SELECT 1' >/dev/null 2>&1; then
        echo "postgres.sh: using the server already given: BCPARSE_TEST_PG_URL=${BCPARSE_TEST_PG_URL}" >&2
        return 0
    fi
    unset BCPARSE_TEST_PG_URL

    # 1. the server binaries (Debian keeps them in /usr/lib/postgresql/<major>/bin)
    _bcparse_pg_bindir() {
        local d
        d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)" || true
        if [ -z "$d" ] && command -v pg_ctl >/dev/null 2>&1; then d="$(dirname "$(command -v pg_ctl)")"; fi
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; fi
    }
    bindir="$(_bcparse_pg_bindir)" || true
    if [ -z "$bindir" ]; then
        if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
            _bcparse_pg_fail "no server binaries, and installing needs root and apt-get (apt-get install postgresql)"
            return 0
        fi
        echo "postgres.sh: installing Debian's postgresql package..." >&2
        if ! { apt-get update -qq >/dev/null 2>&1 || true; } \
            || ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1; then
            _bcparse_pg_fail "apt-get install postgresql failed"
            return 0
        fi
        bindir="$(_bcparse_pg_bindir)" || true
        if [ -z "$bindir" ]; then _bcparse_pg_fail "postgresql installed but no initdb/pg_ctl found"; return 0; fi
    fi
    v="$("$bindir/pg_ctl" --version 2>/dev/null | grep -oE '[0-9]+' | head -n 1)" || true

    # 2. run the server as the postgres user (initdb refuses root); as another user, as oneself
    local -a as=()
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            _bcparse_pg_fail "running as root but there is no postgres user (the postgresql package creates it)"
            return 0
        fi
        owner=postgres
        if command -v runuser >/dev/null 2>&1; then as=(runuser -u postgres --); else as=(su postgres -s /bin/sh -c); fi
    else
        owner="$(id -un)"
    fi
    _bcparse_pg_as() {  # run a command as the cluster owner
        if [ "${#as[@]}" -eq 0 ]; then "$@";
        elif [ "${as[0]}" = su ]; then "${as[@]}" "$(printf '%q ' "$@")";
        else "${as[@]}" "$@"; fi
    }

    # 3. the cluster: created once, re-created when made by another major version
    if [ -f "$dir/PG_VERSION" ] && [ -n "$v" ] && [ "$(cat "$dir/PG_VERSION")" != "$v" ]; then
        echo "postgres.sh: $dir holds a PostgreSQL $(cat "$dir/PG_VERSION") cluster; re-creating it for $v" >&2
        _bcparse_pg_as "$bindir/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$dir"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        if ! mkdir -p "$dir" || ! chown "$owner" "$dir" || ! chmod 700 "$dir"; then
            _bcparse_pg_fail "cannot create $dir"
            return 0
        fi
        if ! _bcparse_pg_as "$bindir/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --no-sync >"$dir.initdb.log" 2>&1 \
            && ! _bcparse_pg_as "$bindir/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C --no-sync >"$dir.initdb.log" 2>&1; then
            _bcparse_pg_fail "initdb failed: $(tail -n 3 "$dir.initdb.log" 2>/dev/null | tr '\n' ' ')"
            return 0
        fi
    fi

    # 4. started on localhost only, its socket in the data folder
    if ! _bcparse_pg_as "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        if ! _bcparse_pg_as "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=localhost -c fsync=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            _bcparse_pg_fail "the server did not start on port $port: $(tail -n 3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"
            return 0
        fi
    fi

    # 5. the database
    for i in 1 2 3 4 5 6 7 8 9 10; do
        "$bindir/pg_isready" -q -h localhost -p "$port" 2>/dev/null && break
        sleep 1
    done
    if [ "$("$bindir/psql" -h localhost -p "$port" -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null)" != 1 ]; then
        if ! "$bindir/createdb" -h localhost -p "$port" -U postgres "$db" 2>/dev/null; then
            _bcparse_pg_fail "cannot create the database $db on localhost:$port"
            return 0
        fi
    fi
    url="postgresql://postgres@localhost:$port/$db"
    if ! "$bindir/psql" "$url" -qtAc 'SELECT 1' >/dev/null 2>&1; then
        _bcparse_pg_fail "the server on localhost:$port does not answer"
        return 0
    fi
    export BCPARSE_TEST_PG_URL="$url"
    echo "postgres.sh: PostgreSQL $v ready: BCPARSE_TEST_PG_URL=$url" >&2
}

_bcparse_pg
unset -f _bcparse_pg _bcparse_pg_fail _bcparse_pg_bindir _bcparse_pg_as 2>/dev/null
if [ "${BASH_SOURCE[0]:-$0}" = "$0" ] && [ -n "${BCPARSE_TEST_PG_URL:-}" ]; then
    echo "export BCPARSE_TEST_PG_URL=$BCPARSE_TEST_PG_URL"
fi
true
