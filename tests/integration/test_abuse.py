"""What one URL or one visitor can cost the server: page images (drawn in a sandbox child), error
details, uploads, passwords."""

from __future__ import annotations

import io
import resource
import tomllib

import pytest
from PIL import Image

from app import page_image, serve, upload
from tests import hostile_pdfs
from tests.conftest import REPO


def test_a_huge_page_is_rendered_at_a_capped_pixel_size(tmp_path, monkeypatch):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "big.pdf").write_bytes(hostile_pdfs.huge_page(14400))
    monkeypatch.setenv("IZLEK_RAW", str(tmp_path))
    png = page_image.render("m/big.pdf", 1, scale=2.0)  # uncapped: 28,800 px square, 3.3 GB of RGB
    w, h = Image.open(io.BytesIO(png)).size
    assert max(w, h) <= page_image.MAX_SIDE and w * h <= page_image.MAX_PIXELS
    assert w > 1000  # still a readable picture
    for page in ("1e309", "nan", "-1", "99"):
        with pytest.raises(page_image.PageUnavailable):
            page_image.render("m/big.pdf", page)
    small = page_image.render("m/big.pdf", 1, scale=float("inf"))  # a nonsense scale falls back
    assert Image.open(io.BytesIO(small)).size == (w, h)


def test_a_page_that_explodes_when_drawn_costs_the_server_nothing(tmp_path, monkeypatch):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "forms.pdf").write_bytes(hostile_pdfs.nested_forms())  # many GB when drawn in-process
    (tmp_path / "m" / "big.pdf").write_bytes(hostile_pdfs.huge_page(1440))
    monkeypatch.setenv("IZLEK_RAW", str(tmp_path))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(page_image.PageUnavailable) as exc:
        page_image.render("m/forms.pdf", 1)
    assert exc.value.reason == "unreadable" and "memory" in str(exc.value)
    # Drawn in the sandbox child: this process did not grow by the child's 512 MB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024
    assert page_image.render("m/big.pdf", 1).startswith(page_image.PNG_SIGNATURE)  # a fresh child draws on


def test_readers_never_see_error_details_and_uploads_are_small():
    cfg = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["client"]["showErrorDetails"] == "none"  # "false" still shows a stack trace in Streamlit 1.67
    assert cfg["server"]["maxUploadSize"] <= 50


def test_the_upload_endpoint_is_off_unless_the_upload_page_is_on(monkeypatch):
    seen = {}
    monkeypatch.setattr(serve.cli, "main", lambda args, **_kw: seen.setdefault("args", args) and 0)
    monkeypatch.delenv("IZLEK_READ_ONLY", raising=False)
    monkeypatch.setenv("IZLEK_UPLOAD_PASSWORD", "x")
    serve.main([])
    assert "--server.maxUploadSize=0" in seen.pop("args")  # read-only (the default): nothing accepted
    monkeypatch.setenv("IZLEK_READ_ONLY", "0")
    monkeypatch.setenv("IZLEK_UPLOAD_MAX_MB", "20")
    serve.main([])
    assert "--server.maxUploadSize=20" in seen.pop("args")


def test_wrong_passwords_lock_a_client_out_and_then_everyone():
    now = [0.0]
    lim = upload.AttemptLimiter(per_client=3, global_max=5, window_s=60, lockout_s=600, clock=lambda: now[0])
    keys = [upload.sign_in("guess", "s3cret", "a", lim).key for _ in range(3)]
    assert keys == ["up_wrong_password", "up_wrong_password", "up_locked"]
    # Locked out: even the right password is not checked.
    assert upload.sign_in("s3cret", "s3cret", "a", lim).key == "up_locked"
    assert upload.sign_in("s3cret", "s3cret", "b", lim).ok  # another client is not
    upload.sign_in("guess", "s3cret", "c", lim)
    assert upload.sign_in("guess", "s3cret", "d", lim).key == "up_locked"  # 5 failures from all: global lockout
    assert upload.sign_in("s3cret", "s3cret", "e", lim).key == "up_locked"
    now[0] = 601.0
    assert upload.sign_in("s3cret", "s3cret", "a", lim).ok
