"""The catalog: every Zoom operation as data (`tools.yaml` + `schemas/`), loaded read-only."""

from zoom_mcp.catalog.model import (
    SAFETY_CLASSES,
    Catalog,
    Operation,
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
    "Parameter",
    "Safety",
    "ZoomError",
    "catalog_path",
    "load_catalog",
]
