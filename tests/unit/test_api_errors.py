"""api.errors: FastAPI's validation errors in the API's one format."""

from fastapi.exceptions import RequestValidationError

from api.errors import validation_errors


def _error(loc: tuple[str | int, ...], kind: str = "missing") -> dict[str, object]:
    return {"type": kind, "loc": loc, "msg": "Field required", "input": None}


def test_a_field_is_named_without_where_fastapi_found_it() -> None:
    # The API's own errors on the same routes name 'after', 'agency', 'case_id', 'value'.
    raised = RequestValidationError(
        [
            _error(("query", "limit"), "greater_than_equal"),
            _error(("path", "case_id"), "uuid_parsing"),
            _error(("body", "report", "accounts", 0, "platform"), "string_too_long"),
            _error(("header", "x-purpose")),
        ]
    )
    fields = [(e.code, e.field) for e in validation_errors(raised)]
    assert fields == [
        ("greater_than_equal", "limit"),
        ("uuid_parsing", "case_id"),
        ("string_too_long", "report.accounts.0.platform"),
        ("missing", "x-purpose"),
    ]


def test_a_field_named_like_a_location_is_kept_inside_the_body() -> None:
    raised = RequestValidationError([_error(("body", "report", "body"))])
    assert [e.field for e in validation_errors(raised)] == ["report.body"]


def test_a_body_that_is_no_json_names_no_field() -> None:
    raised = RequestValidationError([_error(("body", 17), "json_invalid")])
    assert [(e.code, e.field) for e in validation_errors(raised)] == [("json_invalid", "")]
