"""Regenerate the catalog facts from Zoom's OpenAPI description.

    uv run python scripts/gen_catalog.py            # rewrite tools.yaml and zoom_mcp/api/facts/
    uv run python scripts/gen_catalog.py --check    # exit 1 if the committed catalog is stale

`tools.yaml` is both input and output: the curated fields of each entry (name, toolset,
safety, description, notes, param_notes, search_terms, ...) are kept as they are; everything that is a fact
(method, path, operation_id, scopes, rate limit, parameters, body and response schemas,
error codes) is re-derived from `scripts/reference/zoom-meetings-openapi.json`, a verbatim
copy of Zoom's document kept in the tree so neither this script nor the tests reach outside it.

To add an operation: append an entry with `method`, `path` and the curated fields, then run
this script. New curated fields get placeholders that the catalog tests reject until written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zoom_mcp.api.catalog import COMPILED, compiled, parse_tools_yaml  # noqa: E402

OPENAPI = ROOT / "scripts" / "reference" / "zoom-meetings-openapi.json"
TOOLS_YAML = ROOT / "tools.yaml"
SCHEMA_DIR = ROOT / "zoom_mcp" / "api" / "facts"
COMPILED_PATH = ROOT / "zoom_mcp" / "api" / COMPILED  # tools.yaml as JSON, for a fast start-up

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# Curated fields kept as they are when present (besides name, toolset, safety and description).
CURATED_EXTRAS = ("notes", "param_notes", "body_renames", "text_reference", "confirm", "date_range", "search_terms")
# JSON Schema keywords that carry facts; everything else (Zoom's prose, examples, x-*) is dropped.
KEEP = {
    "type",
    "properties",
    "required",
    "items",
    "enum",
    "format",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
    "default",
    "anyOf",
    "oneOf",
    "deprecated",
}

HEADER = """\
# zoom-mcp tool catalog: one entry per Zoom Meetings API operation, one MCP tool per entry.
#
# Generated and curated. `scripts/gen_catalog.py` rewrites every fact in this file from Zoom's
# OpenAPI document (method, path, operation_id, scopes, granular_scopes, rate_limit) and writes
# the parameter, body, response and error facts to zoom_mcp/api/facts/<operation_id>.json.
# The curated fields are yours to edit and survive regeneration:
#   name         verb-first snake_case tool name, unique, at most 64 characters
#   toolset      the group the tool is listed and filtered under (see `toolsets` below)
#   safety       read | write | destructive
#   description  what the tool does and when to pick it, written for an agent
#   notes        facts worth keeping beside the entry (e.g. where the text reference differs)
#   param_notes  short per-argument hints published in the input schema
#   body_renames body field -> argument name, for body fields whose name collides with a path or
#                query parameter (the rule: path and query parameters keep their names; the body
#                field is published as `body_<name>` unless a rename is given here)
#   confirm      for gated tools: `consequence` templates (chosen by an argument value such as
#                `action=delete`, else `default`; {placeholders} come from the arguments and from
#                the answer of the optional `lookup` read tool) shown to the person who confirms;
#                `type_to_confirm` (same choice rule) is what a person must type on the approval
#                page under --confirm human before the most destructive calls (a name or an ID)
#   date_range   for operations with from/to: the longest range Zoom accepts per request
#                (`window: month` or `window: 7d`) and whether a longer range may be split into
#                such windows and the answers merged (`split: true`) or must be refused (`false`)
#   text_reference  scopes or rate_limit taken from Zoom's text reference where the OpenAPI
#                document leaves them out (used only then; say so in notes)
#   search_terms words and phrases people use for this tool's task that its name and description
#                do not already say (panelist ~ speaker, absentee ~ no-show, trash ~ free up storage);
#                search_tools (--dynamic) ranks on them, the model never sees them. Judge a change on
#                the tuning half of tests/data/discovery_tasks.yaml (bench/discovery.py), never the held-out half
#
# default_toolsets are offered when the operator names none (--toolsets all offers everything).
#
# Safety classes (the MCP annotations follow them: read -> readOnlyHint; write and destructive ->
# not read-only, destructiveHint only for destructive; idempotentHint for GET, PUT, DELETE, and
# for PATCH):
#   read         GET requests: they change nothing.
#   destructive  every DELETE, and any call that is irreversible or disruptive even when it is not a
#                DELETE: permanent deletion, denying registrants, firmware upgrades, moving or removing
#                a device's assignment, in-meeting controls that stop a recording or call people out,
#                editing what someone wrote in a chat.
#   write        every other create or update.
"""


def load_openapi(path: Path = OPENAPI) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def operations(openapi: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op
        for path, item in openapi["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }


def normalize(schema: Any) -> Any:
    """Keep the facts of an OpenAPI 3.0 schema as plain JSON Schema (no prose, no examples)."""
    if not isinstance(schema, dict):
        return schema
    if "allOf" in schema:
        return normalize(_merge_all_of(schema))
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in KEEP:
            continue
        if key == "properties":
            out[key] = {name: normalize(sub) for name, sub in value.items()}
        elif key == "items":
            out[key] = normalize(value)
        elif key in ("anyOf", "oneOf"):
            out[key] = [normalize(sub) for sub in value]
        elif key == "required":
            if value:
                out[key] = list(value)
        else:
            out[key] = value
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
    return out


def _merge_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    """Zoom composes objects with allOf; merge the parts into one object schema."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        part = _merge_all_of(part) if "allOf" in part else part
        for key, value in part.items():
            if key == "properties":
                merged.setdefault("properties", {}).update(value)
            elif key == "required":
                merged["required"] = sorted(set(merged.get("required", [])) | set(value))
            else:
                merged.setdefault(key, value)
    if "properties" in merged:
        merged.setdefault("type", "object")
    return merged


_SCOPES = re.compile(r"\*\*\[Scopes\]\([^)]*\):\*\*\s*(.+)")
_RATE = re.compile(r"\*\*\[Rate Limit Label\]\([^)]*\):\*\*\s*`([^`]+)`")
_ERROR = re.compile(r"\*\*Error Code:\*\*\s*`(\d+)`\s*<br>\s*(.*?)\s*(?:<br>|$)", re.S)


def rate_limit(op: dict[str, Any]) -> str:
    found = _RATE.search(op.get("description", ""))
    return found.group(1).strip().upper() if found else "UNKNOWN"


def scopes(op: dict[str, Any]) -> tuple[list[str], list[str]]:
    ext = op.get("x-extensions", {})
    classic = list(ext.get("x-macro-scopes") or [])
    if not classic:
        found = _SCOPES.search(op.get("description", ""))
        classic = re.findall(r"`([^`]+)`", found.group(1)) if found else []
    return classic, list(ext.get("x-granular-scopes") or [])


def errors(op: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for status, response in sorted(op["responses"].items()):
        if not status.isdigit() or int(status) < 400:
            continue
        for code, message in _ERROR.findall(response.get("description", "")):
            out.append({"status": int(status), "code": int(code), "message": " ".join(message.split())})
    return out


def success(op: dict[str, Any]) -> tuple[int, Any]:
    for status, response in sorted(op["responses"].items()):
        if status.isdigit() and 200 <= int(status) < 300:
            content = response.get("content") or {}
            schema = content.get("application/json", {}).get("schema")
            return int(status), normalize(schema) if schema else None
    return 200, None


def pagination(params: list[dict[str, Any]], response: Any) -> dict[str, Any] | None:
    """How a list operation pages, as botocore declares paginators: the token in and out, and the
    top-level arrays that are concatenated across pages. None for operations that do not page."""
    names = {p["name"]: p for p in params}
    if "next_page_token" not in names:
        return None
    properties = (response or {}).get("properties") or {}
    size = names.get("page_size")
    return {
        "input_token": "next_page_token",
        "output_token": "next_page_token" if "next_page_token" in properties else None,
        "result_keys": [name for name, schema in properties.items() if schema.get("type") == "array"],
        "limit_key": "page_size" if size else None,
        "max_page_size": (size or {}).get("schema", {}).get("maximum"),
    }


def facts(op: dict[str, Any]) -> dict[str, Any]:
    params = [
        {"name": p["name"], "in": p["in"], "required": bool(p.get("required")), "schema": normalize(p["schema"])}
        for p in op.get("parameters", [])
    ]
    body, body_type, body_required = None, None, False
    if "requestBody" in op:
        content = op["requestBody"]["content"]
        body_type = next(iter(content))
        body = normalize(content[body_type].get("schema", {}))
        body_required = bool(op["requestBody"].get("required"))
    status, response = success(op)
    return {
        "pagination": pagination(params, response),
        "operation_id": op["operationId"],
        "parameters": params,
        "body": body,
        "body_content_type": body_type,
        "body_required": body_required,
        "success_status": status,
        "response": response,
        "errors": errors(op),
    }


def build(openapi: dict[str, Any], entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    ops = operations(openapi)
    out_entries: list[dict[str, Any]] = []
    schema_files: dict[str, str] = {}
    for entry in entries:
        key = (entry["method"].upper(), entry["path"])
        if key not in ops:
            raise SystemExit(f"{key[0]} {key[1]} is not an operation of the OpenAPI document")
        op = ops[key]
        classic, granular = scopes(op)
        fallback = entry.get("text_reference") or {}
        label = rate_limit(op)
        if label == "UNKNOWN" and "rate_limit" in fallback:
            label = fallback["rate_limit"]
        classic = classic or list(fallback.get("scopes", []))
        new: dict[str, Any] = {
            "name": entry.get("name") or "TODO",
            "method": key[0],
            "path": key[1],
            "operation_id": op["operationId"],
            "toolset": entry.get("toolset") or "TODO",
            "safety": entry.get("safety") or "TODO",
            "rate_limit": label,
            "scopes": classic,
            "granular_scopes": granular,
            "description": entry.get("description") or "TODO",
        }
        for field in CURATED_EXTRAS:
            if entry.get(field):
                new[field] = entry[field]
        out_entries.append(new)
        schema_files[f"{_file_stem(op['operationId'])}.json"] = json.dumps(facts(op), indent=1, sort_keys=True) + "\n"
    return out_entries, schema_files


def _file_stem(operation_id: str) -> str:
    # One operationId ("Assigndevicetoauser/commonarea") holds a slash.
    return re.sub(r"[^A-Za-z0-9_.-]", "_", operation_id)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = ">" if len(value) > 90 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, str) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def render(toolsets: dict[str, str], entries: list[dict[str, Any]], defaults: list[str] | None = None) -> str:
    head: dict[str, Any] = {"default_toolsets": defaults} if defaults else {}
    body = yaml.dump(
        {**head, "toolsets": toolsets, "tools": entries},
        Dumper=_Dumper,
        sort_keys=False,
        width=100,
        allow_unicode=True,
    )
    return HEADER + "\n" + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report whether the committed catalog is stale")
    args = parser.parse_args(argv)

    current = yaml.safe_load(TOOLS_YAML.read_text(encoding="utf-8"))
    entries, schema_files = build(load_openapi(), current["tools"])
    text = render(current["toolsets"], entries, current.get("default_toolsets"))

    stale = []
    if TOOLS_YAML.read_text(encoding="utf-8") != text:
        stale.append(str(TOOLS_YAML.relative_to(ROOT)))
    compiled_text = compiled(text, parse_tools_yaml(text))
    if not COMPILED_PATH.is_file() or COMPILED_PATH.read_text(encoding="utf-8") != compiled_text:
        stale.append(str(COMPILED_PATH.relative_to(ROOT)))
    existing = {p.name for p in SCHEMA_DIR.glob("*.json")} if SCHEMA_DIR.exists() else set()
    for name, content in schema_files.items():
        path = SCHEMA_DIR / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(str(path.relative_to(ROOT)))
    stale += [str((SCHEMA_DIR / name).relative_to(ROOT)) for name in sorted(existing - set(schema_files))]

    if args.check:
        for item in stale:
            print(f"stale: {item}", file=sys.stderr)
        if stale:
            print("run: uv run python scripts/gen_catalog.py", file=sys.stderr)
        return 1 if stale else 0

    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    TOOLS_YAML.write_text(text, encoding="utf-8")
    COMPILED_PATH.write_text(compiled_text, encoding="utf-8")
    for name, content in schema_files.items():
        (SCHEMA_DIR / name).write_text(content, encoding="utf-8")
    for name in existing - set(schema_files):
        (SCHEMA_DIR / name).unlink()
    print(f"{len(entries)} operations; {len(stale)} file(s) changed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
