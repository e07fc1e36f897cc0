#!/usr/bin/env bash
# The MCP Bundle for Claude Desktop: stage what the bundle carries (scripts/gen_packaging.py --stage: the
# project, its lock and the generated manifest.json), validate the manifest and pack it with the pinned
# @anthropic-ai/mcpb CLI (scripts/ci/package-lock.json), then check the archive holds every staged file.
# Writes zoom-mcp-VERSION.mcpb into the directory given as $1 (default: dist/ of the repository).
# tests/test_bundle.py unpacks the bundle and starts the exact command its manifest declares.
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
trap ci_cleanup EXIT
ci_tmpdir

OUT="$(mkdir -p "${1:-$REPO/dist}" && cd "${1:-$REPO/dist}" && pwd)"

ci_step "the pinned npm tools (npm ci of scripts/ci/package-lock.json, cached)"
BIN="$(ci_node_tools)"
MCPB="$BIN/mcpb"
ci_ok "mcpb $("$MCPB" --version) on Node.js $(node --version)"

ci_step "server.json and the manifest are fresh (scripts/gen_packaging.py --check)"
(cd "$REPO" && uv run --quiet python scripts/gen_packaging.py --check)
ci_ok "generated from zoom_mcp/__init__.py, pyproject.toml and the settings table"

ci_step "stage the bundle: the project, uv.lock, manifest.json"
STAGE="$CI_TMP/zoom-mcp"
(cd "$REPO" && uv run --quiet python scripts/gen_packaging.py --stage "$STAGE")
staged=$(cd "$STAGE" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
ci_ok "$(printf '%s\n' "$staged" | wc -l) files"

ci_step "mcpb validate"
"$MCPB" validate "$STAGE/manifest.json"

ci_step "mcpb pack"
version=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$STAGE/manifest.json")
BUNDLE="$OUT/zoom-mcp-$version.mcpb"
rm -f "$BUNDLE"
"$MCPB" pack "$STAGE" "$BUNDLE" >"$CI_TMP/pack.log" 2>&1 || { cat "$CI_TMP/pack.log" >&2; ci_fail "mcpb pack failed"; }
grep -E '^(package size|unpacked size|total files|shasum):' "$CI_TMP/pack.log" | sed 's/^/  /' || true
packed=$(python3 -c 'import sys, zipfile; print("\n".join(sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if not n.endswith("/"))))' "$BUNDLE" | LC_ALL=C sort)
[[ "$packed" == "$staged" ]] || {
    diff <(printf '%s\n' "$staged") <(printf '%s\n' "$packed") >&2 || true
    ci_fail "the bundle does not hold exactly the staged files (< staged, > packed)"
}
ci_ok "$BUNDLE: every staged file, nothing else"

printf '\nbundle: %s\n' "$BUNDLE"
