"""The API's docs page, rendered from its OpenAPI document (no CDN, no script)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from papersift.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
async def docs(request: Request) -> Response:
    spec: dict[str, Any] = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "schema": _schema_text(p.get("schema", {})),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "responses": [
                        (status, answer.get("description", ""))
                        for status, answer in sorted(op.get("responses", {}).items())
                    ],
                }
            )
    return page(request, "docs.html", title="API", spec=spec, operations=operations)


def _schema_text(schema: dict[str, Any]) -> str:
    """A short human form of a JSON schema: type, enum, bounds."""
    if "anyOf" in schema:
        return " or ".join(_schema_text(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        kind = f"list of {_schema_text(schema.get('items', {}))}"
    bounds = [
        f"{label} {schema[key]}"
        for key, label in (
            ("minimum", "≥"),
            ("maximum", "≤"),
            ("minLength", "min length"),
            ("maxLength", "max length"),
            ("minItems", "min items"),
            ("maxItems", "max items"),
            ("pattern", "pattern"),
        )
        if key in schema
    ]
    if "default" in schema and schema["default"] not in (None, []):
        bounds.append(f"default {schema['default']}")
    return kind + (f" ({', '.join(bounds)})" if bounds else "")
