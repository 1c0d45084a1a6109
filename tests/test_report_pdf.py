"""`srgcli report --pdf`: a PDF/A-2b copy of the report made by a real LibreOffice, handed over by
`submit` with its hash; without LibreOffice the DOCX stands and the user is told how to get it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from srgcli.demo import demo_config
from srgcli.workspace import create_workspace, open_workspace
from tests.builders import TICKET, add_ticket, settle, srgcli_command, srgcli_env
from tests.conftest import Cli

HISTORY = [
    {"at": "2026-10-27T11:02:00+03:00", "kind": "order_created", "actor": "сайт"},
    {"at": "2026-11-05T12:30:00+03:00", "kind": "inspection_done", "actor": "оценщик"},
    {"at": "2026-11-17T16:45:00+03:00", "kind": "report_uploaded", "actor": "оценщик"},
]

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed: apt-get install poppler-utils",
)


@pytest.fixture
def root(tmp_path: Path, pylat: Any) -> Path:
    """A signed workspace with one settled ticket, ready for its report."""
    folder = tmp_path / "ws"
    create_workspace(folder, demo_config()).close()
    ws = open_workspace(folder)
    try:
        add_ticket(ws, HISTORY, bank="ПАО Сбербанк")
        settle(ws, TICKET)
    finally:
        ws.close()
    return folder


def set_report_config(root: Path, **values: Any) -> None:
    """Set keys of the `[report]` section of the workspace's srgcli.toml."""
    path = root / "srgcli.toml"
    doc = tomlkit.parse(path.read_text("utf-8"))
    section: Any = doc["report"]
    for key, value in values.items():
        section[key] = value
    path.write_text(tomlkit.dumps(doc), "utf-8")


def fake_office(tmp_path: Path, body: str) -> Path:
    """A program in place of LibreOffice that does `body` (a shell script)."""
    path = tmp_path / "fake-soffice"
    path.write_text(f"#!/bin/sh\n{body}\n", "utf-8")
    path.chmod(0o755)
    return path


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    )
    return " ".join(done.stdout.decode("utf-8").split())


@needs_office
@needs_poppler
def test_report_pdf_is_pdfa_with_the_report_text_and_goes_into_the_manifest(
    root: Path, tmp_path: Path
) -> None:
    cli = Cli(root)
    result = cli("report", TICKET, "--pdf", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    docx_path = Path(data["path"])
    pdf = Path(data["pdf"])
    assert data["pdf_error"] is None
    assert pdf == docx_path.with_suffix(".pdf") == root / "reports" / TICKET / f"{TICKET}-v1.pdf"
    assert "копия PDF/A для архива: reports/2026-000200/2026-000200-v1.pdf" in result.stderr
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600  # client data: owner only
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF-")
    # PDF/A-2b is declared in the XMP metadata (uncompressed, as PDF/A requires).
    assert b"<pdfaid:part>2</pdfaid:part>" in raw
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in raw

    text = pdf_text(pdf)
    assert "Отчёт об отработке обращения № 2026-000200" in text
    assert "Смирнова Ольга Викторовна" in text
    assert "Петрова Анна Сергеевна (самозанятая), ИНН 500100732259" in text
    assert "+7 (916) 204-31-77" in text
    # Its pages render (the same pages a person looks at).
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    assert sorted(tmp_path.glob("page-*.png"))

    # Asked again for a report that has not changed: the same PDF, not made again.
    made_at = pdf.stat().st_mtime_ns
    again = cli("report", TICKET, "--pdf", "--json")
    assert again.exit_code == 0 and again.json()["pdf"] == str(pdf)
    assert pdf.stat().st_mtime_ns == made_at

    handed = cli("submit", TICKET, "--json")
    assert handed.exit_code == 0, handed.stderr
    folder = Path(handed.json()["folder"])
    assert sorted(p.name for p in folder.iterdir()) == [docx_path.name, pdf.name, "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    sent = folder / pdf.name
    assert sent.read_bytes() == raw
    assert manifest["pdf"] == {"file": pdf.name, "sha256": hashlib.sha256(raw).hexdigest()}
    assert stat.S_IMODE(sent.stat().st_mode) == 0o600


@needs_office
def test_config_pdf_true_makes_it_and_a_new_docx_drops_the_old_pdf(root: Path) -> None:
    cli = Cli(root)
    set_report_config(root, pdf=True)
    made = cli("report", TICKET, "--json")
    assert made.exit_code == 0, made.stderr
    pdf = Path(made.json()["pdf"])
    assert pdf.is_file()

    # The ticket changes: the report is made again; the old PDF no longer shows it.
    set_report_config(root, pdf=False)
    changed = cli("fill", TICKET, "--set", "bank=ПАО Банк ВТБ")
    assert changed.exit_code == 0, changed.stderr
    remade = cli("report", TICKET, "--json")
    assert remade.exit_code == 0, remade.stderr
    assert remade.json()["pdf"] is None and not pdf.exists()
    # ... and submit hands over the DOCX alone, saying so in the manifest.
    handed = cli("submit", TICKET, "--json")
    folder = Path(handed.json()["folder"])
    assert not list(folder.glob("*.pdf"))
    assert json.loads((folder / "manifest.json").read_text("utf-8"))["pdf"] is None


def test_without_libreoffice_the_docx_is_kept_and_the_user_told_how(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no soffice, no libreoffice
    cli = Cli(root)
    result = cli("report", TICKET, "--pdf", "--json")
    assert result.exit_code == 4
    data = result.json()
    assert Path(data["path"]).is_file() and data["sha256"]  # the report itself is made
    assert data["pdf"] is None
    assert data["pdf_error"] == "не найдена программа LibreOffice (soffice)"
    message = " ".join(result.stderr.split())
    assert "копия PDF не сделана — не найдена программа LibreOffice (soffice)" in message
    assert "Отчёт DOCX сохранён" in message
    assert "sudo apt-get install libreoffice-writer-nogui" in message
    assert "[report] soffice" in message
    # The report counts as made: the ticket goes on to submission.
    assert cli("show", TICKET, "--json").json()["status"] == "reported"
    # Without --pdf nothing is asked of LibreOffice.
    assert cli("report", TICKET).exit_code == 0


def test_a_configured_program_that_fails_or_hangs_is_reported(root: Path, tmp_path: Path) -> None:
    cli = Cli(root)
    set_report_config(root, soffice=str(fake_office(tmp_path, "exit 3")))
    failed = cli("report", TICKET, "--pdf", "--json")
    assert failed.exit_code == 4
    assert failed.json()["pdf_error"] == "LibreOffice завершился с ошибкой (код 3)"

    # A conversion that never ends is stopped at [report] pdf_timeout, with its children.
    marker = tmp_path / "still-running"
    hang = fake_office(tmp_path, f"(sleep 3; touch {marker}) & sleep 60")
    set_report_config(root, soffice=str(hang), pdf_timeout=1)
    started = time.monotonic()
    hung = cli("report", TICKET, "--pdf", "--json")
    assert time.monotonic() - started < 20
    assert hung.exit_code == 4
    assert hung.json()["pdf_error"] == "LibreOffice не завершил преобразование за 1 с"
    assert "[report] pdf_timeout" in " ".join(hung.stderr.split())
    time.sleep(3.5)
    assert not marker.exists()  # the whole process group was ended
    assert not list((root / "reports" / TICKET).glob("*.pdf"))


def test_ctrl_c_during_the_conversion_ends_libreoffice_too(root: Path, tmp_path: Path) -> None:
    # LibreOffice runs in its own session, so Ctrl-C in the terminal reaches srgcli only:
    # srgcli must end LibreOffice's process group itself before its scratch folder goes.
    started = tmp_path / "started"
    marker = tmp_path / "still-running"
    hang = fake_office(tmp_path, f"touch {started}; (sleep 3; touch {marker}) & sleep 60")
    set_report_config(root, soffice=str(hang), pdf_timeout=120)
    run = subprocess.Popen(
        srgcli_command(root, "report", TICKET, "--pdf"),
        env=srgcli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert run.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=20)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 130
    assert "Прервано" in stderr.decode("utf-8")
    time.sleep(3.5)
    assert not marker.exists()  # LibreOffice and its children were ended with srgcli
    assert not list((root / "reports" / TICKET).glob("*.pdf"))


def test_pdf_timeout_must_be_positive(root: Path) -> None:
    set_report_config(root, pdf_timeout=0)
    result = Cli(root)("list")
    assert result.exit_code == 2
    assert "report.pdf_timeout" in result.stderr


def test_report_all_with_pdf_reports_each_failure(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", os.fspath(tmp_path))
    result = Cli(root)("report", "--all", "--pdf", "--json")
    assert result.exit_code == 4
    (item,) = result.json()
    assert item["outcome"] == "created" and item["pdf"] is None and item["pdf_error"]
