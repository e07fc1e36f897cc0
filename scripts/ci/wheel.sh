#!/usr/bin/env bash
# Install without cloning: build the sdist and the wheel, run PyPI's checks on them (twine check --strict:
# the README renders; check-wheel-contents), check the wheel carries tools.yaml, every schema file and the
# LICENSE, install it into a clean virtualenv outside the repo (so the source tree is not importable), run
# the installed `zoom-mcp` against the embedded sandbox, and run the README's `uvx zoom-mcp` with this wheel
# standing in for the PyPI release. Fails loudly on any mismatch.
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
trap ci_cleanup EXIT
ci_tmpdir

TASK_TOOLS=(search_recordings read_meeting_transcript get_meeting_brief)

ci_step "build the sdist and the wheel (uv build)"
(cd "$REPO" && uv build --quiet --out-dir "$CI_TMP/dist")
wheels=("$CI_TMP"/dist/*.whl)
sdists=("$CI_TMP"/dist/*.tar.gz)
[[ ${#wheels[@]} -eq 1 && -f "${wheels[0]}" ]] || ci_fail "expected one wheel in $CI_TMP/dist, got: ${wheels[*]}"
[[ ${#sdists[@]} -eq 1 && -f "${sdists[0]}" ]] || ci_fail "expected one sdist in $CI_TMP/dist, got: ${sdists[*]}"
WHEEL="${wheels[0]}"
SDIST="${sdists[0]}"
ci_ok "built $(basename "$WHEEL") and $(basename "$SDIST")"

ci_step "PyPI checks: twine check --strict (metadata, README renders), check-wheel-contents"
(cd "$REPO" && uv run --quiet twine check --strict "$WHEEL" "$SDIST")
(cd "$REPO" && uv run --quiet check-wheel-contents "$WHEEL")
ci_ok "twine and check-wheel-contents pass"

ci_step "wheel contents: tools.yaml, every catalog schema, the LICENSE"
repo_schemas=$(find "$REPO/zoom_mcp/api/facts" -maxdepth 1 -name '*.json' | wc -l)
[[ $repo_schemas -gt 0 ]] || ci_fail "no schema files found in the repo"
python3 - "$WHEEL" "$REPO" <<'EOF'
import pathlib, sys, zipfile

wheel, repo = sys.argv[1], pathlib.Path(sys.argv[2])
names = set(zipfile.ZipFile(wheel).namelist())
problems = []
if "zoom_mcp/tools.yaml" not in names:
    problems.append("zoom_mcp/tools.yaml is missing")
elif zipfile.ZipFile(wheel).read("zoom_mcp/tools.yaml") != (repo / "tools.yaml").read_bytes():
    problems.append("zoom_mcp/tools.yaml differs from the repo's tools.yaml")
repo_schemas = {f"zoom_mcp/api/facts/{p.name}" for p in (repo / "zoom_mcp/api/facts").glob("*.json")}
wheel_schemas = {n for n in names if n.startswith("zoom_mcp/api/facts/") and n.endswith(".json")}
for name in sorted(repo_schemas - wheel_schemas):
    problems.append(f"{name} is missing")
for name in sorted(wheel_schemas - repo_schemas):
    problems.append(f"{name} is in the wheel but not in the repo")
repo_modules = {str(p.relative_to(repo)) for p in (repo / "zoom_mcp").rglob("*.py")}
licenses = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
if len(licenses) != 1 or zipfile.ZipFile(wheel).read(licenses[0]) != (repo / "LICENSE").read_bytes():
    problems.append(f"the wheel should carry the repo's LICENSE once under .dist-info/licenses/, has {licenses}")
for name in sorted(repo_modules - names):
    problems.append(f"{name} is missing")
if problems:
    print("\n".join(f"  FAIL {p}" for p in problems), file=sys.stderr)
    sys.exit(1)
print(f"  ok   tools.yaml, {len(wheel_schemas)} schema files (repo: {len(repo_schemas)}), "
      f"{len(repo_modules)} modules, LICENSE")
EOF

# Everything below runs from a directory outside the repo, so only the installed wheel is importable.
cd "$CI_TMP"
unset PYTHONPATH VIRTUAL_ENV

ci_step "clean virtualenv: uv venv + uv pip install <wheel>"
# The same interpreter `uv run` uses for the project (no Python download: registries only).
PYTHON="$(cd "$REPO" && uv run --quiet python -c 'import sys; print(sys._base_executable)')"
uv venv --quiet --python "$PYTHON" "$CI_TMP/venv"
uv pip install --quiet --python "$CI_TMP/venv/bin/python" "$WHEEL"
ZM="$CI_TMP/venv/bin/zoom-mcp"
[[ -x "$ZM" ]] || ci_fail "the wheel installed no zoom-mcp console script"
where=$("$CI_TMP/venv/bin/python" -c 'import zoom_mcp; print(zoom_mcp.__file__)')
[[ "$where" == "$CI_TMP/venv/"* ]] || ci_fail "zoom_mcp imported from $where, not from the clean venv"
ci_ok "zoom_mcp imports from the venv ($where)"

ci_step "zoom-mcp --version"
version_out=$("$ZM" --version)
expected_version=$("$CI_TMP/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("zoom-mcp"))')
[[ "$version_out" == "zoom-mcp $expected_version" ]] ||
    ci_fail "zoom-mcp --version printed '$version_out', expected 'zoom-mcp $expected_version'"
ci_ok "$version_out"

ci_step "zoom-mcp tools --sandbox --toolsets all"
# Expected: one tool per catalog operation (tools.yaml, read by the installed package) + the task-level tools.
operations=$("$CI_TMP/venv/bin/python" -c \
    'from zoom_mcp.api.catalog import load_catalog; print(len(load_catalog().operations))')
[[ $operations -eq $repo_schemas ]] ||
    ci_fail "the installed catalog has $operations operations but the repo has $repo_schemas schema files"
expected_tools=$((operations + ${#TASK_TOOLS[@]}))
"$ZM" tools --sandbox --toolsets all >"$CI_TMP/tools.out" 2>"$CI_TMP/tools.err" ||
    { cat "$CI_TMP/tools.err" >&2; ci_fail "zoom-mcp tools exited non-zero"; }
count=$(sed -n 's/^\([0-9][0-9]*\) tools$/\1/p' "$CI_TMP/tools.err" | tail -1)
[[ -n "$count" ]] || { cat "$CI_TMP/tools.err" >&2; ci_fail "no 'N tools' line on stderr"; }
[[ $count -eq $expected_tools ]] ||
    ci_fail "zoom-mcp tools reported $count tools, expected $expected_tools ($operations operations + ${#TASK_TOOLS[@]})"
listed=$(grep -c '^[a-z_][a-z0-9_]* ' "$CI_TMP/tools.out" || true)
[[ $listed -eq $expected_tools ]] || ci_fail "zoom-mcp tools listed $listed rows, expected $expected_tools"
for tool in "${TASK_TOOLS[@]}" list_user_recordings; do
    grep -q "^$tool " "$CI_TMP/tools.out" || ci_fail "tool $tool is not listed"
done
ci_ok "$count tools ($operations catalog operations + ${#TASK_TOOLS[@]} task-level tools)"

ci_step "zoom-mcp call list_user_recordings '{\"userId\":\"me\"}' --sandbox"
"$ZM" call list_user_recordings '{"userId":"me"}' --sandbox >"$CI_TMP/call.out" 2>"$CI_TMP/call.err" ||
    { cat "$CI_TMP/call.err" >&2; ci_fail "zoom-mcp call exited non-zero"; }
grep -q '"topic": "Q3 budget planning"' "$CI_TMP/call.out" ||
    { head -c 2000 "$CI_TMP/call.out" >&2; ci_fail "the call result has no 'Q3 budget planning' recording"; }
ci_ok "list_user_recordings returned the sandbox's 'Q3 budget planning' recording"

ci_step "the README's uvx commands, as written (this wheel stands in for the PyPI release)"
# UV_FIND_LINKS offers the built wheel beside the index, as `uvx zoom-mcp` finds the release on PyPI;
# UV_ISOLATED keeps an earlier cached tool environment of the same version from answering instead.
export UV_FIND_LINKS="$CI_TMP/dist" UV_ISOLATED=1
"$ZM" tools --sandbox >/dev/null 2>"$CI_TMP/default.err"
default_tools=$(sed -n 's/^\([0-9][0-9]*\) tools$/\1/p' "$CI_TMP/default.err" | tail -1)
[[ -n "$default_tools" ]] || { cat "$CI_TMP/default.err" >&2; ci_fail "no 'N tools' line from zoom-mcp tools --sandbox"; }
uvx_version=$(uvx --quiet zoom-mcp --version)
[[ "$uvx_version" == "zoom-mcp $expected_version" ]] || ci_fail "uvx zoom-mcp --version printed '$uvx_version'"
ci_ok "uvx zoom-mcp --version: $uvx_version"
uvx --quiet zoom-mcp tools --sandbox >/dev/null 2>"$CI_TMP/uvx.err" ||
    { cat "$CI_TMP/uvx.err" >&2; ci_fail "uvx zoom-mcp tools --sandbox exited non-zero"; }
uvx_count=$(sed -n 's/^\([0-9][0-9]*\) tools$/\1/p' "$CI_TMP/uvx.err" | tail -1)
[[ "$uvx_count" == "$default_tools" ]] ||
    ci_fail "uvx zoom-mcp tools --sandbox reported '$uvx_count' tools, expected the default profile's $default_tools"
ci_ok "uvx zoom-mcp tools --sandbox: $uvx_count tools (the default profile)"
# The stdio server, started by an MCP client exactly as the README's command line reads.
listed=$(cd "$REPO" && uv run --quiet python - "$CI_TMP" <<'EOF'
import os, sys
import anyio
from mcp import Client, StdioServerParameters

env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV" and not k.startswith("ZOOM_")}

async def main() -> None:
    params = StdioServerParameters(command="uvx", args=["zoom-mcp", "--sandbox"], env=env, cwd=sys.argv[1])
    async with Client(params) as client:
        print(len((await client.list_tools()).tools))

anyio.run(main)
EOF
)
[[ "$listed" == "$default_tools" ]] ||
    ci_fail "uvx zoom-mcp --sandbox listed '$listed' tools over stdio, expected the default profile's $default_tools"
ci_ok "uvx zoom-mcp --sandbox: tools/list over stdio gives the same $listed tools"
unset UV_FIND_LINKS UV_ISOLATED

printf '\nwheel: all checks passed\n'
