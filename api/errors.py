"""One stable error format for every 4xx: {"errors": [{code, field, message}]}."""

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from contracts.deadletters import FieldError
from contracts.registry import to_field_errors


class ErrorBody(BaseModel):
    errors: list[FieldError]


class ApiError(Exception):
    """An error the API answers with its status and field errors."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str = "",
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.errors = [FieldError(code=code, field=field, message=message)]
        self.headers = headers or {}


def error_response(
    status: int, errors: list[FieldError], headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"errors": [e.model_dump() for e in errors]}
    return JSONResponse(status_code=status, content=body, headers=headers)


async def api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.errors, exc.headers)


# Where FastAPI found a value. A field is named by itself, as the API's own errors name
# theirs ('limit', 'after', 'agency'): FastAPI's 'query.limit' beside the API's 'after' on
# the same route was two formats for one kind of field.
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


def _without_location(error: Any) -> Any:
    loc = tuple(error.get("loc", ()))
    return {**error, "loc": loc[1:]} if loc and loc[0] in _LOCATIONS else error


def validation_errors(exc: RequestValidationError) -> list[FieldError]:
    """FastAPI's validation errors in the stable shape, fields named without their location
    ('limit', not 'query.limit'; 'report.description', not 'body.report.description'). A
    body that is no JSON names no field: FastAPI's location there is the character offset."""
    return [_as_on_kafka(e) for e in to_field_errors(_without_location(e) for e in exc.errors())]


def _as_on_kafka(error: FieldError) -> FieldError:
    """A body's refusal under the code the Kafka doors give the same bytes: 'not_json' for
    text that is no JSON, or no body at all; 'not_object' for JSON that is no object (pydantic
    said 'json_invalid', 'missing' and 'model_attributes_type')."""
    if error.code == "missing" and error.field == "":
        return FieldError(code="not_json", field="", message="no body: send a JSON object")
    if error.code == "json_invalid":
        return FieldError(code="not_json", field="", message=error.message)
    if error.code == "model_attributes_type" and error.field == "":
        return FieldError(code="not_object", field="", message="expected a JSON object")
    return error


__all__ = ["ApiError", "ErrorBody", "error_response", "validation_errors"]
