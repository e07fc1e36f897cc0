"""The Zoom Meetings API as data: `tools.yaml` and the per-operation facts under `facts/`.

No MCP and no HTTP here. `catalog` is the read-only model, `schemas` derives each tool's
input (strict) and output (lenient) schemas, `validate` checks arguments against them,
`serialize` turns arguments into a plain `ZoomRequest`, `windows` splits date ranges the way
Zoom's per-request limits require, and `scopes` says which granted scopes allow an operation.
"""

from zoom_mcp.api.catalog import (
    SAFETY_CLASSES,
    Catalog,
    Operation,
    Pagination,
    Parameter,
    Safety,
    ZoomError,
    catalog_path,
    load_catalog,
)

__all__ = [
    "SAFETY_CLASSES",
    "Catalog",
    "Operation",
    "Pagination",
    "Parameter",
    "Safety",
    "ZoomError",
    "catalog_path",
    "load_catalog",
]
