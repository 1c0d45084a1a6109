"""`srgcli demo`: a workspace with bundled sample tickets, taken through the job."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from srgcli import review
from srgcli.calendar import MOSCOW, now, use_clock
from srgcli.fill import fields as filling
from srgcli.model import Decision, Finding
from srgcli.model.samples import sample_tickets
from srgcli.tickets import require_ticket
from srgcli.workspace import Workspace, create_workspace, writes
from srgcli.workspace.config import default_config_text

DEMO_EXECUTOR = {
    "name": "Петрова Анна Сергеевна",
    "inn": "500100732259",
    "phone": "+7 916 100-20-30",
    "email": "a.petrova@example.ru",
}


def demo_config() -> str:
    """The default config with the demo executor's profile filled in."""
    import tomlkit

    doc = tomlkit.parse(default_config_text())
    executor: Any = doc["executor"]
    for key, value in DEMO_EXECUTOR.items():
        executor[key] = value
    _demo_billing_config(doc)
    return tomlkit.dumps(doc)


def free_demo_dir(base: Path) -> Path:
    """`base`, or `base-2`, `base-3`… — the first that does not exist yet."""
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def load_samples(ws: Workspace) -> int:
    """Import the sample tickets and their order histories through the fetch pipeline, each
    a few minutes after it arrived, and a history with events after that once more when its
    last event is in (so the audit trail and `fetched_at` fit the story)."""
    count = 0
    for ticket in sample_tickets():
        arrived = datetime.fromisoformat(ticket["received_at"])
        history = ticket.get("history", [])
        last = max((datetime.fromisoformat(e["at"]) for e in history), default=arrived)
        if last > arrived:
            early = [e for e in history if datetime.fromisoformat(e["at"]) <= arrived]
            _import(ws, {**ticket, "history": early}, arrived)
        count += _import(ws, ticket, max(arrived, last))
    return count


def _import(ws: Workspace, ticket: dict[str, Any], moment: datetime) -> int:
    import io

    from srgcli.fetch import Reader, import_readers

    data = json.dumps({"tickets": [ticket]}, ensure_ascii=False).encode("utf-8")
    reader = Reader("data/demo/tickets.json", "json", io.BytesIO(data), len(data))
    with use_clock(_fixed(moment + timedelta(minutes=5))):
        summary = import_readers(ws, [reader], source_label="demo", command="demo")
    return summary.new + summary.updated + summary.unchanged


def run_demo(root: Path) -> Workspace:
    """Create the demo workspace in `root` and take its tickets through the steps.

    If any step fails, the half-made demo folder is removed: a demo never leaves debris.
    """
    import shutil

    existed = root.exists()
    ws = create_workspace(root, demo_config())
    try:
        _run_steps(ws)
        run_paperwork(ws)
    except BaseException:
        ws.close()
        shutil.rmtree(ws.root if not existed else ws.root / "reports", ignore_errors=True)
        if existed:
            for name in ("srgcli.toml", "srgcli.db", "srgcli.db-wal", "srgcli.db-shm"):
                (ws.root / name).unlink(missing_ok=True)
            shutil.rmtree(ws.root / "outbox", ignore_errors=True)
            shutil.rmtree(ws.root / "acts", ignore_errors=True)
        raise
    return ws


def _run_steps(ws: Workspace) -> None:
    """The demo's steps on a fresh workspace, each at its moment of the story (after the
    tickets arrived, before now), so that every date in a report and a view agrees."""
    load_samples(ws)
    main = "2026-000118"
    received = _received(ws, main)

    # Step 1: the ticket with a broken phone and no address, completed as `fill --set` would.
    with use_clock(_at(_received(ws, "2026-000127"), 0, 17, 5)):
        filling.fill_ticket(
            ws,
            "2026-000127",
            {
                "client_phone": "+7 999 123-45-67",
                "object_address": "г. Москва, ул. Автозаводская, д. 23, стр. 1",
            },
            command="demo",
        )
    # A confirmed finding on the wrong area in a report: reviewed, the client not yet called.
    with use_clock(_at(_received(ws, "2026-000121"), 1, 10, 0)):
        writes.save_finding(
            ws,
            Finding(
                ticket_id="2026-000121",
                verdict="confirmed",
                category="report_quality",
                description="В отчёте указана площадь 96 кв. м вместо 126 кв. м по выписке ЕГРН.",
                root_cause="Ошибка оценщика при переносе данных из выписки.",
                responsible="appraiser",
                corrective_action="Отчёт исправлен; оценщику указано на проверку исходных данных.",
            ),
            command="demo",
        )
    # A complaint that is not confirmed: the refund was made the day after the cancellation.
    with use_clock(_at(_received(ws, "2026-000130"), 0, 12, 0)):
        review.run_auto(ws, "2026-000130", command="demo")
        review.record_verdict(
            ws,
            review.draft_finding(
                ws,
                "2026-000130",
                "not_confirmed",
                category="payment",
                description="Возврат оплаты оформлен на следующий рабочий день после отмены "
                "заказа; банк зачисляет такие возвраты на карту в течение нескольких дней.",
                root_cause="Задержки со стороны компании нет: срок зачисления зависит от банка "
                "клиента.",
                responsible="bank",
            ),
            command="demo",
        )
    # The main story, 2026-000118: the appraiser uploads the late report the day after the
    # complaint arrived (16:45); the executor reviews the history, calls the client the same
    # day, answers in writing the next morning, settles, reports, and reworks on return.
    with use_clock(_at(received, 1, 17, 0)):
        proposals = review.run_auto(ws, main, command="demo")
        review.record_verdict(
            ws,
            review.draft_finding(
                ws,
                main,
                "confirmed",
                category="deadlines",
                description="Оценщик перенёс осмотр на неделю, а отчёт загрузил позже срока, "
                "обещанного клиенту; на вопрос клиента о сроках офис не ответил.",
                root_cause="Оценщик перенёс осмотр и затянул подготовку отчёта; офис не "
                "ответил клиенту вовремя.",
                responsible="appraiser",
                action="Отчёт об оценке направлен в банк; оценщику и офису указано на сроки "
                "по регламенту.",
                proposals=proposals,
            ),
            command="demo",
        )
    _first_call(ws, main, _at(received, 1, 17, 20))
    _answer_and_settle(ws, main, _at(received, 2, 10, 0))
    from srgcli.report.make import make_report
    from srgcli.submit import record_decision, submit_report

    # Step 4 and acceptance, variant A: the report, gated, to the Customer through the outbox.
    with use_clock(_at(received, 2, 14, 0)):
        _report(ws, main, make_report)
        submit_report(ws, main)
    # The Customer returns it with remarks; the executor reworks the finding and resubmits.
    with use_clock(_at(received, 3, 10, 0)):
        record_decision(ws, main, Decision.RETURNED, RETURN_REMARKS)
    with use_clock(_at(received, 3, 11, 30)):
        finding = review.draft_finding(
            ws,
            main,
            "confirmed",
            category="deadlines",
            description=_finding_text(ws, main, "description"),
            root_cause=_finding_text(ws, main, "root_cause"),
            responsible="appraiser",
            action=REWORKED_ACTION,
            proposals=proposals,
        )
        review.record_verdict(ws, finding, command="demo")
        _report(ws, main, make_report)
        submit_report(ws, main)


# The Customer's remarks on the first report, and the corrective action of the reworked one.
RETURN_REMARKS = "Укажите, какие меры приняты, чтобы задержки по заказам оценщика не повторялись."
REWORKED_ACTION = (
    "Отчёт об оценке направлен в банк. Оценщику объявлено замечание, его заказы на месяц взяты "
    "на контроль сроков; офис отвечает на вопросы клиентов в течение рабочего дня."
)


def _report(ws: Workspace, ticket_id: str, make: Any) -> None:
    outcome = make(ws, ticket_id, command="demo")
    if outcome.path is None:
        raise RuntimeError("the demo report did not pass the gate")


def _finding_text(ws: Workspace, ticket_id: str, name: str) -> str | None:
    from srgcli.workspace import reads

    saved = reads.finding(ws, ticket_id)
    return getattr(saved, name) if saved else None


def _received(ws: Workspace, ticket_id: str) -> datetime:
    received = require_ticket(ws, ticket_id).received_at
    assert received is not None
    return datetime.fromisoformat(received)


def _fixed(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _at(start: datetime, days: int, hour: int, minute: int) -> Callable[[], datetime]:
    """A clock standing `days` working days after `start`, at hour:minute (Moscow)."""
    from srgcli.calendar import BusinessCalendar

    day = BusinessCalendar().add_business_days(start.date(), days)
    return _fixed(datetime.combine(day, time(hour, minute), MOSCOW))


def _first_call(ws: Workspace, ticket_id: str, clock: Callable[[], datetime]) -> None:
    from srgcli.contact import log as contacts
    from srgcli.gate.engine import open_gate
    from srgcli.model import Channel, ContactOutcome, Direction, Party

    with use_clock(clock):
        ticket = require_ticket(ws, ticket_id)
        call = contacts.ContactInput(
            channel=Channel.PHONE,
            direction=Direction.OUT,
            party=Party.CLIENT,
            outcome=ContactOutcome.REACHED,
            summary="Клиенту сообщено о результатах проверки; отчёт передан, извинения принесены.",
            at=clock().isoformat(),
        )
        contacts.log_contact(
            ws,
            ticket,
            call,
            None,
            summary_result=contacts.check_text(open_gate(ws), ws, ticket, call.summary),
            command="demo",
        )


def _answer_and_settle(ws: Workspace, ticket_id: str, clock: Callable[[], datetime]) -> None:
    """The answer on the merits from its template (through the gate), and the settlement."""
    from srgcli.contact import log as contacts
    from srgcli.gate.engine import open_gate
    from srgcli.model import Channel, ContactOutcome, Direction, Party, ResolutionOutcome

    with use_clock(clock):
        ticket = require_ticket(ws, ticket_id)
        gate = open_gate(ws)
        letter = contacts.render_letter(ws, ticket, "answer")
        answer = contacts.ContactInput(
            channel=Channel.EMAIL,
            direction=Direction.OUT,
            party=Party.CLIENT,
            outcome=ContactOutcome.RESOLVED,
            summary="Направлен письменный ответ по существу обращения.",
            at=clock().isoformat(),
            text=letter,
            template="answer",
        )
        contacts.log_contact(
            ws,
            ticket,
            answer,
            contacts.check_text(gate, ws, ticket, letter),
            summary_result=contacts.check_text(gate, ws, ticket, answer.summary),
            command="demo",
        )
        summary = "Отчёт об оценке направлен в банк; оценщику и офису указано на соблюдение сроков."
        contacts.resolve(
            ws,
            ticket,
            ResolutionOutcome.SATISFIED,
            summary,
            contacts.check_text(gate, ws, ticket, summary),
            command="demo",
        )


# --- the executor's own paperwork, after the story (self-contained: srgcli act, payment,
# receipt on whatever the story left accepted or handed over) ---

DEMO_CUSTOMER = {
    "name": "ООО «Оценка-Сервис»",
    "inn": "7707083893",
    "kpp": "773601001",
    "address": "г. Москва, ул. Вавилова, д. 19",
    "contract_number": "15/2026",
    "contract_date": "2026-01-15",
}
DEMO_PRICE = 1500.0
DEMO_RECEIPT = "20demo0001"


def _demo_billing_config(doc: Any) -> None:
    """The demo Customer and price in the config document (a tomlkit document)."""
    customer: Any = doc["customer"]
    for key, value in DEMO_CUSTOMER.items():
        customer[key] = value
    doc["billing"]["price"] = DEMO_PRICE


def run_paperwork(ws: Workspace) -> Any:
    """The month's paperwork: the Customer accepts the reports handed over to it (variant A),
    the month's act is issued (gated like a report), the Customer pays it in full and the
    executor records the receipt made in «Мой налог». Returns the act's outcome."""
    from srgcli.billing.act import issue_act
    from srgcli.billing.payments import add_payment, add_receipt
    from srgcli.model import Decision
    from srgcli.submit import record_decision
    from srgcli.workspace.reads import submissions

    today = now().date()
    for summary in _handed_over(ws):
        latest = submissions(ws, summary)[-1]
        if latest.variant == "A" and latest.decision is None:
            record_decision(ws, summary, Decision.ACCEPTED, None)
    outcome = issue_act(ws, f"{today:%Y-%m}", command="demo")
    if outcome.path is None:
        raise RuntimeError("the demo act did not pass the gate")
    add_payment(ws, outcome.label, str(outcome.total), today.isoformat(), command="demo")
    add_receipt(ws, outcome.label, DEMO_RECEIPT, today.isoformat(), command="demo")
    return outcome


def _handed_over(ws: Workspace) -> list[str]:
    """Tickets whose report is with the Customer, waiting for its decision."""
    from srgcli.model import Status
    from srgcli.tickets import list_summaries

    return [s.ticket.id for s in list_summaries(ws) if s.status is Status.SUBMITTED]
