"""No English code in what a person reads: every document and view, rendered for tickets that
together hold every value of every enum in the model, is searched for Latin words.

What may be Latin is listed here, each with its reason: addresses, file names and hashes,
commands the executor types (srgcli …, command names in the audit), the review rules' ids
(keys of `[review]` in srgcli.toml) and a few terms of the trade.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from srgcli.demo import demo_config
from srgcli.model import (
    Category,
    Channel,
    ContactOutcome,
    Decision,
    Direction,
    EventActor,
    EventKind,
    Finding,
    LabeledEnum,
    ObjectType,
    Party,
    ResolutionOutcome,
    Responsible,
    Status,
    Variant,
    Verdict,
)
from srgcli.workspace import Workspace, create_workspace, open_workspace, reads, writes
from tests.builders import add_ticket
from tests.conftest import PINNED_NOW, Cli

# Terms a Russian business text writes in Latin letters.
ALLOWED = {"DOCX", "PDF", "API", "SLA", "JSON", "TOML", "E-mail", "e-mail"}
# Placeholders in the command syntax `list` explains («srgcli КОМАНДА ID», «Срок (+N)»).
ALLOWED |= {"ID", "N"}

# One event of every kind, each made by another actor (13 actors, 12 kinds).
HISTORY = [
    {"at": f"2026-11-{2 + i:02d}T10:00:00+03:00", "kind": kind.value, "actor": actor.value}
    for i, (kind, actor) in enumerate(
        zip([*EventKind, EventKind.CLIENT_MESSAGE], EventActor, strict=True)
    )
]

# The tickets' stages, one ticket each: what is done to it (see _take_to).
STAGES = [s.value for s in Status] + ["accepted_b"]


def _ticket_id(n: int) -> str:
    return f"2026-000{300 + n}"


def _take_to(ws: Workspace, n: int, stage: str) -> None:
    """Ticket n taken as far as `stage`, through the library and the commands' own steps."""
    from srgcli import review
    from srgcli.report.make import make_report
    from srgcli.submit import record_decision, submit_report

    tid = _ticket_id(n)
    add_ticket(
        ws,
        HISTORY,
        id=tid,
        order_id=f"ОЦ-{300 + n}",
        category=list(Category)[n % len(Category)].value,
        object_type=list(ObjectType)[n % len(ObjectType)].value,
        object_address="" if stage == "new" else "г. Москва, ул. Тверская, д. 1, кв. 2",
        client_phone="+7 (495) 123-45-67",
        bank="ПАО Сбербанк",
        appraiser="Кузнецов Дмитрий Андреевич",
        client_demand="Получить отчёт без задержки",
    )
    if stage in ("new", "filled"):
        return
    # The rules' proposals go into the audit trail and the timeline.
    review.run_auto(ws, tid, command="review")
    events = [e.id for e in reads.events(ws, tid)]
    writes.save_finding(
        ws,
        Finding(
            ticket_id=tid,
            verdict=list(Verdict)[n % len(Verdict)].value,
            category=list(Category)[n % len(Category)].value,
            description="Отчёт подготовлен позже обещанного срока.",
            root_cause="Оценщик затянул подготовку отчёта.",
            responsible=list(Responsible)[n % len(Responsible)].value,
            evidence=tuple(events[-2:]),
            corrective_action="Оценщику указано на сроки по регламенту.",
        ),
        command="review",
    )
    if stage == "reviewed":
        return
    contacts = max(len(Channel), len(Party), len(ContactOutcome))
    for i in range(contacts if stage == "settled" else 1):
        writes.add_contact(
            ws,
            tid,
            at=f"2026-11-17T1{i}:00:00+03:00",
            channel=list(Channel)[i % len(Channel)].value,
            direction=list(Direction)[i % len(Direction)].value,
            party=list(Party)[i % len(Party)].value,
            outcome=list(ContactOutcome)[i % len(ContactOutcome)].value,
            summary="Клиенту сообщён срок передачи отчёта.",
            command="contact-log",
        )
    outcome = list(ResolutionOutcome)[n % len(ResolutionOutcome)].value
    writes.save_resolution(ws, tid, outcome, "Отчёт передан клиенту.")
    if stage == "settled":
        return
    assert make_report(ws, tid).path is not None
    if stage == "reported":
        return
    variant = Variant.B if stage == "accepted_b" else Variant.A
    submit_report(ws, tid, variant=variant, mark_ref="ИС-1044" if variant is Variant.B else None)
    if stage == "returned":
        record_decision(ws, tid, Decision.RETURNED, "Уточните причину задержки.")
    elif stage == "accepted":
        record_decision(ws, tid, Decision.ACCEPTED, None)


@pytest.fixture(scope="module")
def every_value(tmp_path_factory: pytest.TempPathFactory, pylat: Any) -> Iterator[Path]:
    """A workspace whose tickets hold every enum value, one ticket per status."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SRGCLI_NOW", PINNED_NOW)
    mp.setenv("SRGCLI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = tmp_path_factory.mktemp("latin") / "ws"
    create_workspace(root, demo_config()).close()
    with open_workspace(root) as ws:
        for n, stage in enumerate(STAGES):
            _take_to(ws, n, stage)
    yield root
    mp.undo()


def _stored(root: Path) -> dict[type[LabeledEnum], set[str]]:
    """The enum values the workspace holds, by enum."""
    found: dict[type[LabeledEnum], set[str]] = {}
    with open_workspace(root) as ws:
        from srgcli.tickets import detail, list_summaries

        for summary in list_summaries(ws):
            item = detail(ws, summary.ticket.id)
            t = summary.ticket
            pairs: list[tuple[type[LabeledEnum], str | None]] = [
                (Status, summary.status.value),
                (Category, t.category),
                (ObjectType, t.object_type),
                *((EventKind, e.kind) for e in item.events),
                *((EventActor, e.actor) for e in item.events),
                *((Channel, c.channel) for c in item.contacts),
                *((Direction, c.direction) for c in item.contacts),
                *((Party, c.party) for c in item.contacts),
                *((ContactOutcome, c.outcome) for c in item.contacts),
                *((Variant, s.variant) for s in item.submissions),
                *((Decision, s.decision) for s in item.submissions),
            ]
            if item.finding:
                f = item.finding
                pairs += [(Verdict, f.verdict), (Responsible, f.responsible)]
            if item.resolution:
                pairs.append((ResolutionOutcome, item.resolution.outcome))
            for enum, value in pairs:
                if value:
                    found.setdefault(enum, set()).add(value)
    return found


def test_the_tickets_hold_every_value_of_every_enum(every_value: Path) -> None:
    stored = _stored(every_value)
    for enum in (
        Status,
        Category,
        ObjectType,
        EventKind,
        EventActor,
        Channel,
        Direction,
        Party,
        ContactOutcome,
        Variant,
        Decision,
        Verdict,
        Responsible,
        ResolutionOutcome,
    ):
        assert stored.get(enum) == {m.value for m in enum}, enum.__name__


def _command_names() -> set[str]:
    """srgcli's commands and groups: the audit trail names the one that made a change."""
    from srgcli.cli.app import app

    names = {c.name or "" for c in app.registered_commands}
    for group in app.registered_groups:
        names.add(group.name or "")
        if group.typer_instance is not None:
            names |= {c.name or "" for c in group.typer_instance.registered_commands}
    # "test": what tests.builders records as the command that imported a ticket.
    return names | {"test"}


def _allowed(root: Path) -> set[str]:
    from srgcli.review.rules import RULES_BY_ID

    # The audit's «who» is the executor's login on this computer.
    return ALLOWED | _command_names() | set(RULES_BY_ID) | {getpass.getuser()}


# Text that is Latin by nature: commands to type, addresses, file names and paths, hashes.
_NOT_WORDS = [
    re.compile(r"srgcli\b[^\n│—]*"),  # a command line, up to the end of the line or « — …»
    re.compile(r"--[a-z][\w-]*(?: [a-z_]+\b)?"),  # an option and its value
    re.compile(r"\S+@\S+"),
    re.compile(r"https?://\S+"),
    re.compile(r"[\w.-]*/[\w./…-]*"),  # a path
    re.compile(r"[\w.-]+\.(?:docx|pdf|json|toml|eml|txt|j2)\b"),
    re.compile(r"\b[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*…?"),  # a hash (cut short in tables)
]
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def latin_words(text: str, allowed: set[str]) -> list[str]:
    """The Latin words of `text` that are not in `allowed` nor part of a command, an
    address, a file name or a hash."""
    for pattern in _NOT_WORDS:
        text = pattern.sub(" ", text)
    return sorted({w for w in _LATIN.findall(text) if w not in allowed})


def _texts(root: Path) -> Iterator[tuple[str, str]]:
    """(what, text) for every document and view of every ticket."""
    from srgcli.contact import letters
    from srgcli.gate.documents import docx_text
    from srgcli.tickets import require_ticket

    cli = Cli(root)
    ids = [row["id"] for row in cli("list", "--json").json()]
    for args in (["list"], *(["list", "--status", s.value] for s in Status)):
        yield " ".join(args), _run(cli, *args)
    for tid in ids:
        yield f"show {tid}", _run(cli, "show", tid)
        yield f"review {tid} --timeline", _run(cli, "review", tid, "--timeline")
        yield f"contact-log list {tid}", _run(cli, "contact-log", "list", tid)
    for report in sorted(root.glob("reports/*/*.docx")):
        yield report.name, docx_text(report)
    with open_workspace(root) as ws:
        for tid in ids:
            ticket = require_ticket(ws, tid)
            finding = reads.finding(ws, tid)
            for name, template in letters.available(ws).items():
                if "finding" in template.requires and finding is None:
                    continue
                yield f"letter {name} {tid}", letters.render(ws, name, ticket, finding)


def _run(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout + result.stderr


def test_no_latin_word_in_any_document_or_view(every_value: Path) -> None:
    allowed = _allowed(every_value)
    found = {
        what: words for what, text in _texts(every_value) if (words := latin_words(text, allowed))
    }
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_no_latin_word_in_the_demo(tmp_path_factory: pytest.TempPathFactory) -> None:
    from tests.conftest import build_demo

    made = build_demo(tmp_path_factory)
    root = next(made)
    allowed = _allowed(root)
    found = {what: words for what, text in _texts(root) if (words := latin_words(text, allowed))}
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    next(made, None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Участник: client", ["client"]),
        ("аудит: returned: уточните", ["returned"]),
        ("Дальше: srgcli submit 2026-000301 --decision accepted — решение", []),
        ("Почта a.petrova@example.ru, отчёт 2026-000301-v1.docx", []),
        ("отчёт 28e9dff2a15e53499a6e8ec142491a52e1997ff…", []),
        ("файл DOCX в папке reports/2026-000301/", []),
    ],
)
def test_the_search_itself_finds_codes_and_passes_what_is_allowed(
    text: str, words: list[str]
) -> None:
    assert latin_words(text, set(ALLOWED)) == words
