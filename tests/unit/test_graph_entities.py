"""Entity references in the analyst's graph routes: refused naming the parameter that holds
them (`/v1/graph/path` blamed `from` for an unknown kind in `to`)."""

import pytest

from api.cases import _entity
from api.errors import ApiError


@pytest.mark.parametrize("ref", ["nonsense:x", "phone", "phone:", ":x"])
@pytest.mark.parametrize("field", ["from", "to", "entity"])
def test_a_reference_of_no_known_kind_is_refused_naming_its_parameter(ref: str, field: str) -> None:
    with pytest.raises(ApiError) as caught:
        _entity(ref, field)
    [error] = caught.value.errors
    assert (caught.value.status, error.code, error.field) == (422, "invalid_entity", field)


@pytest.mark.parametrize("ref", ["phone:+60123456789", "case:1234", "account:telegram:u:uncle"])
def test_a_reference_of_a_known_kind_is_taken_as_it_is(ref: str) -> None:
    assert _entity(ref, "to") == ref
