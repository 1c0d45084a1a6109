"""Acceptance of the result: hand the report over (variant A or B) and record the outcome.

Variant A: the report goes to the Customer, who accepts it or returns it for rework.
Variant B: the executor delivers it to the client and marks the delivery in the ИС; with the
mark recorded it counts as accepted. Every submission leaves a folder in `outbox/` with the
DOCX and its manifest; channel `api` also sends both to the ИС.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srgcli.exit import ExitCode, PreconditionError, SrgError
from srgcli.model import (
    Decision,
    ReportVersion,
    Status,
    Submission,
    SubmissionChannel,
    Variant,
    derive_status,
)
from srgcli.submit.manifest import ManifestInput, build_manifest
from srgcli.tickets import collect_facts, require_ticket, ticket_status
from srgcli.tickets.guards import require_decidable, require_reported
from srgcli.workspace import Workspace, reads, writes
from srgcli.workspace.db import transaction
from srgcli.workspace.files import (
    copy_private,
    fsync_dir,
    intent,
    private_dir,
    publish,
    refuse_symlinks,
    sha256_of,
    write_private,
)
from srgcli.workspace.names import safe_part

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class SubmitResult:
    """What `submit` did."""

    ticket_id: str
    variant: str
    channel: str
    report_version: int
    folder: Path | None
    mark_ref: str | None
    status: Status
    # "submitted" for a new submission, "marked" when only the ИС mark was recorded.
    action: str


@dataclass(frozen=True)
class DecisionResult:
    """What `submit --decision` recorded."""

    ticket_id: str
    report_version: int
    decision: str
    remarks: str | None
    status: Status


def submit_report(
    ws: Workspace,
    ticket_id: str,
    *,
    variant: Variant = Variant.A,
    channel: SubmissionChannel = SubmissionChannel.OUTBOX,
    mark_ref: str | None = None,
) -> SubmitResult:
    """Hand over the ticket's fresh report; refuse with exit 3 when there is none.

    A variant B submission waiting for its ИС mark gets the mark instead (`mark_ref`, or from
    the ИС when the channel is `api`). Nothing is recorded when sending fails.
    """
    ticket = require_ticket(ws, ticket_id)
    facts = collect_facts(ws, [ticket])[ticket.id]
    status = derive_status(facts)
    mark_ref = mark_ref.strip() if mark_ref else None
    history = reads.submissions(ws, ticket.id)
    latest = history[-1] if history else None

    if (
        status is Status.SUBMITTED
        and latest is not None
        and latest.variant == Variant.B.value
        and not latest.mark_ref
    ):
        return _mark_delivery(ws, ticket.id, latest, variant, channel, mark_ref)
    require_reported(ticket.id, status, facts, latest)

    report = reads.reports(ws, ticket.id)[-1]
    report_path = _verified_report(ws, report)
    if variant is Variant.A and mark_ref:
        raise SrgError(
            "Отметка о передаче (--mark-ref) относится только к варианту Б.",
            ExitCode.USAGE,
            hint=f"srgcli submit {ticket.id} --variant B --mark-ref НОМЕР",
        )

    from srgcli.calendar import now

    moment = now().isoformat(timespec="seconds")
    folder_name = f"{ticket.id}-v{report.version}-{variant.value}-{moment[:19].replace(':', '')}"
    final = ws.outbox_dir / safe_part(folder_name, strip_dots=False)
    staging = ws.outbox_dir / f".{final.name}.tmp"
    try:
        private_dir(ws.root, ws.outbox_dir)
        with intent(
            ws.root,
            "submit",
            ticket=ticket.id,
            version=report.version,
            variant=variant.value,
            staging=staging.name,
            final=final.name,
        ):
            try:
                shutil.rmtree(staging, ignore_errors=True)
                os.mkdir(staging, 0o700)
                docx_name = report_path.name
                copy_private(report_path, staging / docx_name)
                pdf = _archive_copy(report_path, staging)
                manifest = build_manifest(
                    ManifestInput(
                        ticket=ticket,
                        report=report,
                        variant=variant.value,
                        channel=channel.value,
                        submitted_at=moment,
                        executor=ws.config.executor,
                        mark_ref=mark_ref,
                    ),
                    docx_name,
                    pdf,
                )
                if channel is SubmissionChannel.API:
                    mark_ref = _send(ws, ticket.id, staging, docx_name, manifest, variant, mark_ref)
                    manifest["mark_ref"] = mark_ref
                _write_json(staging / MANIFEST_NAME, manifest)
                fsync_dir(staging)
                _commit(
                    ws,
                    staging,
                    final,
                    lambda: writes.insert_submission(
                        ws.conn,
                        ticket.id,
                        variant=variant.value,
                        channel=channel.value,
                        report_version=report.version,
                        path=final.relative_to(ws.root).as_posix(),
                        mark_ref=mark_ref,
                        submitted_at=moment,
                    ),
                    ticket.id,
                    report.version,
                )
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise _unwritable(ws, final, exc) from None
    return SubmitResult(
        ticket.id,
        variant.value,
        channel.value,
        report.version,
        final,
        mark_ref,
        _status(ws, ticket.id),
        "submitted",
    )


def _commit(
    ws: Workspace,
    staging: Path,
    final: Path,
    record: Callable[[], int],
    ticket_id: str,
    version: int,
) -> None:
    """Rename the finished staging folder to its final name inside the transaction that
    records the submission: both happen, or neither (the folder goes back to staging).
    A version already handed over (by another srgcli running at the same time) is refused."""
    try:
        with transaction(ws.conn):
            if writes.submission_of_version(ws.conn, ticket_id, version) is not None:
                raise PreconditionError(
                    f"Отчёт v{version} по заявке {ticket_id} уже сдан другой командой srgcli; "
                    "второй раз он не сдаётся.",
                    hint=f"Посмотрите статус: srgcli show {ticket_id}",
                )
            record()
            publish(staging, final)
    except BaseException:
        if not staging.exists() and final.exists():  # renamed before the interrupt
            os.replace(final, staging)
            fsync_dir(final.parent)
        raise


def _unwritable(ws: Workspace, folder: Path, exc: OSError) -> SrgError:
    """The outbox folder cannot be written (exit 2)."""
    from srgcli.exit import unwritable_error

    return unwritable_error(
        ws.root, folder, exc, what="сдачу", outcome="Ничего не сдано.", folder="outbox/"
    )


def record_decision(
    ws: Workspace, ticket_id: str, decision: Decision, remarks: str | None
) -> DecisionResult:
    """Record the Customer's decision on the latest variant A submission."""
    ticket = require_ticket(ws, ticket_id)
    latest = require_decidable(ws, ticket)
    remarks = " ".join(remarks.split()) if remarks else None
    if decision is Decision.RETURNED and not remarks:
        raise SrgError(
            'Для возврата на доработку укажите замечания Заказчика: --remarks "…".',
            ExitCode.USAGE,
        )
    writes.set_submission_decision(ws, latest.id, ticket.id, decision.value, remarks)
    return DecisionResult(
        ticket.id, latest.report_version, decision.value, remarks, _status(ws, ticket.id)
    )


def _verified_report(ws: Workspace, report: ReportVersion) -> Path:
    """The report file, checked to be the very file the gate passed (same sha256)."""
    path = Path(report.path)
    if not path.is_absolute():
        path = ws.root / path
    if not path.is_file():
        raise PreconditionError(
            f"Файл отчёта v{report.version} не найден: {path}.",
            hint=f"Сформируйте отчёт заново: srgcli report {report.ticket_id}",
        )
    if sha256_of(path) != report.sha256:
        raise PreconditionError(
            f"Файл отчёта v{report.version} изменён после проверки орфографии и стиля "
            f"({path}); сдавать его нельзя.",
            hint="Правки вносите в данные заявки или в шаблон и сформируйте отчёт заново: "
            f"srgcli report {report.ticket_id}",
        )
    return path


def _mark_delivery(
    ws: Workspace,
    ticket_id: str,
    latest: Submission,
    variant: Variant,
    channel: SubmissionChannel,
    mark_ref: str | None,
) -> SubmitResult:
    """Record the ИС mark of a variant B delivery made earlier."""
    if variant is not Variant.B:
        raise PreconditionError(
            f"Отчёт v{latest.report_version} передан клиенту по варианту Б и ждёт отметки в ИС.",
            hint=f"Запишите отметку: srgcli submit {ticket_id} --variant B --mark-ref НОМЕР",
        )
    if channel is SubmissionChannel.API:
        manifest_path = ws.root / (latest.path or "") / MANIFEST_NAME
        manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else {}
        from srgcli.isapi import request_mark

        mark_ref = request_mark(ws, ticket_id, manifest, mark_ref)
    if not mark_ref:
        raise SrgError(
            "Укажите номер отметки о передаче клиенту в ИС: --mark-ref НОМЕР "
            "(или --channel api, чтобы поставить отметку через API ИС).",
            ExitCode.USAGE,
        )
    writes.set_submission_mark(ws, latest.id, ticket_id, mark_ref)
    folder = ws.root / latest.path if latest.path else None
    if folder is not None:
        refuse_symlinks(ws.root, folder / MANIFEST_NAME)
    if folder is not None and (folder / MANIFEST_NAME).is_file():
        data = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
        data["mark_ref"] = mark_ref
        _write_json(folder / MANIFEST_NAME, data)
    return SubmitResult(
        ticket_id,
        latest.variant,
        latest.channel,
        latest.report_version,
        folder,
        mark_ref,
        _status(ws, ticket_id),
        "marked",
    )


def _archive_copy(report_path: Path, staging: Path) -> Path | None:
    """The report's PDF/A copy (`report --pdf`) put beside the DOCX, if one was made from it."""
    from srgcli.report.archive import current_pdf

    pdf = current_pdf(report_path)
    if pdf is None:
        return None
    copy_private(pdf, staging / pdf.name)
    return staging / pdf.name


def _send(
    ws: Workspace,
    ticket_id: str,
    folder: Path,
    docx_name: str,
    manifest: dict[str, Any],
    variant: Variant,
    mark_ref: str | None,
) -> str | None:
    """Send the report (its PDF copy too, if any) and manifest to the ИС (variant A), or mark
    a delivery (variant B)."""
    from srgcli import isapi

    if variant is Variant.B:
        return isapi.request_mark(ws, ticket_id, manifest, mark_ref)
    pdf_name = (manifest.get("pdf") or {}).get("file")
    pdf = folder / pdf_name if pdf_name else None
    isapi.send_report(ws, ticket_id, folder / docx_name, manifest, pdf=pdf)
    return mark_ref


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """`data` as the file `path`, replaced whole (a temporary file, flushed, renamed)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_private(tmp, text.encode("utf-8"))
    publish(tmp, path)


def _status(ws: Workspace, ticket_id: str) -> Status:
    return ticket_status(ws, require_ticket(ws, ticket_id))
