"""Victim pseudonyms are keyed: without the install's key, a pseudonym cannot be turned
back into the reporter's own victim reference by trying candidates."""

import pytest

from runtime import pseudonyms


def test_a_pseudonym_is_stable_and_depends_on_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    ref = "acme:VIC-48213"
    monkeypatch.setattr(pseudonyms, "_key", lambda: b"k" * 32)
    first = pseudonyms.victim_pseudonym(ref)
    assert first == pseudonyms.victim_pseudonym(ref)
    assert first.startswith("victim-") and len(first) == len("victim-") + 12
    assert first != pseudonyms.victim_pseudonym("acme:VIC-48214")
    monkeypatch.setattr(pseudonyms, "_key", lambda: b"j" * 32)
    assert pseudonyms.victim_pseudonym(ref) != first


def test_the_unkeyed_pseudonym_of_before_can_be_recomputed_by_anyone() -> None:
    """Why it was replaced: anyone can compute it from a guessed reference (and graph.repairs
    can find the tasks that still hold it)."""
    guesses = {pseudonyms.unkeyed_pseudonym(f"acme:VIC-{n}"): n for n in range(48_000, 48_500)}
    assert guesses[pseudonyms.unkeyed_pseudonym("acme:VIC-48213")] == 48213
    assert pseudonyms.victim_pseudonym("acme:VIC-48213") not in guesses


def test_a_relative_key_file_is_the_checkouts_whatever_the_working_directory(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read from the working directory, a worker started elsewhere made a key of its own and
    named every victim differently from the API."""
    from uuid import uuid4

    from runtime.secrets import PROJECT_ROOT, configured_or_install_secret

    name = f".run/test-key-{uuid4().hex}"
    try:
        here = configured_or_install_secret(None, name, "TEST_KEY")
        monkeypatch.chdir(str(tmp_path))
        assert configured_or_install_secret(None, name, "TEST_KEY") == here
        assert (PROJECT_ROOT / name).read_text() == here
    finally:
        (PROJECT_ROOT / name).unlink(missing_ok=True)
