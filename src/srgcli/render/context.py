"""The data a report template sees: the ticket, its history, finding, contacts, settlement,
deadlines and the executor, as plain values (canonical enum values; the `label` filter gives
their Russian names).

The keys of `build_context()` ARE the data model that `templates check` checks templates
against; `sample_context()` builds the same shape from the bundled demo data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from srgcli.model import TICKET_FIELDS, ExecutorStatus
from srgcli.render.measures import measures_json

if TYPE_CHECKING:
    from srgcli.tickets import Deadline, TicketDetail
    from srgcli.workspace import Workspace

# Russian words for the states of a deadline, as the report prints them.
DEADLINE_STATES = {
    "met": "соблюдён",
    "missed": "нарушен",
    "pending": "не наступил",
    "overdue": "просрочен",
    "unknown": "не определён",
}

# Keys of the context that do not depend on the moment of rendering: what the input hash covers.
HASHED_KEYS = ("ticket", "executor", "events", "finding", "contacts", "resolution", "remarks")


def report_deadlines(ws: Workspace, item: TicketDetail, moment: datetime) -> list[Deadline]:
    """The ticket's deadlines as the report states them: the report being made now counts as
    prepared now when no earlier version exists."""
    from srgcli.tickets import deadlines

    result = []
    for d in deadlines(ws, item):
        if d.key == "report" and d.done_at is None:
            done = moment.isoformat(timespec="seconds")
            state = d.state
            if d.due_at:
                state = "met" if moment <= datetime.fromisoformat(d.due_at) else "missed"
            d = replace(d, done_at=done, state=state)
        result.append(d)
    return result


def status_label(status: ExecutorStatus, name: str | None) -> str:
    """The executor's status as the report prints it after the name: «самозанятая» agrees
    with a woman's name («Петрова Анна Сергеевна (самозанятая)»)."""
    from srgcli.render.filters import is_female_name

    if status is ExecutorStatus.SELF_EMPLOYED and is_female_name(name):
        return "самозанятая"
    return status.label


def build_context(
    ws: Workspace, item: TicketDetail, moment: datetime, version: int
) -> dict[str, Any]:
    """The template context for one ticket's report, version `version`, made at `moment`."""
    ticket = item.summary.ticket
    executor = ws.config.executor
    status = ExecutorStatus.try_parse(executor.status)
    events_by_id = {e.id: e for e in item.events}
    finding = item.finding
    returned = [s for s in item.submissions if s.decision == "returned" and s.remarks]
    return {
        "ticket": {name: ticket.value(name) for name in TICKET_FIELDS} | {"id": ticket.id},
        "executor": {
            "name": executor.name,
            "status": status.value if status else executor.status,
            "status_label": status_label(status, executor.name) if status else executor.status,
            "inn": executor.inn,
            "phone": executor.phone,
            "email": executor.email,
        },
        "events": [_event(e) for e in item.events],
        "finding": None
        if finding is None
        else {
            "verdict": finding.verdict,
            "category": finding.category,
            "description": finding.description,
            "root_cause": finding.root_cause,
            "responsible": finding.responsible,
            "evidence": [_event(events_by_id[i]) for i in finding.evidence if i in events_by_id],
            "corrective_action": finding.corrective_action,
            **measures_json(finding.corrective_action),
            "decided_at": finding.decided_at,
        },
        "contacts": [
            {
                "at": c.at,
                "channel": c.channel,
                "direction": c.direction,
                "party": c.party,
                "outcome": c.outcome,
                "summary": c.summary,
            }
            for c in item.contacts
        ],
        "resolution": None
        if item.resolution is None
        else {
            "outcome": item.resolution.outcome,
            "summary": item.resolution.summary,
            "resolved_at": item.resolution.resolved_at,
        },
        "remarks": [s.remarks for s in returned],
        "deadlines": [
            {
                "key": d.key,
                "label": d.label,
                "due_at": d.due_at,
                "done_at": d.done_at,
                "state": d.state,
                "state_label": DEADLINE_STATES.get(d.state, d.state),
            }
            for d in report_deadlines(ws, item, moment)
        ],
        "report": {"version": version, "date": moment.isoformat(timespec="seconds")},
    }


def _event(e: Any) -> dict[str, Any]:
    return {"at": e.at, "kind": e.kind, "actor": e.actor, "comment": e.comment}


def input_hash(context: dict[str, Any], template_sha256: str) -> str:
    """What the report was made from: the ticket's data and the template, not the moment."""
    data = {key: context.get(key) for key in HASHED_KEYS}
    data["template"] = template_sha256
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def sample_context() -> dict[str, Any]:
    """A full context from the bundled demo ticket 2026-000118, for checking templates."""
    from srgcli.model.samples import sample_tickets

    raw = next(t for t in sample_tickets() if t["id"] == "2026-000118")
    ticket = {name: raw.get(name) for name in TICKET_FIELDS} | {"id": raw["id"]}
    ticket["object_type"] = "apartment"
    ticket["category"] = "deadlines"
    ticket["client_phone"] = "+79162043177"
    events = [
        {"at": e["at"], "kind": e["kind"], "actor": e.get("actor"), "comment": e.get("comment")}
        for e in raw.get("history", [])
    ]
    moment = "2026-11-25T10:00:00+03:00"
    return {
        "ticket": ticket,
        "executor": {
            "name": "Петрова Анна Сергеевна",
            "status": "self-employed",
            "status_label": ExecutorStatus.parse("self-employed").label,
            "inn": "500100732259",
            "phone": "+7 916 100-20-30",
            "email": "a.petrova@example.ru",
        },
        "events": events,
        "finding": {
            "verdict": "confirmed",
            "category": "deadlines",
            "description": "Отчёт подготовлен позже срока, обещанного клиенту.",
            "root_cause": "Оценщик перенёс осмотр и затянул подготовку отчёта.",
            "responsible": "appraiser",
            "evidence": events[-2:],
            "corrective_action": "Оценщику указано на сроки по регламенту.",
            "corrective_action_clause": "оценщику указано на сроки по регламенту.",
            "corrective_action_planned": False,
            "decided_at": moment,
        },
        "contacts": [
            {
                "at": "2026-11-17T11:00:00+03:00",
                "channel": "phone",
                "direction": "out",
                "party": "client",
                "outcome": "reached",
                "summary": "Клиенту сообщены сроки передачи отчёта.",
            }
        ],
        "resolution": {
            "outcome": "satisfied",
            "summary": "Отчёт передан клиенту, стоимость услуги снижена.",
            "resolved_at": moment,
        },
        "remarks": [],
        "deadlines": [
            {
                "key": key,
                "label": text,
                "due_at": moment,
                "done_at": moment,
                "state": "met",
                "state_label": DEADLINE_STATES["met"],
            }
            for key, text in (
                ("first_contact", "Первый контакт с клиентом"),
                ("report", "Отчёт подготовлен"),
                ("ticket", "Заявка отработана (отчёт сдан)"),
            )
        ],
        "report": {"version": 1, "date": moment},
    }
