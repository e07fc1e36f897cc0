# Helpers shared by scripts/ci/*.sh (sourced, not run). Loopback only; every server a script
# starts here is killed by the script's EXIT trap (ci_cleanup), and its temp dir removed.
# shellcheck shell=bash

CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$CI_DIR/../.." && pwd)"

CI_TMP=""
CI_PIDS=()

ci_step() { printf '\n----- %s\n' "$*"; }
ci_ok() { printf '  ok   %s\n' "$*"; }
ci_fail() {
    printf '  FAIL %s\n' "$*" >&2
    exit 1
}

ci_tmpdir() {
    CI_TMP="$(mktemp -d "${TMPDIR:-/tmp}/zoom-mcp-ci.XXXXXX")"
}

ci_cleanup() {
    local status=$? pid
    for pid in "${CI_PIDS[@]}"; do
        # Each server runs in its own process group (setsid): end the group, then make sure.
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${CI_PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    CI_PIDS=()
    if [[ -n "$CI_TMP" && -d "$CI_TMP" ]]; then
        rm -rf "$CI_TMP"
    fi
    return "$status"
}

# A free TCP port on 127.0.0.1 (the kernel picks it; there is a tiny window before the server binds it).
ci_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The project's zoom-mcp entry point inside the environment `uv run` uses (synced on the way).
ci_zoom_mcp_bin() {
    (cd "$REPO" && uv run --quiet python -c \
        'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "zoom-mcp"))')
}

# ci_start_server LOG ARGS...: start `zoom-mcp ARGS...` in its own process group in the background,
# remember its pid for the trap. The caller reads the pid from CI_LAST_PID.
ci_start_server() {
    local log="$1"
    shift
    setsid "$@" >"$log" 2>&1 </dev/null &
    CI_LAST_PID=$!
    CI_PIDS+=("$CI_LAST_PID")
}

# ci_wait_healthy PID URL [TOKEN]: wait until GET URL answers 200 (at most 60 s), or fail if PID died.
ci_wait_healthy() {
    local pid="$1" url="$2" token="${3:-}"
    for _ in $(seq 300); do
        if ! kill -0 "$pid" 2>/dev/null; then
            ci_fail "server (pid $pid) exited before it was ready"
        fi
        if TOKEN="$token" python3 - "$url" <<'EOF' 2>/dev/null; then
import os, sys, urllib.request
request = urllib.request.Request(sys.argv[1])
if os.environ.get("TOKEN"):
    request.add_header("Authorization", "Bearer " + os.environ["TOKEN"])
with urllib.request.urlopen(request, timeout=2) as response:
    sys.exit(0 if response.status == 200 else 1)
EOF
            return 0
        fi
        sleep 0.2
    done
    ci_fail "server (pid $pid) not healthy at $url after 60 s"
}

# ci_node_tools [DIR]: the pinned npm tools (package.json + package-lock.json in DIR, by default beside
# this file), installed once per lockfile with `npm ci` into a cache directory outside the repo; prints
# that node_modules/.bin.
ci_node_tools() {
    command -v npm >/dev/null 2>&1 || ci_fail "npm not found: Node.js 20+ with npm is needed"
    local dir="${1:-$CI_DIR}" key base final staging
    key="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -c1-16)"
    base="${ZOOM_MCP_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zoom-mcp-ci}"
    final="$base/node-$key"
    if [[ ! -f "$final/.installed" ]]; then
        mkdir -p "$base"
        staging="$(mktemp -d "$base/staging.XXXXXX")"
        cp "$dir/package.json" "$dir/package-lock.json" "$staging/"
        if ! (cd "$staging" && npm ci --no-audit --no-fund --loglevel=error >&2); then
            rm -rf "$staging"
            ci_fail "npm ci of ${dir#"$REPO"/}/package-lock.json failed"
        fi
        touch "$staging/.installed"
        rm -rf "$final"
        mv "$staging" "$final" 2>/dev/null || rm -rf "$staging" # another run may have won the race
    fi
    printf '%s\n' "$final/node_modules/.bin"
}
