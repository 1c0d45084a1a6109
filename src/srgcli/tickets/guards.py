"""Workflow preconditions: every check that refuses a command (exit 3; an unknown ticket, 2)."""

from __future__ import annotations

from srgcli.exit import ExitCode, PreconditionError, SrgError
from srgcli.model import (
    FIELD_LABELS,
    ContactOutcome,
    Decision,
    Finding,
    NextStep,
    Party,
    Status,
    Submission,
    Ticket,
    TicketFacts,
    Variant,
    Verdict,
    next_step,
)
from srgcli.tickets.deadlines import DONE_STATUSES
from srgcli.tickets.facts import collect_facts, problems, ticket_status
from srgcli.workspace import Workspace, reads

# The statuses a report is made at: settled, or again after a change or a return for rework.
REPORTABLE = frozenset({Status.SETTLED, Status.REPORTED, Status.RETURNED})


def require_ticket(ws: Workspace, ticket_id: str) -> Ticket:
    """The ticket, or an SrgError (exit 2) that suggests close matches."""
    ticket = reads.get_ticket(ws, ticket_id)
    if ticket is not None:
        return ticket
    import difflib

    ids = reads.ticket_ids(ws)
    close = difflib.get_close_matches(ticket_id, ids, n=3, cutoff=0.6)
    close += [i for i in ids if ticket_id and ticket_id in i and i not in close][: 3 - len(close)]
    hint = ("Возможно, вы имели в виду: " + ", ".join(close)) if close else None
    if not ids:
        hint = "В рабочей папке пока нет заявок: загрузите их командой srgcli fetch."
    raise SrgError(f"Заявка {ticket_id} не найдена.", ExitCode.USAGE, hint=hint)


def require_not_handed_over(ws: Workspace, ticket: Ticket, what: str, noun: str) -> None:
    """What a handed-over report states is fixed until a return for rework (exit 3).

    `what` names it in the message («вывод, на котором он основан»), `noun` in the hint.
    """
    status = ticket_status(ws, ticket)
    if status in DONE_STATUSES:
        raise PreconditionError(
            f"Отчёт по заявке {ticket.id} уже сдан (статус «{status.label}»): {what}, "
            "менять нельзя.",
            hint=f"Если Заказчик вернёт отчёт на доработку, {noun} можно будет изменить.",
        )


def require_filled(ws: Workspace, ticket: Ticket, what: str) -> None:
    """Refuse (exit 3) while the ticket has missing or invalid required fields; `what` ends
    the message: «вывод записывается после шага 1»."""
    found = problems(ws, ticket)
    if found:
        names = ", ".join(FIELD_LABELS.get(name, name) for name in found)
        raise PreconditionError(
            f"Заявка {ticket.id} не заполнена ({names}): {what}.",
            hint=f"Сначала дозаполните поля: srgcli fill {ticket.id}",
        )


def require_resolvable(ws: Workspace, ticket: Ticket) -> None:
    """`resolve` needs a filled ticket, a recorded finding and a contact with the client;
    once the report is handed over, its settlement is fixed until a return for rework."""
    require_filled(ws, ticket, "итог записывается — после шага 1")
    require_not_handed_over(ws, ticket, "итог урегулирования, вошедший в него", "итог")
    if reads.finding(ws, ticket.id) is None:
        raise PreconditionError(
            f"По заявке {ticket.id} нет вывода: итог урегулирования записывается после шага 2.",
            hint=f"Сначала запишите вывод: srgcli review {ticket.id} --verdict …",
        )
    # A written answer sent counts; a call nobody answered does not settle anything.
    if not any(
        c.party == Party.CLIENT.value and c.outcome != ContactOutcome.NO_ANSWER.value
        for c in reads.contacts(ws, ticket.id)
    ):
        raise PreconditionError(
            f"По заявке {ticket.id} нет состоявшегося контакта с клиентом (звонки без ответа "
            "не в счёт).",
            hint=f"Сначала запишите контакт: srgcli contact-log add {ticket.id} --channel phone "
            "--direction out --outcome reached --summary …",
        )


def require_reportable(ticket: Ticket, status: Status, next_up: NextStep) -> None:
    """A report is made once the complaint is settled, or again after a change or a return
    for rework (exit 3 naming the next step)."""
    if status not in REPORTABLE:
        raise SrgError(
            f"Заявка {ticket.id} в статусе «{status.label}»: отчёт формируется после "
            "урегулирования (статус «урегулирована») или при возврате на доработку.",
            ExitCode.PRECONDITION,
            hint=f"Следующий шаг: {next_up.command or next_up.hint}",
        )


# What a report of a confirmed nonconformity must state, in the order the report gives it:
# the finding's field, how a message names it, and the `review` option that records it.
FINDING_PARTS = (
    ("description", "описание нарушения", '--description "…"'),
    ("root_cause", "причина", '--root-cause "…"'),
    ("responsible", "ответственная сторона", "--responsible КТО"),
    ("corrective_action", "корректирующее действие", '--action "…"'),
)


def finding_gaps(finding: Finding | None) -> list[str]:
    """The fields a confirmed or partly confirmed finding lacks (canonical names, in report
    order); none for a finding that is not confirmed, or for no finding."""
    if finding is None or finding.verdict == Verdict.NOT_CONFIRMED.value:
        return []
    return [name for name, _, _ in FINDING_PARTS if not (getattr(finding, name) or "").strip()]


def finding_gaps_command(ticket_id: str, gaps: list[str]) -> str:
    """The `review` command that fills these gaps of a recorded finding."""
    options = " ".join(option for name, _, option in FINDING_PARTS if name in gaps)
    return f"srgcli review {ticket_id} {options}"


class IncompleteFinding(PreconditionError):
    """A report of a confirmed nonconformity that would leave out what it is, why it happened,
    who is responsible or what is done about it (exit 3); `missing` names the fields."""

    def __init__(self, ticket_id: str, verdict: str, missing: list[str]):
        labels = ", ".join(label for name, label, _ in FINDING_PARTS if name in missing)
        known = Verdict.try_parse(verdict)
        verdict_label = known.label if known else verdict
        hint = f"Дополните вывод: {finding_gaps_command(ticket_id, missing)}"
        if "responsible" in missing:
            from srgcli.model import Responsible

            hint += f" (КТО: {Responsible.choices_text()})"
        super().__init__(
            f"Вывод по заявке {ticket_id} — «{verdict_label}», но в нём не указано: {labels}. "
            "Отчёт о подтверждённом нарушении должен их содержать; отчёт не сформирован.",
            hint=hint + ". Остальные поля вывода сохранятся.",
        )
        self.missing = missing


def require_complete_finding(ticket_id: str, finding: Finding | None) -> None:
    """A confirmed or partly confirmed finding needs its description, root cause, responsible
    party and corrective action before a report states it (exit 3 naming them and the
    command); a finding that is not confirmed needs none of them."""
    missing = finding_gaps(finding)
    if finding is not None and missing:
        raise IncompleteFinding(ticket_id, finding.verdict, missing)


def require_reported(
    ticket_id: str, status: Status, facts: TicketFacts, latest: Submission | None
) -> None:
    """`submit` needs a fresh report not yet handed over (exit 3 naming the real next step)."""
    if status is Status.REPORTED:
        return
    report_version = facts.report_version
    if status is Status.SUBMITTED and latest is not None:
        raise PreconditionError(
            f"Отчёт v{latest.report_version} по заявке {ticket_id} уже сдан и ждёт решения "
            "Заказчика.",
            hint=f"Запишите решение: srgcli submit {ticket_id} --decision accepted "
            '(или --decision returned --remarks "замечания").',
        )
    if status is Status.ACCEPTED:
        raise PreconditionError(f"Результат по заявке {ticket_id} уже принят; сдавать нечего.")
    if status is Status.RETURNED:
        raise PreconditionError(
            f"Отчёт по заявке {ticket_id} возвращён на доработку; новой версии ещё нет.",
            hint=f"Доработайте и сформируйте новую версию: srgcli report {ticket_id}",
        )
    if report_version is not None:
        raise PreconditionError(
            f"Отчёт v{report_version} по заявке {ticket_id} устарел: заявка изменилась после "
            "его формирования.",
            hint=f"Сформируйте его заново: srgcli report {ticket_id}",
        )
    step = next_step(facts, status)
    raise PreconditionError(
        f"По заявке {ticket_id} нет отчёта (статус: {status.label}).",
        # The report needs the settlement first: name the step that is really next.
        hint=f"Следующий шаг — {step.hint}: {step.command}"
        if step.command
        else f"Сначала сформируйте отчёт: srgcli report {ticket_id}",
    )


def require_decidable(ws: Workspace, ticket: Ticket) -> Submission:
    """The submission a Customer's decision is recorded on: the latest, of variant A, not
    decided yet (exit 3 otherwise)."""
    history = reads.submissions(ws, ticket.id)
    latest = history[-1] if history else None
    if latest is None:
        facts = collect_facts(ws, [ticket])[ticket.id]
        step = next_step(facts)
        raise PreconditionError(
            f"Заявка {ticket.id} ещё не сдавалась: записывать решение не к чему.",
            hint=f"Следующий шаг — {step.hint}: {step.command}"
            if step.command
            else f"Сначала сдайте отчёт: srgcli submit {ticket.id}",
        )
    if latest.variant == Variant.B.value:
        raise PreconditionError(
            f"Отчёт по заявке {ticket.id} передан по варианту Б: решение Заказчика не требуется "
            "(после отметки в ИС он считается принятым).",
        )
    if latest.decision:
        label = Decision.parse(latest.decision).label
        raise PreconditionError(
            f"Решение по отчёту v{latest.report_version} уже записано: {label}.",
            hint=f"После доработки сформируйте и сдайте новую версию: srgcli report {ticket.id}"
            if latest.decision == Decision.RETURNED.value
            else None,
        )
    return latest
