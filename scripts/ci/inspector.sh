#!/usr/bin/env bash
# The MCP Inspector CLI (pinned in scripts/ci/package-lock.json) as an independent MCP client:
# list and call tools, resources and prompts against the stdio server (`uv run zoom-mcp --sandbox`)
# and against one HTTP server on a loopback port with a bearer token, over streamable HTTP (/mcp)
# and SSE (/sse); and check that the HTTP server turns away a client without the token.
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
trap ci_cleanup EXIT
ci_tmpdir

ci_step "install the pinned MCP Inspector (npm ci)"
NODE_BIN="$(ci_node_tools)"
INSPECTOR="$NODE_BIN/mcp-inspector"
[[ -x "$INSPECTOR" ]] || ci_fail "mcp-inspector not installed at $INSPECTOR"
ci_ok "inspector $(node -p 'require(process.argv[1]).version' "$NODE_BIN/../@modelcontextprotocol/inspector/package.json")"

cd "$REPO"
OPERATIONS=$(uv run --quiet python -c 'from zoom_mcp.api.catalog import load_catalog; print(len(load_catalog().operations))')
TASK_TOOLS=(search_recordings read_meeting_transcript get_meeting_brief)
EXPECTED_TOOLS=$((OPERATIONS + ${#TASK_TOOLS[@]}))
ZOOM_MCP="$(ci_zoom_mcp_bin)"

# inspect LABEL OUT TARGET ARGS...: run the inspector CLI (TARGET: a command and its arguments, or
# a server URL), keep its stdout (JSON) in OUT; fail on a non-zero exit.
inspect() {
    local label="$1" out="$2"
    shift 2
    if ! timeout 120 "$INSPECTOR" --cli "$@" >"$out" 2>"$out.err"; then
        tail -n 30 "$out.err" >&2
        ci_fail "$label: the inspector exited non-zero"
    fi
}

# check OUT KIND [ARG]: assertions on the inspector's JSON output (python3, no extra packages).
check() {
    python3 - "$@" <<'EOF'
import json, sys

path, kind, *rest = sys.argv[1:]
try:
    data = json.load(open(path, encoding="utf-8"))
except ValueError as error:
    sys.exit(f"  FAIL output is not JSON ({error}): {open(path, encoding='utf-8').read()[:500]}")

def fail(message):
    sys.exit(f"  FAIL {message}: {json.dumps(data)[:800]}")

if kind == "tools":
    expected, *required = rest
    names = [tool["name"] for tool in data.get("tools", [])]
    if len(names) != int(expected):
        fail(f"{len(names)} tools listed, expected {expected}")
    if len(set(names)) != len(names):
        fail("duplicate tool names")
    missing = [name for name in required if name not in names]
    if missing:
        fail(f"tools missing: {missing}")
    bad = [t["name"] for t in data["tools"] if t.get("inputSchema", {}).get("type") != "object"]
    if bad:
        fail(f"tools whose inputSchema is not an object schema: {bad[:5]}")
    print(f"  ok   {len(names)} tools")
elif kind == "call":
    needle = rest[0]
    if data.get("isError"):
        fail("the call returned isError")
    text = "\n".join(c.get("text", "") for c in data.get("content", []) if c.get("type") == "text")
    if needle not in text:
        fail(f"{needle!r} not in the text content")
    print(f"  ok   result contains {needle!r}")
elif kind == "call-error":
    needle = rest[0]
    text = "\n".join(c.get("text", "") for c in data.get("content", []) if c.get("type") == "text")
    if data.get("isError") is not True or needle not in text:
        fail(f"expected isError: true and {needle!r} in the text")
    print(f"  ok   isError: true, {text.splitlines()[0][:100]!r}")
elif kind == "recording-uuid":
    # Prints the UUID of the recording whose topic is ARG (from structuredContent, else the text).
    content = data.get("structuredContent") or json.loads(data["content"][0]["text"])
    uuids = [m["uuid"] for m in content.get("meetings", []) if m.get("topic") == rest[0]]
    if not uuids:
        fail(f"no recording with topic {rest[0]!r}")
    print(uuids[0])
elif kind == "resources":
    topic = rest[0]
    matches = [r["uri"] for r in data.get("resources", []) if topic in r.get("name", "") and r["uri"].startswith("zoom://")]
    if not matches:
        fail(f"no zoom:// resource named after {topic!r}")
    print(matches[0])
elif kind == "resource-read":
    needle = rest[0]
    text = "\n".join(c.get("text", "") for c in data.get("contents", []))
    if needle not in text:
        fail(f"{needle!r} not in the resource contents")
    print(f"  ok   resource contents contain {needle!r}")
elif kind == "prompts":
    names = [p["name"] for p in data.get("prompts", [])]
    missing = [name for name in rest if name not in names]
    if missing:
        fail(f"prompts missing: {missing}")
    print(f"  ok   {len(names)} prompts: {', '.join(names)}")
elif kind == "prompt-get":
    needle = rest[0]
    messages = data.get("messages", [])
    text = "\n".join(json.dumps(m) for m in messages)
    if not messages or needle not in text:
        fail(f"no messages mentioning {needle!r}")
    print(f"  ok   {len(messages)} message(s) mentioning {needle!r}")
else:
    sys.exit(f"unknown check {kind}")
EOF
}

# exercise LABEL TARGET...: the same checks over one way of reaching the server.
exercise() {
    local label="$1"
    shift
    local out="$CI_TMP/$label"

    ci_step "$label: tools/list"
    inspect "$label tools/list" "$out.tools" "$@" --method tools/list
    check "$out.tools" tools "$EXPECTED_TOOLS" "${TASK_TOOLS[@]}" list_user_recordings

    ci_step "$label: tools/call list_user_recordings userId=me"
    inspect "$label list_user_recordings" "$out.list" "$@" --method tools/call \
        --tool-name list_user_recordings --tool-arg userId=me
    check "$out.list" call "Q3 budget planning"
    local uuid
    uuid=$(check "$out.list" recording-uuid "Q3 budget planning")

    ci_step "$label: tools/call search_recordings query='launch date'"
    inspect "$label search_recordings" "$out.search" "$@" --method tools/call \
        --tool-name search_recordings --tool-arg "query=launch date"
    check "$out.search" call "Launch retro"

    ci_step "$label: tools/call get_meeting meetingId=1 (Zoom's 404 comes back as a tool error)"
    inspect "$label get_meeting" "$out.error" "$@" --method tools/call --tool-name get_meeting --tool-arg meetingId=1
    check "$out.error" call-error "Meeting does not exist"

    ci_step "$label: resources/list + resources/read"
    inspect "$label resources/list" "$out.resources" "$@" --method resources/list
    local uri
    uri=$(check "$out.resources" resources "Q3 budget planning")
    inspect "$label resources/read" "$out.read" "$@" --method resources/read --uri "$uri"
    check "$out.read" resource-read "Q3 budget planning"

    ci_step "$label: prompts/list + prompts/get summarize_meeting"
    inspect "$label prompts/list" "$out.prompts" "$@" --method prompts/list
    check "$out.prompts" prompts summarize_meeting action_items what_was_said_about
    # JSON-quoted so the inspector keeps the UUID a string.
    inspect "$label prompts/get" "$out.prompt" "$@" --method prompts/get \
        --prompt-name summarize_meeting --prompt-args "meeting_id=\"$uuid\""
    check "$out.prompt" prompt-get "$uuid"
}

# (a) stdio: the inspector starts the server itself, as an MCP host would.
exercise stdio uv run zoom-mcp --sandbox --toolsets all

# (b) one HTTP server on a free loopback port, with a bearer token (random, never printed; in a file).
PORT=$(ci_free_port)
TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
(umask 077 && printf '%s\n' "$TOKEN" >"$CI_TMP/token")
ci_step "start zoom-mcp --sandbox --transport http on 127.0.0.1:$PORT (bearer token)"
ci_start_server "$CI_TMP/http-server.log" "$ZOOM_MCP" --sandbox --toolsets all --transport http \
    --host 127.0.0.1 --port "$PORT" --auth-token-file "$CI_TMP/token"
SERVER_PID=$CI_LAST_PID
ci_wait_healthy "$SERVER_PID" "http://127.0.0.1:$PORT/healthz" "$TOKEN"
ci_ok "healthy (pid $SERVER_PID)"

exercise http "http://127.0.0.1:$PORT/mcp" --transport http --header "Authorization: Bearer $TOKEN"

ci_step "sse: tools/list + tools/call over /sse"
inspect "sse tools/list" "$CI_TMP/sse.tools" "http://127.0.0.1:$PORT/sse" --transport sse \
    --header "Authorization: Bearer $TOKEN" --method tools/list
check "$CI_TMP/sse.tools" tools "$EXPECTED_TOOLS" "${TASK_TOOLS[@]}"
inspect "sse search_recordings" "$CI_TMP/sse.search" "http://127.0.0.1:$PORT/sse" --transport sse \
    --header "Authorization: Bearer $TOKEN" \
    --method tools/call --tool-name search_recordings --tool-arg "query=launch date"
check "$CI_TMP/sse.search" call "Launch retro"

ci_step "http: a client without the token, or with a wrong one, is turned away"
# status_of TOKEN: the HTTP status of an initialize POST to /mcp carrying TOKEN (none when empty).
status_of() {
    TOKEN="$1" python3 - "http://127.0.0.1:$PORT/mcp" <<'EOF'
import json, os, sys, urllib.error, urllib.request
body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
        "capabilities": {}, "clientInfo": {"name": "ci", "version": "0"}}}
request = urllib.request.Request(sys.argv[1], data=json.dumps(body).encode(), method="POST", headers={
    "Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
if os.environ["TOKEN"]:
    request.add_header("Authorization", "Bearer " + os.environ["TOKEN"])
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        print(response.status)
except urllib.error.HTTPError as error:
    print(error.code)
EOF
}
for case in no wrong; do
    bad=""
    header=()
    if [[ $case == wrong ]]; then
        bad="wrong-$RANDOM$RANDOM"
        header=(--header "Authorization: Bearer $bad")
    fi
    if timeout 60 "$INSPECTOR" --cli "http://127.0.0.1:$PORT/mcp" --transport http "${header[@]}" \
        --method tools/list >"$CI_TMP/auth-$case.out" 2>&1; then
        ci_fail "tools/list with $case token succeeded"
    fi
    status=$(status_of "$bad")
    [[ $status == 401 ]] || ci_fail "initialize with $case token answered $status, expected 401"
    ci_ok "$case token: the inspector cannot connect; initialize answers 401"
done
status=$(status_of "$TOKEN")
[[ $status == 200 ]] || ci_fail "initialize with the right token answered $status, expected 200"
ci_ok "right token: initialize answers 200"

kill -0 "$SERVER_PID" 2>/dev/null || { cat "$CI_TMP/http-server.log" >&2; ci_fail "the HTTP server died during the checks"; }
printf '\ninspector: all checks passed\n'
