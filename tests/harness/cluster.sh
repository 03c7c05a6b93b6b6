#!/usr/bin/env bash
# cluster.sh: upkit's throwaway PostgreSQL cluster.
#
#   cluster.sh start [postgres -c options...]   build the private tree, init, start
#   cluster.sh stop                             fast shutdown (no error if down)
#   cluster.sh restart [postgres -c options...] stop, then start with new options
#   cluster.sh kill                             SIGKILL the postmaster (crash tests)
#   cluster.sh env                              print the PG* variables to eval
#   cluster.sh status
#
# Nothing is written outside the repository's build/ folder (socket fallback
# below aside), and nothing system-wide is touched:
#
# * build/pgroot is a private copy of the PostgreSQL 15 installation: the
#   server binaries are copied (PostgreSQL finds its share and lib folders
#   relative to the real path of its binary), everything else is symlinked,
#   and the upkit extension is installed into it with DESTDIR.  So the tests
#   need no root to install the extension, and never use a system cluster.
# * build/cluster holds the data directory, the log and the unix socket.  The
#   server listens on no TCP address.  When we run as root, the cluster runs as
#   the unprivileged OS user $UPKIT_PG_OSUSER (default postgres).
#
# A second start reuses the tree and the data directory, so it is fast.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# UPKIT_CLUSTER_BUILD moves the tree and the cluster elsewhere (the harness
# tests use it to run a second, independent cluster).
build="${UPKIT_CLUSTER_BUILD:-$top/build}"
pgbin_sys=$(pg_config --bindir)
# The tree's real path: the server binaries run as the OS user, who may not
# pass through build/ (see prepare_dirs), only reach the folder it links to.
tree_dir() { readlink -f "$build/pgroot" 2>/dev/null || echo "$build/pgroot"; }
pgroot=$(tree_dir)
osuser="${UPKIT_PG_OSUSER:-postgres}"
port="${UPKIT_PGPORT:-54329}"
superuser=upkit

# Where the tree and the cluster live: build/pgroot and build/cluster.  The
# OS user must reach them, and a unix socket path must stay under ~100 bytes;
# when build/ is not fit (a home folder closed to others, a deep path), both
# go to a folder in /tmp named after the repository, linked from build/, and
# every path the server is given is the real one in /tmp, never through the
# link in build/ (which the OS user could not follow into a closed home).
as_osuser() {
  # From /: the current folder may be one the OS user cannot enter.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$osuser" -- "$@"); else "$@"; fi
}

cluster_dir() { readlink -f "$build/cluster" 2>/dev/null || echo "$build/cluster"; }

prepare_dirs() {
  mkdir -p "$build"
  if [ ! -e "$build/cluster" ]; then
    local fit=1
    [ ${#build} -gt 70 ] && fit=0
    if [ "$(id -u)" -eq 0 ] && ! runuser -u "$osuser" -- test -x "$build" 2>/dev/null; then fit=0; fi
    if [ $fit -eq 1 ]; then
      mkdir -p "$build/cluster"
    else
      local t
      t="/tmp/upkit-$(printf '%s' "$top" | md5sum | cut -c1-10)"
      mkdir -p "$t/cluster" "$t/pgroot"
      chmod 755 "$t"
      rm -rf "$build/pgroot"
      ln -sfn "$t/cluster" "$build/cluster"
      ln -sfn "$t/pgroot" "$build/pgroot"
      echo "cluster: $build is not usable by the server (permissions or socket path length); using $t"
    fi
    [ "$(id -u)" -eq 0 ] && chown "$osuser" "$(cluster_dir)"
  fi
  as_osuser mkdir -p "$(cluster_dir)/run"
}

# The private PostgreSQL tree.  Re-done when the system binaries change
# (for example after a minor upgrade).
prepare_tree() {
  local stamp="$pgroot/.postgres-version" want
  # The layout version (tree-2: real bitcode folder) is part of the stamp, so
  # trees made by an older harness are made again.
  want="tree-2 $("$pgbin_sys/postgres" --version)"
  local bindir libdir sharedir
  bindir="$pgroot$pgbin_sys"
  libdir="$pgroot$(pg_config --pkglibdir)"
  sharedir="$pgroot$(pg_config --sharedir)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    if [ -L "$pgroot" ]; then rm -rf "$(readlink -f "$pgroot")"/*; else rm -rf "$pgroot"; fi
    mkdir -p "$bindir" "$libdir" "$sharedir/extension"
    local x f
    for x in "$pgbin_sys"/*; do
      case "$(basename "$x")" in
        postgres|postmaster|initdb|pg_ctl) cp "$x" "$bindir/" ;;
        *) ln -s "$x" "$bindir/" ;;
      esac
    done
    # Folders in lib (bitcode/ for JIT) are made real, with their contents
    # linked: the extension installs into them, and through a link to the
    # system folder it would write there.
    for f in "$(pg_config --pkglibdir)"/*; do
      if [ -d "$f" ] && [ ! -L "$f" ]; then
        mkdir -p "$libdir/$(basename "$f")"
        for x in "$f"/*; do
          case "$(basename "$x")" in upkit|upkit.*) ;; *) ln -s "$x" "$libdir/$(basename "$f")/" ;; esac
        done
      else
        case "$(basename "$f")" in upkit.so) ;; *) ln -s "$f" "$libdir/" ;; esac
      fi
    done
    for f in "$(pg_config --sharedir)"/*; do
      [ "$(basename "$f")" = extension ] || ln -s "$f" "$sharedir/"
    done
    for f in "$(pg_config --sharedir)"/extension/*; do
      case "$(basename "$f")" in upkit--*|upkit.control) ;; *) ln -s "$f" "$sharedir/extension/" ;; esac
    done
    echo "$want" > "$stamp"
  fi
  # The extension itself: always re-installed, it is what we are testing.
  rm -rf "$sharedir"/extension/upkit--* "$sharedir"/extension/upkit.control "$libdir"/upkit.so \
    "$libdir"/bitcode/upkit "$libdir"/bitcode/upkit.index.bc
  make -s -C "$top/extension" install DESTDIR="$pgroot" >/dev/null
}

pgctl() { as_osuser "$pgroot$pgbin_sys/pg_ctl" "$@"; }

print_env() {
  local d; d=$(cluster_dir)
  echo "export PGHOST='$d/run' PGPORT='$port' PGUSER='$superuser' PGDATABASE=postgres"
  echo "export UPKIT_PGBIN='$pgroot$pgbin_sys' UPKIT_PGDATA='$d/data'"
}

start() {
  prepare_dirs
  pgroot=$(tree_dir)
  prepare_tree
  local d; d=$(cluster_dir)
  if [ ! -f "$d/data/PG_VERSION" ]; then
    as_osuser rm -rf "$d/data"
    as_osuser "$pgroot$pgbin_sys/initdb" -D "$d/data" -U "$superuser" -A trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$build/initdb.log" 2>&1 \
      || { cat "$build/initdb.log" >&2; exit 1; }
  fi
  if pgctl -D "$d/data" status >/dev/null 2>&1; then
    pgctl -D "$d/data" stop -m fast >/dev/null
  fi
  local opts="-c listen_addresses='' -c unix_socket_directories='$d/run' -p $port"
  # Tests run without fsync (speed, the data is thrown away); benchmarks set
  # UPKIT_PG_DURABLE=1 so that commits cost what they cost in production.
  [ -n "${UPKIT_PG_DURABLE:-}" ] || opts+=" -c fsync=off"
  opts+=" -c max_connections=50 -c shared_buffers=256MB"
  opts+=" -c max_wal_size=2GB -c log_min_messages=warning"
  opts+=" -c shared_preload_libraries='${UPKIT_PRELOAD-}'"
  local o
  for o in "$@"; do opts+=" $o"; done
  if ! pgctl -D "$d/data" -o "$opts" -l "$d/postgres.log" -w -t 60 start >/dev/null; then
    echo "cluster: the server did not start; its log ($d/postgres.log) says:" >&2
    tail -n 20 "$d/postgres.log" >&2 || true
    exit 1
  fi
}

stop() {
  local d; d=$(cluster_dir)
  [ -f "$d/data/PG_VERSION" ] || return 0
  if pgctl -D "$d/data" status >/dev/null 2>&1; then
    pgctl -D "$d/data" stop -m fast -w >/dev/null 2>&1 || pgctl -D "$d/data" stop -m immediate >/dev/null 2>&1 || true
  fi
}

kill_postmaster() {
  local d; d=$(cluster_dir)
  local pid; pid=$(head -n 1 "$d/data/postmaster.pid")
  kill -9 "$pid"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  restart) stop; start "$@" ;;
  kill) kill_postmaster ;;
  env) print_env ;;
  status) d=$(cluster_dir); pgctl -D "$d/data" status ;;
  *) echo "usage: cluster.sh start|stop|restart|kill|env|status" >&2; exit 2 ;;
esac
