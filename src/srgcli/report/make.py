"""Step 4 of the job: the DOCX report on a ticket, generated only if its final text passes the gate.

Versions: a report's version is 1 for the first round. Regenerating before the report is
submitted overwrites the same version (file and row); once version N has been submitted and the
Customer returned it for rework, the next report is version N + 1. A report whose inputs (the
ticket's data and the template) are unchanged and whose file is intact is not made again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.calendar import now
from srgcli.exit import ExitCode, SrgError
from srgcli.workspace import writes
from srgcli.workspace.files import sha256_of

if TYPE_CHECKING:
    from srgcli.gate.engine import Gate
    from srgcli.gate.issue import GateResult
    from srgcli.render.docx import DocumentProperties
    from srgcli.tickets import TicketDetail
    from srgcli.workspace import Workspace

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "data" / "templates" / "report"


# Statuses from which a report may be made (a fresh `reported` one is answered as "already made").
@dataclass(frozen=True)
class TemplateRef:
    """A report template: how the user named it and the file."""

    name: str
    path: Path


@dataclass
class ReportOutcome:
    """What `report` did for one ticket."""

    ticket_id: str
    state: str  # "created", "replaced", "fresh", "refused"
    version: int
    path: Path | None = None
    sha256: str = ""
    gate: dict[str, Any] = field(default_factory=dict)
    result: GateResult | None = None
    # For a refused report: where the text of each error came from and how to correct it,
    # by the error's offset in the checked text (see text_source()).
    sources: dict[int, str] = field(default_factory=dict)
    # The PDF/A copy beside the DOCX (report --pdf), or why it was asked for and not made.
    pdf: Path | None = None
    pdf_error: str | None = None
    pdf_hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of `report --json`."""
        return {
            "id": self.ticket_id,
            "version": self.version,
            "path": str(self.path) if self.path else None,
            "sha256": self.sha256 or None,
            "gate": self.gate,
            "pdf": str(self.pdf) if self.pdf else None,
            "pdf_error": self.pdf_error,
        }


def builtin_templates() -> list[TemplateRef]:
    """The report templates shipped with srgcli."""
    return [TemplateRef(p.stem, p) for p in sorted(BUILTIN_DIR.glob("*.docx"))]


def workspace_templates(ws: Workspace | None) -> list[TemplateRef]:
    """The workspace's own report templates: `<templates dir>/report/*.docx` and `*.docx`."""
    if ws is None:
        return []
    base = ws.root / str(ws.config.section("templates").get("dir") or "templates")
    found = sorted({*base.glob("report/*.docx"), *base.glob("*.docx")})
    return [TemplateRef(p.stem, p) for p in found if not p.name.startswith("~$")]


def resolve_template(ws: Workspace, name: str | None) -> TemplateRef:
    """A template by path, by the workspace's name, or built-in; default from `[templates]`."""
    wanted = name or str(ws.config.section("templates").get("report") or "default")
    as_path = Path(wanted).expanduser()
    if not as_path.is_absolute():
        as_path = Path.cwd() / as_path
    if wanted.lower().endswith(".docx") or os.sep in wanted:
        if as_path.is_file():
            return TemplateRef(wanted, as_path)
        raise SrgError(f"Шаблон {wanted} не найден.", ExitCode.USAGE)
    for ref in [*workspace_templates(ws), *builtin_templates()]:
        if ref.name == wanted:
            return ref
    known = ", ".join(sorted({r.name for r in [*workspace_templates(ws), *builtin_templates()]}))
    raise SrgError(
        f"Шаблон «{wanted}» не найден. Доступны: {known}.",
        ExitCode.USAGE,
        hint="Список шаблонов: srgcli templates list",
    )


def gate_context(ws: Workspace, item: TicketDetail) -> list[str]:
    """The ticket's own words (names in every case, address, codes): never spelling errors."""
    from srgcli.gate.documents import ticket_context
    from srgcli.render.filters import CASES, decline_name

    ticket = item.summary.ticket
    words = ticket_context(ws, ticket)
    for name in (ticket.client_name, ticket.appraiser, ws.config.executor.name):
        if name:
            words.extend(decline_name(name, case) for case in list(CASES)[:6])
    words.extend(e.actor or "" for e in item.events)
    return [w for w in words if w]


def _next_version(item: TicketDetail) -> tuple[int, bool]:
    """The version this report gets, and whether it replaces an unsubmitted one."""
    latest = item.reports[-1].version if item.reports else 0
    submitted = {s.report_version for s in item.submissions}
    if latest == 0:
        return 1, False
    if latest in submitted:
        return latest + 1, False
    return latest, True


def make_report(
    ws: Workspace,
    ticket_id: str,
    template: str | None = None,
    gate: Gate | None = None,
    command: str = "report",
    *,
    pdf: bool | None = None,
) -> ReportOutcome:
    """Render, gate and store the report on one ticket (see the module docstring).

    `pdf`: also keep a PDF/A-2b copy beside the DOCX (None: as `[report] pdf` says); a PDF
    that cannot be made leaves the DOCX stored and says why in `pdf_error`.
    """
    from dataclasses import replace

    from srgcli.report.archive import current_pdf, pdf_wanted, with_pdf

    outcome = _make_docx(ws, ticket_id, template, gate, command)
    if pdf_wanted(ws, pdf):
        return with_pdf(ws, outcome)
    # Not asked for, but a copy made earlier from this very DOCX is still named.
    return replace(outcome, pdf=current_pdf(outcome.path)) if outcome.path else outcome


def _make_docx(
    ws: Workspace, ticket_id: str, template: str | None, gate: Gate | None, command: str
) -> ReportOutcome:
    from srgcli.gate.documents import check_docx
    from srgcli.render.context import build_context, input_hash
    from srgcli.render.docx import TemplateFault, render
    from srgcli.tickets import detail, require_complete_finding, require_reportable

    item = detail(ws, ticket_id)
    ticket = item.summary.ticket
    status = item.summary.status
    require_reportable(ticket, status, item.summary.next)
    require_complete_finding(ticket.id, item.finding)
    ws.config.require_signature()
    ref = resolve_template(ws, template)
    version, replaces = _next_version(item)
    moment = now()
    context = build_context(ws, item, moment, version)
    inputs = input_hash(context, sha256_of(ref.path))
    if replaces:
        latest = item.reports[-1]
        stored = Path(latest.path)
        stored = stored if stored.is_absolute() else ws.root / stored
        if (
            latest.input_hash == inputs
            and latest.ticket_revision == ticket.revision
            and stored.is_file()
            and sha256_of(stored) == latest.sha256
        ):
            return ReportOutcome(
                ticket.id, "fresh", latest.version, stored, latest.sha256, latest.gate
            )
    if gate is None:
        from srgcli.gate.engine import open_gate

        gate = open_gate(ws)
    from srgcli.report.store import staged_file
    from srgcli.workspace.names import safe_part

    # Reports have always kept the id's dots (no stripping): existing folders stay in use.
    name = safe_part(ticket.id, strip_dots=False)
    folder = ws.root / "reports" / name
    target = folder / f"{name}-v{version}.docx"
    stack = ExitStack()
    try:
        tmp = stack.enter_context(
            staged_file(ws, "report", target, ticket=ticket.id, version=version)
        )
    except OSError as exc:
        raise _unwritable(ws, target, exc) from None
    with stack:
        try:
            render(ref.path, context, tmp, report_properties(ws, ticket.id, version), moment)
        except TemplateFault as fault:
            raise fault.as_error(ref.name) from None
        # The complaint and demand are the client's words, quoted: not the executor's errors.
        quoted = [ticket.complaint_text or "", ticket.client_demand or ""]
        result = check_docx(gate, tmp, gate_context(ws, item), quoted)
        if not result.passed:
            return ReportOutcome(
                ticket.id,
                "refused",
                version,
                None,
                "",
                result.stored_summary(),
                result,
                _error_sources(item, result),
            )
        digest = sha256_of(tmp)
        summary = result.stored_summary()
        try:
            _store(ws, ticket.id, version, ref, target, tmp, digest, summary, inputs, command)
        except OSError as exc:
            raise _unwritable(ws, target, exc) from None
    # A PDF made from the DOCX this one replaces no longer shows the report.
    target.with_suffix(".pdf").unlink(missing_ok=True)
    state = "replaced" if replaces else "created"
    return ReportOutcome(ticket.id, state, version, target, digest, summary, result)


def report_properties(ws: Workspace, ticket_id: str, version: int) -> DocumentProperties:
    """The report's own properties: the executor as author, the ticket as subject."""
    from srgcli.render.docx import DocumentProperties

    title = f"Отчёт по заявке № {ticket_id}"
    if version > 1:
        title += f" (версия {version})"
    return DocumentProperties(
        title=title,
        subject=f"Заявка № {ticket_id}",
        author=ws.config.executor.name or None,
        keywords=ticket_id,
    )


def text_sources(item: TicketDetail) -> list[tuple[str, str]]:
    """The executor's texts that go into the report: (text, where it is and how to correct it).

    A refused report names, for each error, the text it is in, so that the executor knows
    which command corrects it (a report is never edited by hand: its sha256 is checked).
    """
    from srgcli.model import TICKET_FIELDS
    from srgcli.ru import format_moment

    tid = item.summary.ticket.id
    found: list[tuple[str, str]] = []
    finding = item.finding
    if finding is not None:
        for text, what, option in (
            (finding.description, "описание нарушения", "--description"),
            (finding.root_cause, "причина", "--root-cause"),
            (finding.corrective_action, "корректирующее действие", "--action"),
        ):
            if text:
                found.append(
                    (
                        text,
                        f"вывод по обращению ({what}). Исправьте: srgcli review {tid} "
                        f'{option} "…" — остальные поля вывода сохранятся',
                    )
                )
    if item.resolution is not None:
        found.append(
            (
                item.resolution.summary,
                "итог урегулирования. Исправьте: srgcli contact-log resolve "
                f'{tid} --outcome {item.resolution.outcome} --summary "…"',
            )
        )
    for contact in item.contacts:
        found.append((contact.summary, f"контакт {format_moment(contact.at)} (краткое содержание)"))
    ticket = item.summary.ticket
    for name, label in TICKET_FIELDS.items():
        value = ticket.value(name)
        if isinstance(value, str) and value and name not in ("id", "complaint_text"):
            found.append(
                (value, f'поле заявки «{label}». Исправьте: srgcli fill {tid} --set "{name}=…"')
            )
    return found


def _error_sources(item: TicketDetail, result: GateResult) -> dict[int, str]:
    """Where each error of a refused report is: its line matched against text_sources()."""
    from srgcli.gate.issue import Severity

    # Case-folded: a template may change the case of a text's first letter (the corrective
    # action after «Приняты меры:»).
    sources = [(" ".join(t.split()).casefold(), where) for t, where in text_sources(item)]
    found: dict[int, str] = {}
    for issue in result.issues:
        if issue.severity is not Severity.ERROR:
            continue
        start = result.text.rfind("\n", 0, issue.offset) + 1
        end = result.text.find("\n", issue.offset)
        line = " ".join(result.text[start : len(result.text) if end < 0 else end].split())
        line = line.casefold()
        word = result.text[issue.offset : issue.end].casefold()
        for text, where in sources:
            if word in text and (text in line or line in text):
                found[issue.offset] = where
                break
        else:
            found[issue.offset] = "текст шаблона отчёта (srgcli templates check)"
    return found


def _unwritable(ws: Workspace, target: Path, exc: OSError) -> SrgError:
    """A report that cannot be written where it belongs (exit 2)."""
    from srgcli.exit import unwritable_error

    return unwritable_error(
        ws.root, target, exc, what="отчёт", outcome="Отчёт не сохранён.", folder="reports/"
    )


def _store(
    ws: Workspace,
    ticket_id: str,
    version: int,
    ref: TemplateRef,
    target: Path,
    tmp: Path,
    digest: str,
    summary: dict[str, Any],
    inputs: str,
    command: str,
) -> None:
    """The row and the file together (report.store.commit_file)."""
    from srgcli.report.store import commit_file

    relative = target.relative_to(ws.root).as_posix()

    def record() -> None:
        writes.store_report(
            ws.conn,
            ticket_id,
            version,
            template=ref.name,
            path=relative,
            sha256=digest,
            gate=summary,
            input_hash=inputs,
            command=command,
        )

    commit_file(ws, tmp, target, record)


def reportable_ids(ws: Workspace) -> list[str]:
    """Tickets whose next step is `report`."""
    from srgcli.tickets import list_summaries

    return [s.ticket.id for s in list_summaries(ws) if s.next.action == ("report",)]


@dataclass(frozen=True)
class ReportFailure:
    """A ticket of `report --all` whose report could not be made (a precondition, a template)."""

    ticket_id: str
    error: str
    code: int
    # The finding's fields a report of a confirmed nonconformity still lacks (canonical names).
    missing: tuple[str, ...] = ()

    @classmethod
    def of(cls, ticket_id: str, exc: SrgError) -> ReportFailure:
        """The failure an error of `make_report` stands for."""
        return cls(ticket_id, exc.message, int(exc.code), tuple(getattr(exc, "missing", ())))

    def to_json(self) -> dict[str, Any]:
        """The element of `report --all --json` for it (and of `report ID --json` when refused
        before rendering); "missing" only when the finding is incomplete."""
        data: dict[str, Any] = {
            "id": self.ticket_id,
            "error": self.error,
            "code": self.code,
            "outcome": "error",
        }
        if self.missing:
            data["missing"] = list(self.missing)
        return data


@dataclass(frozen=True)
class BatchOutcome:
    """What `report --all` did: a report per ticket, or the reason there is none."""

    outcomes: list[ReportOutcome]
    failures: list[ReportFailure]

    @property
    def ok(self) -> bool:
        """True when every report was made and passed the gate."""
        return not self.failures and all(o.state != "refused" for o in self.outcomes)


def make_reports(
    ws: Workspace,
    ticket_ids: Sequence[str],
    template: str | None = None,
    *,
    advance: Callable[[], None] | None = None,
    pdf: bool | None = None,
) -> BatchOutcome:
    """Reports for many tickets with one gate; a ticket that fails does not stop the others.
    `advance` is called after each ticket (for a progress bar)."""
    from srgcli.gate.engine import open_gate

    gate = open_gate(ws)
    outcomes: list[ReportOutcome] = []
    failures: list[ReportFailure] = []
    for ticket_id in ticket_ids:
        try:
            outcomes.append(make_report(ws, ticket_id, template, gate, pdf=pdf))
        except SrgError as exc:
            failures.append(ReportFailure.of(ticket_id, exc))
        if advance is not None:
            advance()
    return BatchOutcome(outcomes, failures)
