"""Check tool arguments against the published input schema before anything leaves the process.

Every problem is reported at once, each naming the argument (dotted path for nested
fields) and the rule it broke, so a model can fix all of them in one retry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from jsonschema import Draft202012Validator, FormatChecker

from zoom_mcp.errors import ArgumentsInvalid, Problem

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# Zoom accepts local times without an offset (with a separate `timezone` field), so RFC 3339
# is too strict for date-time; this is the shape its examples and its servers use.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

FORMATS = FormatChecker(formats=())
FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or bool(_DATE_TIME.match(v)))
FORMATS.checks("date")(lambda v: not isinstance(v, str) or bool(_DATE.match(v)))
FORMATS.checks("email")(lambda v: not isinstance(v, str) or bool(_EMAIL.match(v)))

_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}


_validators: dict[int, Draft202012Validator] = {}


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    # Compiling is far dearer than validating, and the catalog's schemas live as long as the process.
    found = _validators.get(id(schema))
    if found is None or found.schema is not schema:
        found = _validators[id(schema)] = Draft202012Validator(schema, format_checker=FORMATS)
    return found


def check_arguments(tool: str, schema: dict[str, Any], arguments: dict[str, Any]) -> None:
    """Raise ArgumentsInvalid listing every problem, or return when the arguments are valid."""
    problems = problems_in(schema, arguments)
    if problems:
        raise ArgumentsInvalid(tool, problems)


_fast: dict[int, tuple[dict[str, Any], Callable[[Any], Any]]] = {}
_FAST_FORMATS = {"date-time": _DATE_TIME.pattern, "date": _DATE.pattern, "email": _EMAIL.pattern}


def _fast_check(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """A compiled validator (fastjsonschema): some 25x quicker on the common, valid case."""
    found = _fast.get(id(schema))
    if found is None or found[0] is not schema:
        import fastjsonschema  # late: loaded at the first check, off the cold start

        found = _fast[id(schema)] = (schema, fastjsonschema.compile(schema, formats=_FAST_FORMATS, use_default=False))
    return found[1]


def problems_in(schema: dict[str, Any], instance: Any) -> list[Problem]:
    """Every problem, or [] - the compiled check answers valid instances; jsonschema explains the rest."""
    try:
        _fast_check(schema)(instance)
        return []
    except Exception:
        pass
    errors = sorted(
        validator_for(schema).iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.validator)
    )
    return [_describe(e) for e in errors]


def _describe(error: ValidationError) -> Problem:
    path = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in error.absolute_path).replace(".[", "[")
    # jsonschema types these loosely (a schema may be a bool, a value unset): we only get here for
    # errors of our own object schemas, whose keywords hold what the JSON Schema spec says.
    kind, value, spec = error.validator, error.instance, cast(Any, error.validator_value)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if kind == "required":
        missing = error.message.split("'")[1]
        return Problem(f"{path}.{missing}" if path else missing, "is required")
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        unknown = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        names = ", ".join(unknown)
        return Problem(path or names, f"unknown argument(s) {names}; valid: {', '.join(allowed)}")
    if kind == "type":
        expected = spec if isinstance(spec, str) else " or ".join(spec)
        return Problem(path, f"must be {expected}, got {_json_type(value)} {_short(value)}")
    if kind == "enum":
        return Problem(path, f"must be one of {', '.join(map(_short, spec))}; got {_short(value)}")
    if kind == "format":
        return Problem(path, f"must be a {spec} value; got {_short(value)}")
    return Problem(path, error.message)


def _json_type(value: Any) -> str:
    return "null" if value is None else _JSON_TYPES.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "..."
