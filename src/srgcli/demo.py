"""`srgcli demo`: a workspace with bundled sample tickets, taken through the job."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from srgcli import review
from srgcli.calendar import now
from srgcli.fill import fields as filling
from srgcli.model import Finding
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
    """Import the sample tickets and their order histories through the fetch pipeline."""
    import io

    from srgcli.fetch import Reader, import_readers

    data = json.dumps({"tickets": sample_tickets()}, ensure_ascii=False).encode("utf-8")
    reader = Reader("data/demo/tickets.json", "json", io.BytesIO(data), len(data))
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
    """The demo's steps on a fresh workspace."""
    load_samples(ws)
    # A ticket whose review is done, to show a later status.
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
    # Step 1: the ticket with a broken phone and no address, completed as `fill --set` would.
    filling.fill_ticket(
        ws,
        "2026-000127",
        {
            "client_phone": "+7 999 123-45-67",
            "object_address": "г. Москва, ул. Автозаводская, д. 23, стр. 1",
        },
        command="demo",
    )
    # Step 2: the rules read the order history of the late report, the executor decides.
    proposals = review.run_auto(ws, "2026-000118", command="demo")
    review.record_verdict(
        ws,
        review.draft_finding(
            ws,
            "2026-000118",
            "confirmed",
            category="deadlines",
            root_cause="Оценщик перенёс осмотр и затянул подготовку отчёта; офис не ответил "
            "клиенту вовремя.",
            responsible="appraiser",
            action="Отчёт передан клиенту; оценщику и офису указано на сроки по регламенту.",
            proposals=proposals,
        ),
        command="demo",
    )
    # Step 3: a call to the client, the answer on the merits from its template (through the
    # gate), and the settlement — the ticket ends up settled, ready for its report.
    _settle_demo_ticket(ws, "2026-000118")
    # Step 4: the report on the settled ticket, gated before it is written.
    from srgcli.report.make import make_report

    outcome = make_report(ws, "2026-000118", command="demo")
    if outcome.path is None:
        raise RuntimeError("the demo report did not pass the gate")
    # Acceptance, variant A: the report goes to the Customer through the outbox folder; the
    # Customer's decision is the user's to record (srgcli submit ID --decision …).
    from srgcli.submit import submit_report

    submit_report(ws, "2026-000118")


def _settle_demo_ticket(ws: Workspace, ticket_id: str) -> None:
    from srgcli.contact import log as contacts
    from srgcli.gate.engine import open_gate
    from srgcli.model import Channel, ContactOutcome, Direction, Party, ResolutionOutcome

    ticket = require_ticket(ws, ticket_id)
    moment = now().replace(microsecond=0)
    call = contacts.ContactInput(
        channel=Channel.PHONE,
        direction=Direction.OUT,
        party=Party.CLIENT,
        outcome=ContactOutcome.REACHED,
        summary="Клиенту сообщено о результатах проверки; отчёт передан, извинения принесены.",
        at=(moment - timedelta(hours=2)).isoformat(),
    )
    gate = open_gate(ws)
    contacts.log_contact(
        ws,
        ticket,
        call,
        None,
        summary_result=contacts.check_text(gate, ws, ticket, call.summary),
        command="demo",
    )
    letter = contacts.render_letter(ws, ticket, "answer")
    answer = contacts.ContactInput(
        channel=Channel.EMAIL,
        direction=Direction.OUT,
        party=Party.CLIENT,
        outcome=ContactOutcome.RESOLVED,
        summary="Направлен письменный ответ по существу обращения.",
        at=(moment - timedelta(hours=1)).isoformat(),
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
    summary = "Отчёт передан клиенту; оценщику и офису указано на соблюдение сроков."
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
