"""Shared pieces of the JSON API under /api/v1: blueprints, problem objects, the OpenAPI spec.

Each domain builds its own blueprint with `api_blueprint()` and describes each operation with
`@operation(...)`; `/api/v1/openapi.json` is generated from those descriptions and the
marshmallow schemas they name, so the document cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request
from werkzeug.routing import Rule

from tcloud.accounts.access import ACCESS_ATTR, PUBLIC

API_PREFIX = "/api/v1"
OPENAPI_ATTR = "_tcloud_openapi"
PROBLEM_MIME = "application/problem+json"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    bp = Blueprint(f"{name}_api", import_name, url_prefix=API_PREFIX)
    bp.before_request(_require_json_body)
    return bp


def _require_json_body() -> None:
    # The API is exempt from form CSRF tokens; insisting on a JSON body for writes keeps a
    # cross-site HTML form from ever reaching it (browsers cannot send JSON cross-site
    # without a CORS preflight, which we never grant).
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.is_json:
        abort(415)


def json_body() -> dict:
    """The request's JSON object; anything else (absent, a list, malformed) is an empty one,
    which the endpoint's schema then reports field by field."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def operation(
    *,
    summary: str,
    tag: str,
    request_schema: type | None = None,
    response_schema: type | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    query_schema: type | None = None,
) -> Callable:
    """Describe an API operation for the OpenAPI document.

    `query_schema` documents query-string parameters (a GET's filters) field by field.
    """

    def decorator(view: Callable) -> Callable:
        setattr(view, OPENAPI_ATTR, {
            "summary": summary, "tag": tag, "request": request_schema,
            "response": response_schema, "status": status, "errors": errors,
            "query": query_schema,
        })
        return view

    return decorator


def problem(status: int, title: str, detail: str = "", **extra: Any) -> Response:
    """An RFC 9457 problem object."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIME
    return response


def _openapi_path(rule: Rule) -> str:
    path = rule.rule
    for argument in rule.arguments:
        path = path.replace(f"<int:{argument}>", f"{{{argument}}}")
        path = path.replace(f"<{argument}>", f"{{{argument}}}")
    return path


def _path_parameters(rule: Rule) -> list[dict]:
    # OpenAPI requires every templated path segment to be declared as a parameter.
    return [{"in": "path", "name": argument, "required": True,
             "schema": {"type": "integer" if f"<int:{argument}>" in rule.rule else "string"}}
            for argument in sorted(rule.arguments)]


def build_spec(app: Flask) -> dict:
    spec = APISpec(
        title="TCloud API", version="1.0.0", openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": "Subsidy points, catalogue, SLA and advisor services of TCloud."},
    )
    problem_schema = {
        "type": "object",
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    spec.components.schema("Problem", problem_schema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, OPENAPI_ATTR, None) or getattr(
            getattr(view, "__wrapped__", None), OPENAPI_ATTR, None)
        if not meta:
            continue
        roles = sorted(getattr(view, ACCESS_ATTR, frozenset()))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op: dict[str, Any] = {
                "summary": meta["summary"], "tags": [meta["tag"]],
                "description": f"Allowed: {', '.join(roles)}",
                "responses": {str(meta["status"]): {"description": "Success"}},
            }
            parameters = _path_parameters(rule)
            if meta.get("query"):
                parameters.append({"in": "query", "schema": meta["query"]})
            if parameters:
                op["parameters"] = parameters
            if meta["response"]:
                op["responses"][str(meta["status"])]["content"] = {
                    "application/json": {"schema": meta["response"]}}
            if meta["request"]:
                op["requestBody"] = {"required": True,
                                     "content": {"application/json": {"schema": meta["request"]}}}
            for code in meta["errors"] + (() if PUBLIC in roles else (401, 403)):
                op["responses"][str(code)] = {
                    "description": "Problem",
                    "content": {PROBLEM_MIME: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
            spec.path(path=_openapi_path(rule), operations={method.lower(): op})
    return spec.to_dict()


def openapi_document() -> Response:
    return jsonify(build_spec(current_app))
