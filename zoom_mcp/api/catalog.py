"""Read-only model of the catalog: `tools.yaml` entries plus their schema files.

Loading is cheap (one YAML parse); each operation's JSON facts are read on first use,
so listing a few toolsets never touches the schema files of the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from zoom_mcp.api import schemas as schema_builder

Safety = Literal["read", "write", "destructive"]
SAFETY_CLASSES: tuple[Safety, ...] = ("read", "write", "destructive")
SCHEMA_PACKAGE = "zoom_mcp.api.facts"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: Literal["path", "query"]
    required: bool
    schema: dict[str, Any]


@dataclass(frozen=True)
class ZoomError:
    status: int
    code: int
    message: str


@dataclass(frozen=True)
class Pagination:
    """How a list operation pages (generated from Zoom's parameters and answer, like botocore's paginators)."""

    input_token: str  # the argument that asks for the next page
    output_token: str | None  # the answer's field holding the next page's token
    result_keys: tuple[str, ...]  # top-level arrays concatenated across pages
    limit_key: str | None  # the page size argument, if any
    max_page_size: int | None


@dataclass(frozen=True, eq=False)
class Operation:
    """One Zoom API operation and the MCP tool that exposes it."""

    name: str
    method: str
    path: str
    operation_id: str
    toolset: str
    safety: Safety
    rate_limit: str
    scopes: tuple[str, ...]
    granular_scopes: tuple[str, ...]
    description: str
    notes: str = ""
    param_notes: dict[str, str] = field(default_factory=dict)
    body_renames: dict[str, str] = field(default_factory=dict)
    confirm: dict[str, Any] = field(default_factory=dict)
    date_range: dict[str, Any] = field(default_factory=dict)
    search_terms: tuple[str, ...] = ()  # words people use for this task, for search_tools (not shown to the model)

    @cached_property
    def facts(self) -> dict[str, Any]:
        stem = "".join(c if c.isalnum() or c in "_.-" else "_" for c in self.operation_id)
        text = resources.files(SCHEMA_PACKAGE).joinpath(f"{stem}.json").read_text(encoding="utf-8")
        return json.loads(text)

    @cached_property
    def parameters(self) -> tuple[Parameter, ...]:
        return tuple(Parameter(p["name"], p["in"], p["required"], p["schema"]) for p in self.facts["parameters"])

    @cached_property
    def pagination(self) -> Pagination | None:
        found = self.facts.get("pagination")
        if not found:
            return None
        return Pagination(
            found["input_token"],
            found["output_token"],
            tuple(found["result_keys"]),
            found["limit_key"],
            found["max_page_size"],
        )

    @property
    def body_schema(self) -> dict[str, Any] | None:
        return self.facts["body"]

    @property
    def body_content_type(self) -> str | None:
        return self.facts["body_content_type"]

    @property
    def response_schema(self) -> dict[str, Any] | None:
        return self.facts["response"]

    @property
    def success_status(self) -> int:
        return self.facts["success_status"]

    @cached_property
    def errors(self) -> tuple[ZoomError, ...]:
        return tuple(ZoomError(e["status"], e["code"], e["message"]) for e in self.facts["errors"])

    @cached_property
    def arguments(self) -> schema_builder.ArgumentMap:
        """Where each tool argument goes on the wire (path, query or body field)."""
        return schema_builder.argument_map(self)

    @cached_property
    def input_schema(self) -> dict[str, Any]:
        return schema_builder.input_schema(self)

    @cached_property
    def output_schema(self) -> dict[str, Any] | None:
        return schema_builder.output_schema(self.response_schema)

    @property
    def read_only(self) -> bool:
        return self.safety == "read"

    @property
    def idempotent(self) -> bool:
        return self.method in ("GET", "PUT", "DELETE", "PATCH")

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Catalog:
    toolsets: dict[str, str]
    operations: dict[str, Operation]
    default_toolsets: tuple[str, ...] = ()  # what a server offers when no toolset is chosen

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations.values())

    def __len__(self) -> int:
        return len(self.operations)

    def get(self, name: str) -> Operation | None:
        return self.operations.get(name)

    def by_route(self, method: str, path: str) -> Operation | None:
        for op in self.operations.values():
            if op.method == method and op.path == path:
                return op
        return None


def catalog_path() -> Path:
    """`tools.yaml` inside the installed package (wheel), else at the top of the source tree."""
    packaged = Path(str(resources.files("zoom_mcp"))) / "tools.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "tools.yaml"


COMPILED = "catalog.compiled.json"


def parse_tools_yaml(text: str) -> dict[str, Any]:
    import yaml  # late: the compiled JSON spares start-up the YAML parser

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def compiled(text: str, data: dict[str, Any]) -> str:
    """`tools.yaml` as JSON, with the hash of the text it came from (written by scripts/gen_catalog.py)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    # Key order is kept: the toolsets are listed in the order tools.yaml gives them.
    return json.dumps({"source_sha256": digest, "catalog": data}, separators=(",", ":")) + "\n"


def _read(text: str) -> dict[str, Any]:
    """The parsed catalog: from the compiled JSON beside this module when it was made from this very text
    (parsing YAML costs ~30 ms of every start-up, JSON ~1 ms), else from the YAML itself."""
    cache = Path(__file__).with_name(COMPILED)
    if cache.is_file():
        found = json.loads(cache.read_text(encoding="utf-8"))
        if found.get("source_sha256") == hashlib.sha256(text.encode()).hexdigest():
            return dict(found["catalog"])
    return parse_tools_yaml(text)


def load_catalog(path: Path | None = None) -> Catalog:
    text = (path or catalog_path()).read_text(encoding="utf-8")
    data = _read(text)
    operations: dict[str, Operation] = {}
    for entry in data["tools"]:
        op = Operation(
            name=entry["name"],
            method=entry["method"],
            path=entry["path"],
            operation_id=entry["operation_id"],
            toolset=entry["toolset"],
            safety=entry["safety"],
            rate_limit=entry["rate_limit"],
            scopes=tuple(entry.get("scopes", ())),
            granular_scopes=tuple(entry.get("granular_scopes", ())),
            description=" ".join(entry["description"].split()),
            notes=entry.get("notes", ""),
            param_notes=dict(entry.get("param_notes") or {}),
            body_renames=dict(entry.get("body_renames") or {}),
            confirm=dict(entry.get("confirm") or {}),
            date_range=dict(entry.get("date_range") or {}),
            search_terms=tuple(entry.get("search_terms") or ()),
        )
        if op.name in operations:
            raise ValueError(f"tools.yaml: duplicate tool name {op.name!r}")
        operations[op.name] = op
    defaults = tuple(data.get("default_toolsets") or data["toolsets"])
    return Catalog(toolsets=dict(data["toolsets"]), operations=operations, default_toolsets=defaults)
