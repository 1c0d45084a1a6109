"""The report's PDF/A-2b copy for the archive: `reports/<ticket>/<ticket>-vN.pdf`, beside the DOCX.

The PDF is made from the DOCX the gate passed and is only ever a copy of it: a new DOCX of the
same version removes the old PDF, and a PDF older than its DOCX is not taken (`current_pdf`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from srgcli.report.make import ReportOutcome
    from srgcli.workspace import Workspace


def pdf_wanted(ws: Workspace, asked: bool | None) -> bool:
    """`--pdf` given, or `[report] pdf = true` in the config."""
    return bool(asked) or bool(ws.config.section("report").get("pdf"))


def pdf_path(docx: Path) -> Path:
    """Where the PDF copy of a report DOCX lives."""
    return docx.with_suffix(".pdf")


def current_pdf(docx: Path) -> Path | None:
    """The PDF copy of `docx` if there is one made from this very DOCX (not older than it)."""
    pdf = pdf_path(docx)
    try:
        if pdf.is_file() and pdf.stat().st_mtime >= docx.stat().st_mtime:
            return pdf
    except OSError:
        return None
    return None


def with_pdf(ws: Workspace, outcome: ReportOutcome) -> ReportOutcome:
    """The outcome with its PDF: made now unless a current one exists; on failure the outcome
    says why (`pdf_error`, `pdf_hint`) and the DOCX stays as it is."""
    from srgcli.render.pdf import PdfUnavailable, find_office, staged_path, to_pdfa
    from srgcli.workspace.files import intent, refuse_symlinks

    if outcome.path is None or outcome.state == "refused":
        return outcome
    existing = current_pdf(outcome.path)
    if existing is not None:
        return replace(outcome, pdf=existing)
    settings = ws.config.section("report")
    target = pdf_path(outcome.path)
    refuse_symlinks(ws.root, target.parent)
    # A kill while the PDF is copied in leaves its temporary for the next open to remove.
    staged = staged_path(target).relative_to(ws.root).as_posix()
    try:
        with intent(ws.root, "pdf", remove=[staged]):
            # PdfUnavailable is handled inside: a frozen exception cannot pass a `with`.
            try:
                made = to_pdfa(
                    outcome.path,
                    target,
                    office=find_office(str(settings.get("soffice") or "")),
                    timeout=float(settings.get("pdf_timeout") or 120),
                )
            except PdfUnavailable as exc:
                return replace(outcome, pdf_error=exc.reason, pdf_hint=exc.hint)
    except OSError as exc:
        from srgcli.exit import os_error_text

        return replace(outcome, pdf_error=f"не удалось записать PDF: {os_error_text(exc)}")
    return replace(outcome, pdf=made)
