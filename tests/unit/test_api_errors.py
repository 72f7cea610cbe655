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


def test_a_body_that_is_no_json_names_no_field_and_is_refused_as_on_kafka() -> None:
    """The same bytes were 'json_invalid', 'missing' or 'model_attributes_type' over HTTP and
    'not_json' or 'not_object' on the Kafka topics (a helper's review)."""
    cases = [
        (_error(("body", 17), "json_invalid"), "not_json"),  # text that is no JSON
        (_error(("body",), "missing"), "not_json"),  # no body at all
        (_error(("body",), "model_attributes_type"), "not_object"),  # '[1]', '"x"', 'null'
    ]
    for error, code in cases:
        raised = RequestValidationError([error])
        assert [(e.code, e.field) for e in validation_errors(raised)] == [(code, "")]
    # A field's own 'missing' stays so.
    raised = RequestValidationError([_error(("body", "incident_type"))])
    assert [(e.code, e.field) for e in validation_errors(raised)] == [("missing", "incident_type")]


def test_an_officers_body_refuses_a_field_it_does_not_name() -> None:
    """The system's events read unknown fields as absent (a tolerant reader), and an outcome
    is one of their models: 'notes' for 'note' lost an officer's words in silence (a review).
    An officer's bodies refuse what they do not name."""
    import pytest
    from pydantic import ValidationError

    from api.tasks import CompleteBody, ReasonBody

    with pytest.raises(ValidationError, match="notes"):
        CompleteBody.model_validate({"outcome": {"code": "arrest", "notes": "at home"}})
    with pytest.raises(ValidationError, match="reasons"):
        ReasonBody.model_validate({"reason": "x", "reasons": "y"})
    body = CompleteBody.model_validate({"outcome": {"code": "arrest", "note": "at home"}})
    assert body.outcome.note == "at home"


def test_an_outcome_no_task_takes_is_outcome_not_allowed_naming_each_types_codes() -> None:
    """The README promises outcome_not_allowed; a code outside every list was pydantic's
    literal_error, listing all eleven codes with no word of which task takes which."""
    import pytest
    from pydantic import ValidationError

    from api.tasks import CompleteBody
    from contracts.registry import to_field_errors

    with pytest.raises(ValidationError) as caught:
        CompleteBody.model_validate({"outcome": {"code": "arrested"}})
    (error,) = to_field_errors(caught.value.errors(include_url=False))
    assert (error.code, error.field) == ("outcome_not_allowed", "outcome.code")
    assert error.message.startswith("'arrested' is no outcome; by task type: ")
    assert "criminal_referral: arrest, no_further_action, referred_elsewhere" in error.message
