#!/usr/bin/env bash
# Install without cloning: build the wheel, check it carries tools.yaml and every schema file,
# install it into a clean virtualenv outside the repo (so the source tree is not importable),
# and run the installed `zoom-mcp` against the embedded sandbox. Fails loudly on any mismatch.
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
trap ci_cleanup EXIT
ci_tmpdir

TASK_TOOLS=(search_recordings read_meeting_transcript get_meeting_brief)

ci_step "build the wheel (uv build --wheel)"
(cd "$REPO" && uv build --wheel --quiet --out-dir "$CI_TMP/dist")
wheels=("$CI_TMP"/dist/*.whl)
[[ ${#wheels[@]} -eq 1 && -f "${wheels[0]}" ]] || ci_fail "expected one wheel in $CI_TMP/dist, got: ${wheels[*]}"
WHEEL="${wheels[0]}"
ci_ok "built $(basename "$WHEEL")"

ci_step "wheel contents: tools.yaml and every catalog schema"
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
for name in sorted(repo_modules - names):
    problems.append(f"{name} is missing")
if problems:
    print("\n".join(f"  FAIL {p}" for p in problems), file=sys.stderr)
    sys.exit(1)
print(f"  ok   tools.yaml, {len(wheel_schemas)} schema files (repo: {len(repo_schemas)}), "
      f"{len(repo_modules)} modules")
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

ci_step "uvx --isolated --from <wheel> zoom-mcp (the README's no-clone install)"
uvx_version=$(uvx --quiet --isolated --from "$WHEEL" zoom-mcp --version)
[[ "$uvx_version" == "zoom-mcp $expected_version" ]] || ci_fail "uvx: zoom-mcp --version printed '$uvx_version'"
uvx --quiet --isolated --from "$WHEEL" zoom-mcp tools --sandbox --toolsets all >/dev/null 2>"$CI_TMP/uvx.err" ||
    { cat "$CI_TMP/uvx.err" >&2; ci_fail "uvx: zoom-mcp tools exited non-zero"; }
uvx_count=$(sed -n 's/^\([0-9][0-9]*\) tools$/\1/p' "$CI_TMP/uvx.err" | tail -1)
[[ "$uvx_count" == "$expected_tools" ]] || ci_fail "uvx: zoom-mcp tools reported '$uvx_count' tools, expected $expected_tools"
ci_ok "$uvx_version, $uvx_count tools"

printf '\nwheel: all checks passed\n'
