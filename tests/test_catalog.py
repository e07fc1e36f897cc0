"""The catalog is complete, well-formed and in sync with Zoom's reference."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from mcp.shared.tool_name_validation import validate_tool_name

from zoom_mcp.api import SAFETY_CLASSES, Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import gen_catalog  # noqa: E402

REFERENCE = [
    tuple(line.split(" ", 1))
    for line in (ROOT / "tests/data/reference_operations.txt").read_text().splitlines()
    if line and not line.startswith("#")
]
VERBS = {
    "list",
    "get",
    "create",
    "add",
    "update",
    "delete",
    "recover",
    "assign",
    "upgrade",
    "change",
    "control",
    "end",
    "start",
    "stop",
    "set",
    "batch",
    "download",
    "report",
    "search",
    "register",
    "send",
    "remove",
    "duplicate",
    "restore",
    "approve",
    "cancel",
    "perform",
}


def test_every_reference_operation_is_a_tool(catalog: Catalog) -> None:
    routes = {(op.method, op.path) for op in catalog}
    assert len(REFERENCE) == 54
    missing = [f"{m} {p}" for m, p in REFERENCE if (m, p) not in routes]
    assert missing == []


def test_entries_are_well_formed(catalog: Catalog) -> None:
    for op in catalog:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", op.name) and len(op.name) <= 64, op.name
        assert validate_tool_name(op.name).is_valid, op.name
        assert op.name.split("_")[0] in VERBS, f"{op.name}: tool names start with a verb"
        assert op.safety in SAFETY_CLASSES, op.name
        assert op.toolset in catalog.toolsets, op.name
        assert op.rate_limit in ("LIGHT", "MEDIUM", "HEAVY", "RESOURCE-INTENSIVE") or (
            op.rate_limit == "UNKNOWN" and "rate-limit label" in op.notes
        ), op.name
        assert op.scopes, f"{op.name}: no OAuth scopes"
        assert "TODO" not in op.description and 40 <= len(op.description) <= 400, op.name


def test_every_first_sentence_stands_on_its_own(catalog: Catalog) -> None:
    """search_tools, previews and `zoom-mcp tools` show a tool's first sentence (up to the first '. '): it must
    say what the tool is for, not stop at an abbreviation."""
    from zoom_mcp.tasks.tools import TASK_TOOLS

    descriptions = [(op.name, op.description) for op in catalog] + [
        (t.name, t.description) for t in TASK_TOOLS.values()
    ]
    for name, description in descriptions:
        first = description.split(". ")[0]
        assert len(first) >= 30 and not re.search(r"\b(e\.g|i\.e|etc|vs)$", first), (name, first)


def test_search_terms_add_words_the_name_does_not_say(catalog: Catalog) -> None:
    """`search_terms` (tools.yaml; a task-level tool's in its definition): distinct phrases, each
    with a word beyond the tool's own name, for most tools."""
    from zoom_mcp.tasks.tools import TASK_TOOLS

    def words(text: str) -> set[str]:
        return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.replace("_", " "))}

    tools = [(op.name, op.search_terms) for op in catalog] + [(t.name, t.search_terms) for t in TASK_TOOLS.values()]
    for name, terms in tools:
        assert len(set(terms)) == len(terms), name
        for term in terms:
            assert term == term.strip() and term, (name, term)
            assert words(term.lower()) - words(name), f"{name}: search term {term!r} only repeats the name"
    assert sum(bool(terms) for _, terms in tools) >= 0.9 * len(tools)


def test_every_schema_loads_and_is_self_contained(catalog: Catalog) -> None:
    from jsonschema import Draft202012Validator

    for op in catalog:
        schema = op.input_schema
        Draft202012Validator.check_schema(schema)
        assert "$ref" not in json.dumps(schema), op.name
        assert schema["additionalProperties"] is False
        for param in op.parameters:
            assert param.name in schema["properties"], (op.name, param.name)
            assert (param.name in schema.get("required", [])) == param.required
        if op.output_schema is not None:
            Draft202012Validator.check_schema(op.output_schema)
            assert op.output_schema["type"] == "object"


def test_body_fields_are_top_level_arguments(catalog: Catalog) -> None:
    op = catalog.get("create_meeting")
    assert op is not None
    props = op.input_schema["properties"]
    assert {"userId", "topic", "type", "start_time", "settings", "recurrence"} <= set(props)
    assert props["type"]["enum"] == [1, 2, 3, 8, 10]
    assert props["duration"]["maximum"] == 1440
    assert props["start_time"]["format"] == "date-time"
    status = catalog.get("update_recording_registrant_status")
    assert status is not None and status.input_schema["required"] == ["meetingId", "action"]


def test_catalog_matches_the_generator_output() -> None:
    """tools.yaml and schemas/ are exactly what scripts/gen_catalog.py derives from Zoom's OpenAPI."""
    assert gen_catalog.main(["--check"]) == 0, "run: uv run python scripts/gen_catalog.py"


@pytest.mark.parametrize("name", ["get_recording_analytics_details", "get_recording_analytics_summary"])
def test_gaps_in_the_openapi_are_filled_from_the_text_reference(catalog: Catalog, name: str) -> None:
    op = catalog.get(name)
    assert op is not None and op.rate_limit == "MEDIUM" and "recording:read" in op.scopes and op.notes


def test_readme_tool_table_is_fresh() -> None:
    import gen_docs

    assert gen_docs.main(["--check"]) == 0, "run: uv run python scripts/gen_docs.py"


def test_a_tools_yaml_edited_since_the_compiled_copy_is_read_as_edited(tmp_path: Path) -> None:
    """The compiled JSON is only a faster way to read tools.yaml: any edit to the text bypasses it."""
    from zoom_mcp.api.catalog import catalog_path

    text = catalog_path().read_text(encoding="utf-8")
    edited = tmp_path / "tools.yaml"
    edited.write_text(text.replace("Schedule a meeting for a user", "Plan a meeting for a user", 1), encoding="utf-8")
    assert load_catalog().get("create_meeting").description.startswith("Schedule a meeting for a user")
    assert load_catalog(edited).get("create_meeting").description.startswith("Plan a meeting for a user")
