"""The install descriptions: server.json (MCP Registry), the bundle manifest, the package metadata.

One version (`zoom_mcp.__version__`) is what `--version`, the installed metadata, the bundle manifest
and server.json say; server.json is valid under the registry's published schema; every environment
variable either file sets is a row of the settings table, secret where the table says so.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from zoom_mcp import __version__
from zoom_mcp.app import settings as table
from zoom_mcp.app.cli import main

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import gen_packaging  # noqa: E402

# The official MCP Registry's server.json schema, version 2025-12-11, published at
# https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json (generated from
# docs/reference/api/openapi.yaml in github.com/modelcontextprotocol/registry). Vendored byte for byte;
# moving to a newer schema is a deliberate change of the file, this hash and gen_packaging.REGISTRY_SCHEMA.
REGISTRY_SCHEMA_FILE = ROOT / "tests" / "data" / "registry-server.schema.json"
REGISTRY_SCHEMA_SHA256 = "3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0"

SERVER = json.loads(gen_packaging.SERVER_JSON.read_text(encoding="utf-8"))
MANIFEST = json.loads(gen_packaging.MANIFEST.read_text(encoding="utf-8"))
ROWS = gen_packaging.settings_by_env()


def registry_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(REGISTRY_SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_generated_files_are_fresh() -> None:
    assert gen_packaging.main(["--check"]) == 0, "run: uv run python scripts/gen_packaging.py"


def test_one_version_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"zoom-mcp {__version__}"
    assert importlib.metadata.version("zoom-mcp") == __version__  # what hatch built from zoom_mcp/__init__.py
    assert MANIFEST["version"] == __version__
    assert SERVER["version"] == __version__
    assert [p["version"] for p in SERVER["packages"]] == [__version__]


def test_the_vendored_registry_schema_is_the_published_2025_12_11() -> None:
    assert hashlib.sha256(REGISTRY_SCHEMA_FILE.read_bytes()).hexdigest() == REGISTRY_SCHEMA_SHA256
    schema = json.loads(REGISTRY_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$id"] == SERVER["$schema"] == gen_packaging.REGISTRY_SCHEMA


def test_server_json_is_valid_under_the_registry_schema() -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in registry_validator().iter_errors(SERVER)]
    assert errors == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda s: s.update(description="x" * 101), "description longer than 100 characters"),
        (lambda s: s.update(name="zoom-mcp"), "name without a namespace"),
        (lambda s: s["packages"][0].pop("transport"), "package without a transport"),
        (lambda s: s["packages"][0].update(version="latest"), "package version 'latest'"),
        (lambda s: s["packages"][0]["environmentVariables"][0].pop("name"), "variable without a name"),
        (lambda s: s["packages"][0]["environmentVariables"][2].update(isSecret="yes"), "isSecret not a boolean"),
    ],
)
def test_the_registry_schema_refuses_a_broken_entry(change: Any, why: str) -> None:
    broken = copy.deepcopy(SERVER)
    change(broken)
    assert not registry_validator().is_valid(broken), why


def test_server_json_describes_the_pypi_package_on_stdio() -> None:
    meta = gen_packaging.project()
    (package,) = SERVER["packages"]
    assert package["registryType"] == "pypi" and package["identifier"] == meta["name"] == "zoom-mcp"
    assert package["transport"] == {"type": "stdio"} and package["runtimeHint"] == "uvx"
    assert SERVER["description"] == meta["description"] and len(SERVER["description"]) <= 100
    owner_repo = meta["urls"]["Repository"].removeprefix("https://github.com/")
    assert SERVER["name"] == f"io.github.{owner_repo}" and SERVER["repository"]["url"] == meta["urls"]["Repository"]


def test_the_readme_carries_the_registry_ownership_line() -> None:
    # The registry proves a PyPI package belongs to the entry by finding this line in its description.
    assert f"mcp-name: {SERVER['name']}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_registry_variables_come_from_the_settings_table() -> None:
    (package,) = SERVER["packages"]
    for variable in package["environmentVariables"]:
        row, _ = ROWS[variable["name"]]  # KeyError: not a setting
        assert variable["description"] == row.help
        assert variable["isSecret"] is row.secret, variable["name"]
        assert variable["format"] == ("boolean" if row.is_switch else "string")
        for value in variable.get("choices", []):
            assert gen_packaging.accepted(row, value), (variable["name"], value)
        if "default" in variable:
            assert not row.secret and gen_packaging.accepted(row, variable["default"]), variable["name"]
    names = [v["name"] for v in package["environmentVariables"]]
    secrets = {env for env, (row, _) in ROWS.items() if row.secret}
    assert {"ZOOM_CLIENT_SECRET", "ZOOM_ACCESS_TOKEN"} <= set(names) & secrets
    # The environment refuses --confirm off; the registry must not offer it.
    assert "off" not in next(v for v in package["environmentVariables"] if v["name"] == "ZOOM_MCP_CONFIRM")["choices"]


def test_the_bundle_sets_settings_only_through_its_user_config() -> None:
    config = MANIFEST["server"]["mcp_config"]
    options = MANIFEST["user_config"]
    used = set()
    for env, value in config["env"].items():
        row, _ = ROWS[env]  # KeyError: not a setting
        key = value.removeprefix("${user_config.").removesuffix("}")
        assert value == f"${{user_config.{key}}}" and key in options, (env, value)
        used.add(key)
        option = options[key]
        assert option["type"] == ("boolean" if row.is_switch else "string"), env
        # A host substitutes only keys with a value: a field without a default would reach the server as text.
        assert "default" in option, key
        shown = str(option["default"]).lower() if row.is_switch else option["default"]
        assert shown == "" or gen_packaging.accepted(row, shown), (key, option["default"])
        if row.secret:
            assert option.get("sensitive") is True, key
    assert used == set(options), "a user_config field that sets nothing"
    for key in ("account_id", "client_id", "client_secret"):  # the Server-to-Server app: kept in the keychain
        assert options[key]["sensitive"] is True and options[key]["type"] == "string"
    # destructive by default: human needs a passkey enrolled from a terminal first, or the server refuses to start
    assert options["confirm"]["default"] == "destructive"
    assert gen_packaging.accepted(ROWS["ZOOM_MCP_CONFIRM"][0], "human")
    assert not gen_packaging.accepted(ROWS["ZOOM_MCP_CONFIRM"][0], "off")  # as the field's description promises


def test_the_bundle_runs_the_project_with_uv() -> None:
    server = MANIFEST["server"]
    assert MANIFEST["manifest_version"] == "0.4" and server["type"] == "uv"
    assert server["mcp_config"]["command"] == "uv"
    assert server["mcp_config"]["args"] == ["run", "--directory", "${__dirname}", "--frozen", "--no-dev", "zoom-mcp"]
    assert (ROOT / server["entry_point"]).is_file()
    assert MANIFEST["name"] == gen_packaging.project()["name"]
    assert MANIFEST["compatibility"]["runtimes"]["python"] == gen_packaging.project()["requires-python"]
    assert {t["name"] for t in MANIFEST["tools"]} == set(gen_packaging.TASK_TOOLS)


def test_the_settings_table_still_has_what_the_install_descriptions_name() -> None:
    # A renamed variable fails here by name rather than as a KeyError in the generator.
    named = set(gen_packaging.REGISTRY_ENV) | {f.env for f in gen_packaging.FIELDS}
    assert named <= {row.env for _, row, _ in table.rows() if row.env}
