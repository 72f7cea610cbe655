"""One stable error format for every 4xx: {"errors": [{code, field, message}]}."""

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


def validation_errors(exc: RequestValidationError) -> list[FieldError]:
    """FastAPI's validation errors in the stable shape, with 'body.' dropped from fields. A
    body that is no JSON names no field: FastAPI's location there is the character offset."""
    errors = to_field_errors(exc.errors(), skip=frozenset({"body"}))
    return [e.model_copy(update={"field": ""}) if e.code == "json_invalid" else e for e in errors]


__all__ = ["ApiError", "ErrorBody", "error_response", "validation_errors"]
