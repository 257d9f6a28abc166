"""The upload page and its logic (app/upload.py): off unless configured, every check, the sandbox."""

from __future__ import annotations

import fcntl
import re
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import upload
from tests import hostile_pdfs
from tests.conftest import REPO
from tests.processes import gone

SAMPLE_PP = REPO / "data" / "raw" / "ilginkoy" / "ilginkoy_2024_performans_programi.pdf"


@pytest.fixture
def cfg(tmp_path) -> upload.Config:
    raw = tmp_path / "raw"
    raw.mkdir()
    return upload.Config(password="s3cret", raw=raw.resolve(), warehouse=tmp_path / "wh.duckdb",
                         max_mb=5, max_pages=3000, parse_timeout_s=120, memory_mb=3072, rebuild_timeout_s=300)


def _staging_empty(cfg: upload.Config) -> bool:
    staging = cfg.raw / upload.STAGING
    return not staging.exists() or not [p for p in staging.iterdir() if p.name != "rebuild.lock"]


# --- switch ----------------------------------------------------------------------------------

def test_enabled_only_with_a_password_and_never_read_only(monkeypatch):
    monkeypatch.delenv(upload.PASSWORD_ENV, raising=False)
    monkeypatch.setenv(upload.READ_ONLY_ENV, "0")
    assert not upload.enabled()
    monkeypatch.setenv(upload.PASSWORD_ENV, "")
    assert not upload.enabled()
    monkeypatch.setenv(upload.PASSWORD_ENV, "pw")
    assert upload.enabled()
    for value in ("1", "true", "YES"):
        monkeypatch.setenv(upload.READ_ONLY_ENV, value)
        assert not upload.enabled()


def test_config_reads_limits_and_ignores_nonsense(monkeypatch, tmp_path):
    monkeypatch.setenv("IZLEK_RAW", str(tmp_path))
    monkeypatch.setenv("IZLEK_UPLOAD_MAX_MB", "7")
    monkeypatch.setenv("IZLEK_UPLOAD_MAX_PAGES", "-3")
    monkeypatch.setenv("IZLEK_UPLOAD_TIMEOUT", "abc")
    c = upload.config()
    assert c.raw == tmp_path.resolve() and c.max_mb == 7 and c.max_bytes == 7 * 1024 * 1024
    assert c.max_pages == 3000 and c.parse_timeout_s == 600


def test_password_comparison():
    assert upload.password_ok("s3cret", "s3cret")
    assert not upload.password_ok("s3cre", "s3cret")
    assert not upload.password_ok("", "s3cret")
    assert not upload.password_ok(None, "s3cret")
    assert not upload.password_ok("", "")  # an unset password never lets anyone in
    assert upload.password_ok("şifre", "şifre")


# --- checks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["ilginkoy", "cankaya", "a", "x_1-2", "a" * 64])
def test_good_municipality_ids(value):
    assert upload.valid_municipality_id(value)


@pytest.mark.parametrize("value", ["", "Cankaya", "çankaya", "a/b", "..", "../x", "a b", "a" * 65, "abc\n",
                                   "x' OR 1=1 --", ".hidden", None, 5])
def test_bad_municipality_ids(value):
    assert not upload.valid_municipality_id(value)


@pytest.mark.parametrize(("given", "expected"), [
    ("../../etc/passwd", "passwd.pdf"),
    ("..\\..\\Windows\\win.ini", "win.ini.pdf"),
    (".hidden.pdf", "hidden.pdf"),
    ("...pdf", "belge.pdf"),
    ("", "belge.pdf"),
    (None, "belge.pdf"),
    ("Çankaya 2024 Faaliyet Raporu.PDF", "Cankaya_2024_Faaliyet_Raporu.pdf"),
    ("rapor.pdf.exe", "rapor.pdf.exe.pdf"),
    ("a;rm -rf $HOME`x`.pdf", "a_rm_-rf_HOME_x.pdf"),
    ("/abs/path/ok-name_1.pdf", "ok-name_1.pdf"),
])
def test_safe_file_name(given, expected):
    assert upload.safe_file_name(given) == expected


def test_safe_file_name_is_bounded_and_plain():
    name = upload.safe_file_name("ğ" * 500 + ".pdf")
    assert len(name) <= upload.MAX_NAME and name.endswith(".pdf")
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.pdf", name)


@pytest.mark.parametrize("name", ["../../../etc/cron.d/x.pdf", "/etc/passwd", "..", "....//....//x", "\x00evil.pdf",
                                  "a/../../b.pdf"])
def test_target_path_stays_in_the_municipality_folder(cfg, name):
    final = upload.target_path(cfg.raw, "ilginkoy", name)
    assert final.parent == cfg.raw / "ilginkoy"
    assert final.suffix == ".pdf" and not final.name.startswith(".")


def test_target_path_refuses_a_bad_id_and_a_symlinked_folder(cfg, tmp_path):
    with pytest.raises(upload.UploadRejected) as exc:
        upload.target_path(cfg.raw, "../outside", "a.pdf")
    assert exc.value.key == "up_bad_id"
    outside = tmp_path / "outside"
    outside.mkdir()
    (cfg.raw / "evil").symlink_to(outside)
    with pytest.raises(upload.UploadRejected) as exc:
        upload.target_path(cfg.raw, "evil", "a.pdf")
    assert exc.value.key == "up_bad_name"


def test_check_bytes(cfg):
    upload.check_bytes("a.pdf", b"%PDF-1.7\n...", cfg)
    cases = {"up_empty": b"", "up_too_big": b"%PDF-" + b"0" * (cfg.max_bytes + 1),
             "up_not_pdf": b"PK\x03\x04 a zip named .pdf", "up_not_pdf ": b" %PDF-1.4 leading space"}
    for key, data in cases.items():
        with pytest.raises(upload.UploadRejected) as exc:
            upload.check_bytes("a.pdf", data, cfg)
        assert exc.value.key == key.strip()


def test_every_message_key_has_both_languages():
    source = (REPO / "app" / "upload.py").read_text(encoding="utf-8")
    used = set(re.findall(r'(?:Outcome\((?:False|True),|UploadRejected\()\s*"(\w+)"', source))
    used |= set(re.findall(r'"(up_stored(?:_partial)?)"', source))
    assert {"up_bad_id", "up_timeout", "up_stored", "up_rebuilt"} <= used
    for key in used | set(upload.TEXTS):
        assert set(upload.TEXTS[key]) == {"tr", "en"}, key


# --- the whole upload ------------------------------------------------------------------------

def test_a_real_program_is_parsed_and_moved_in(cfg):
    data = SAMPLE_PP.read_bytes()
    out = upload.process_upload("../../Ilgınköy PP 2024.pdf", data, "ilginkoy", cfg)
    assert out.ok, out
    assert out.key == "up_stored"
    assert out.path == cfg.raw / "ilginkoy" / "Ilginkoy_PP_2024.pdf"
    assert out.path.read_bytes() == data
    assert out.fields["doc_type"] == "performance program" and out.fields["year"] == "2024"
    assert out.summary["status"] == "ok" and out.summary["rows_loaded"] > 0
    assert _staging_empty(cfg)
    again = upload.process_upload("Ilgınköy PP 2024.pdf", b"%PDF-1.4 other", "ilginkoy", cfg)
    assert not again.ok and again.key == "up_exists"
    assert out.path.read_bytes() == data  # never overwritten


def test_a_damaged_pdf_is_refused_with_the_extractors_reason(cfg):
    out = upload.process_upload("bozuk.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 200, "yeni", cfg)
    assert not out.ok and out.key == "up_parse_failed"
    assert "bozuk.pdf" in out.fields["message"]
    assert not (cfg.raw / "yeni" / "bozuk.pdf").exists()
    assert _staging_empty(cfg)


def test_a_pdf_that_is_not_a_plan_is_refused(cfg, tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(200, 200)
    path = tmp_path / "blank.pdf"
    pdf.save(str(path))
    out = upload.process_upload("blank.pdf", path.read_bytes(), "yeni", cfg)
    assert not out.ok and out.key == "up_parse_failed"
    assert not list(cfg.raw.glob("yeni/*"))


def test_page_limit_is_checked_in_the_child(cfg):
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", replace(cfg, max_pages=5))
    assert not out.ok and out.key == "up_too_many_pages"
    assert out.fields["pages"] > 5
    assert not (cfg.raw / "ilginkoy" / "pp.pdf").exists()


def test_memory_limit_stops_the_parse_by_the_builds_resident_watch(cfg):
    # The build's sandbox (etl.sandbox): the resident-memory watch stops the child well below the
    # address-space limit (2560 MB → 1280 MB resident), not just RLIMIT_AS at 2.5 GB.
    out = upload.process_upload("forms.pdf", hostile_pdfs.nested_forms(), "deneme", replace(cfg, memory_mb=2560))
    assert not out.ok and out.key == "up_memory", out
    assert "resident memory passed 1280 MB" in out.summary["detail"]
    assert not (cfg.raw / "deneme" / "forms.pdf").exists() and _staging_empty(cfg)


def test_a_reader_that_cannot_start_is_not_blamed_on_the_file(cfg):
    # 200 MB of address space cannot even import the reader: the worker never got to the file.
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", replace(cfg, memory_mb=200))
    assert not out.ok and out.key == "up_worker_start", out
    text = upload.TEXTS[out.key]["en"].format(**out.fields)
    assert "could not start" in text and "IZLEK_UPLOAD_MEMORY_MB=200" in text and "damaged" not in text
    assert not (cfg.raw / "ilginkoy" / "pp.pdf").exists()


def test_cpu_limit_stops_the_parse(cfg, monkeypatch):
    # The real limit-setting code of the worker, then a loop that never ends.
    spin = "from etl.sandbox import limit_self; limit_self(0, 1)\nwhile True: pass"
    monkeypatch.setattr(upload, "worker_command", lambda *a: [sys.executable, "-c", spin])
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", replace(cfg, parse_timeout_s=30))
    assert not out.ok and out.key == "up_timeout"
    assert not (cfg.raw / "ilginkoy" / "pp.pdf").exists()


def test_wall_timeout_stops_the_parse(cfg, monkeypatch):
    monkeypatch.setattr(upload, "worker_command", lambda *a: [sys.executable, "-c", "import time; time.sleep(60)"])
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", replace(cfg, parse_timeout_s=1))
    assert not out.ok and out.key == "up_timeout"
    assert _staging_empty(cfg)


def test_a_timeout_stops_the_workers_sandbox_child_too(cfg, monkeypatch, tmp_path):
    # A worker whose child (the sandbox's reader) hangs: the whole process group goes, no orphan.
    pid_file = tmp_path / "child.pid"
    script = ("import subprocess, sys, time; c = subprocess.Popen([sys.executable, '-c', 'import time; "
              f"time.sleep(120)']); open({str(pid_file)!r}, 'w').write(str(c.pid)); time.sleep(120)")
    monkeypatch.setattr(upload, "worker_command", lambda *a: [sys.executable, "-c", script])
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", replace(cfg, parse_timeout_s=2))
    assert not out.ok and out.key == "up_timeout"
    child = int(pid_file.read_text())
    # reaped by init a moment after the kill
    assert gone(child), f"the worker's child {child} survived the timeout"


def test_a_crashing_worker_is_reported(cfg, monkeypatch):
    monkeypatch.setattr(upload, "worker_command",
                        lambda *a: [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"])
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", cfg)
    assert not out.ok and out.key == "up_crashed" and out.fields["code"] == -11


def test_the_worker_does_not_see_the_password(cfg, monkeypatch):
    monkeypatch.setenv(upload.PASSWORD_ENV, "s3cret")
    script = ("import os, json; print('IZLEK_UPLOAD_RESULT ' + json.dumps({'status': 'failed', "
              "'message': os.environ.get('IZLEK_UPLOAD_PASSWORD', 'absent')}))")
    monkeypatch.setattr(upload, "worker_command", lambda *a: [sys.executable, "-c", script])
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", cfg)
    assert out.key == "up_parse_failed" and out.fields["message"] == "absent"


def test_rebuild_builds_the_warehouse_and_runs_one_at_a_time(cfg):
    assert upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "ilginkoy", cfg).ok
    out = upload.rebuild(cfg)
    assert out.ok, out.fields
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        docs = con.execute("select document_id, status from documents").fetchall()
    finally:
        con.close()
    assert docs == [("ilginkoy/pp.pdf", "ok")]
    with open(cfg.raw / upload.STAGING / "rebuild.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert upload.rebuild(cfg).key == "up_rebuild_busy"


def test_rebuild_failure_is_reported(cfg, tmp_path):
    out = upload.rebuild(replace(cfg, raw=tmp_path / "missing"))
    assert not out.ok and out.key == "up_rebuild_failed" and out.fields["code"] == 2
    assert not (tmp_path / "missing").exists()
    (tmp_path / "a_file").write_text("not a folder")
    out = upload.rebuild(replace(cfg, warehouse=tmp_path / "a_file" / "wh.duckdb"))
    assert not out.ok and out.key == "up_rebuild_failed" and out.fields["code"] != 0
    assert out.fields["detail"]


# --- the page through the router -------------------------------------------------------------

def _app(monkeypatch, **env: str) -> AppTest:
    for key in (upload.PASSWORD_ENV, upload.READ_ONLY_ENV):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()


def test_page_is_not_registered_without_a_password(monkeypatch, tmp_path):
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(tmp_path / "none.duckdb"))
    # Writing allowed, no password: not registered (so it is the password that switches it on).
    at = _app(monkeypatch, IZLEK_READ_ONLY="0")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/upload.py")
    for read_only in ({"IZLEK_READ_ONLY": "1"}, {}):  # explicitly read-only, and the default
        at = _app(monkeypatch, IZLEK_UPLOAD_PASSWORD="pw", **read_only)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("app_pages/upload.py")
    at = _app(monkeypatch, IZLEK_UPLOAD_PASSWORD="pw", IZLEK_READ_ONLY="0")
    assert not at.switch_page("app_pages/upload.py").run().exception


def test_page_asks_for_the_password_first(monkeypatch, tmp_path):
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("IZLEK_RAW", str(tmp_path))
    at = _app(monkeypatch, IZLEK_UPLOAD_PASSWORD="pw", IZLEK_READ_ONLY="0").switch_page("app_pages/upload.py").run()
    assert not at.exception
    assert at.title[0].value == upload.TEXTS["upload_title"]["tr"]
    assert not at.get("file_uploader")
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert at.error[0].value == upload.TEXTS["up_wrong_password"]["tr"]
    assert not at.get("file_uploader")
    at.text_input[0].input("pw")
    at.button[0].click().run()
    assert not at.exception
    assert len(at.get("file_uploader")) == 1
    assert [w.label for w in at.text_input] == [upload.TEXTS["up_municipality"]["tr"]]


def test_page_refuses_a_bad_municipality_id(monkeypatch, tmp_path):
    monkeypatch.setenv("IZLEK_WAREHOUSE", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("IZLEK_RAW", str(tmp_path))
    at = _app(monkeypatch, IZLEK_UPLOAD_PASSWORD="pw", IZLEK_READ_ONLY="0").switch_page("app_pages/upload.py").run()
    at.text_input[0].input("pw")
    at.button[0].click().run()
    at.text_input[0].input("../`x`")
    at.button[0].click().run()
    assert not at.exception
    assert "geçersiz" in at.error[0].value and "`../'x'`" in at.error[0].value
    assert list(Path(tmp_path).iterdir()) == []


def test_a_document_of_another_municipality_is_refused(cfg):
    # ilginkoy's program uploaded as serinyurt's: its title page names Ilgınköy.
    out = upload.process_upload("pp.pdf", SAMPLE_PP.read_bytes(), "serinyurt", cfg)
    assert not out.ok and out.key == "up_parse_failed"
    assert "Ilgınköy" in out.fields["message"] and "serinyurt" in out.fields["message"]
    assert not (cfg.raw / "serinyurt" / "pp.pdf").exists()
