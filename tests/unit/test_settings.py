"""The dashboard is read-only unless told otherwise."""

import pytest

from app.settings import READ_ONLY_ENV, read_only


@pytest.mark.parametrize(("value", "expected"), [
    (None, True), ("", True), ("1", True), ("yes", True), ("0", False), ("false", False), ("NO", False)])
def test_read_only_is_the_default(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(READ_ONLY_ENV, raising=False)
    else:
        monkeypatch.setenv(READ_ONLY_ENV, value)
    assert read_only() is expected
