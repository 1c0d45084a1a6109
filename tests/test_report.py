"""`srgcli report`: a DOCX that passed the gate, its versions, staleness, refusals."""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from srgcli.demo import demo_config
from srgcli.gate.documents import docx_text
from srgcli.workspace import create_workspace, open_workspace, reads, writes
from tests.builders import add_ticket, settle, table_dump, write_template
from tests.conftest import Cli

HISTORY = [
    {"at": "2026-10-27T11:02:00+03:00", "kind": "order_created", "actor": "сайт"},
    {"at": "2026-11-05T12:30:00+03:00", "kind": "inspection_done", "actor": "оценщик"},
    {"at": "2026-11-17T16:45:00+03:00", "kind": "report_uploaded", "actor": "оценщик"},
]


@pytest.fixture
def report_root(tmp_path: Path, pylat: Any) -> Path:
    """A workspace with the executor's profile and one settled ticket, 2026-000200."""
    root = tmp_path / "ws"
    create_workspace(root, demo_config()).close()
    ws = open_workspace(root)
    try:
        add_ticket(ws, HISTORY, bank="ПАО Сбербанк")
        settle(ws, "2026-000200")
    finally:
        ws.close()
    return root


@pytest.fixture
def rcli(report_root: Path) -> Cli:
    return Cli(report_root)


def text_of(path: Path) -> str:
    return docx_text(path)


def test_report_is_a_docx_with_the_ticket_in_russian(rcli: Cli, report_root: Path) -> None:
    result = rcli("report", "2026-000200", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) == {"id", "version", "path", "sha256", "gate", "pdf", "pdf_error"}
    assert data["pdf"] is None and data["pdf_error"] is None  # no PDF unless asked for
    assert data["id"] == "2026-000200" and data["version"] == 1
    path = Path(data["path"])
    assert path == report_root / "reports" / "2026-000200" / "2026-000200-v1.docx"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    gate = data["gate"]
    assert gate["engine"] == "pylat" and gate["errors"] == 0
    assert {"engine_version", "rules", "dictionary", "disabled_rules", "warnings"} <= set(gate)

    text = text_of(path)
    assert "Отчёт об отработке обращения № 2026-000200" in text
    assert "Петрова Анна Сергеевна (самозанятая), ИНН 500100732259" in text
    assert "обращение Смирновой Ольги Викторовны" in text  # genitive
    assert "сообщены Смирновой Ольге Викторовне" in text  # dative
    assert "16 ноября 2026 г." in text  # received_at in words
    assert "25 ноября 2026 г." in text  # the report's date, pinned clock
    assert "+7 (916) 204-31-77" in text
    assert "\nподтверждено\n" in text  # the verdict's Russian label
    assert "отчёт загружен" in text and "осмотр проведён" in text
    assert "требование удовлетворено" in text
    # `srgcli check` reads the report the same way: table cells are values, not sentences.
    assert rcli("check", str(path), "--ticket", "2026-000200").exit_code == 0


def test_report_tables_contacts_and_deadlines(rcli: Cli, report_root: Path) -> None:
    import docx

    data = rcli("report", "2026-000200", "--json").json()
    document = docx.Document(data["path"])
    rows = {
        t.rows[0].cells[0].text: [[c.text for c in r.cells] for r in t.rows[1:]]
        for t in document.tables
    }
    contact_tables = [t for t in document.tables if len(t.columns) == 5]
    (contact_table,) = contact_tables
    body = [[c.text for c in r.cells] for r in contact_table.rows[1:]]
    assert body == [
        [
            "17.11.2026 11:00",
            "телефон",
            "исходящий",
            "связь установлена",
            "Клиенту сообщён срок передачи отчёта.",
        ]
    ]
    deadlines = {r[0]: r[3] for r in rows["Этап"]}
    # First contact on 17.11 within 2 business days of receipt on 16.11: met. The report is
    # made now (25.11), after its 3-day target: missed. Not handed over yet, due 23.11: overdue.
    assert deadlines["Первый контакт с клиентом"] == "соблюдён"
    assert deadlines["Отчёт подготовлен"] == "нарушен"
    assert deadlines["Заявка отработана (отчёт сдан)"] == "просрочен"


EVIDENCE_HEADING = "Подтверждающие события истории заказа:"


def _paragraphs_after(path: Path, heading: str) -> list[str]:
    """The body paragraphs of a report from `heading` up to the next heading."""
    import docx

    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    start = texts.index(heading) + 1
    end = next(i for i in range(start, len(texts)) if texts[i][:2] in {"5.", "6."})
    return texts[start:end]


def test_evidence_is_listed_under_its_heading(rcli: Cli) -> None:
    data = rcli("report", "2026-000200", "--json").json()
    section = _paragraphs_after(Path(data["path"]), "4. Результаты проверки")
    assert section == [
        EVIDENCE_HEADING,
        "05.11.2026 12:30 — осмотр проведён",
        "17.11.2026 16:45 — отчёт загружен",
    ]


def test_a_finding_without_evidence_has_no_empty_heading(rcli: Cli, report_root: Path) -> None:
    ws = open_workspace(report_root)
    try:
        finding = reads.finding(ws, "2026-000200")
        assert finding is not None
        writes.save_finding(ws, replace(finding, evidence=()), command="test")
    finally:
        ws.close()
    result = rcli("report", "2026-000200", "--json")
    assert result.exit_code == 0, result.stderr
    path = Path(result.json()["path"])
    # The finding's table is there; nothing is printed between it and the next section.
    assert _paragraphs_after(path, "4. Результаты проверки") == []
    assert EVIDENCE_HEADING not in text_of(path)
    assert "подтверждено" in text_of(path)


def test_a_fresh_report_is_not_made_again(rcli: Cli) -> None:
    first = rcli("report", "2026-000200", "--json").json()
    again = rcli("report", "2026-000200", "--json")
    assert again.exit_code == 0
    assert again.json() == first
    assert "уже сформирован и актуален" in again.stderr
    assert "reports/2026-000200/2026-000200-v1.docx" in again.stderr.replace("\n", "")


def test_a_change_makes_the_report_stale_and_it_is_replaced(rcli: Cli, report_root: Path) -> None:
    first = rcli("report", "2026-000200", "--json").json()
    assert rcli("show", "2026-000200", "--json").json()["status"] == "reported"
    ws = open_workspace(report_root)
    try:
        writes.save_resolution(ws, "2026-000200", "explained", "Клиенту даны разъяснения.")
    finally:
        ws.close()
    shown = rcli("show", "2026-000200", "--json").json()
    assert shown["status"] == "settled"  # the report no longer reflects the ticket
    second = rcli("report", "2026-000200", "--json")
    assert second.exit_code == 0, second.stderr
    data = second.json()
    assert data["version"] == 1 and data["sha256"] != first["sha256"]
    assert "разъяснения" in text_of(Path(data["path"]))
    assert rcli("show", "2026-000200", "--json").json()["status"] == "reported"


def test_a_field_changed_by_fill_makes_the_report_stale(rcli: Cli) -> None:
    first = rcli("report", "2026-000200", "--json").json()
    changed = rcli("fill", "2026-000200", "--set", "client_demand=Вернуть деньги за услугу")
    assert changed.exit_code == 0, changed.stderr
    assert rcli("show", "2026-000200", "--json").json()["status"] == "settled"
    again = rcli("report", "2026-000200", "--json").json()
    assert again["sha256"] != first["sha256"]
    assert "Требование клиента: Вернуть деньги за услугу" in text_of(Path(again["path"]))


def test_versions_grow_after_a_return(rcli: Cli, report_root: Path) -> None:
    v1 = rcli("report", "2026-000200", "--json").json()
    submitted = rcli("submit", "2026-000200")
    assert submitted.exit_code == 0, submitted.stderr
    assert rcli("report", "2026-000200").exit_code == 3  # submitted: wait for the decision
    returned = rcli(
        "submit", "2026-000200", "--decision", "returned", "--remarks", "Уточнить причину задержки."
    )
    assert returned.exit_code == 0, returned.stderr
    assert rcli("show", "2026-000200", "--json").json()["status"] == "returned"
    v2 = rcli("report", "2026-000200", "--json")
    assert v2.exit_code == 0, v2.stderr
    data = v2.json()
    assert data["version"] == 2 and data["path"].endswith("2026-000200-v2.docx")
    assert Path(v1["path"]).is_file()  # the submitted version is kept
    assert "Уточнить причину задержки." in text_of(Path(data["path"]))
    shown = rcli("show", "2026-000200", "--json").json()
    assert shown["status"] == "reported"
    assert [r["version"] for r in shown["reports"]] == [1, 2]
    # The new version is the one handed over next.
    assert rcli("submit", "2026-000200").exit_code == 0
    assert rcli("show", "2026-000200", "--json").json()["submissions"][-1]["report_version"] == 2


def test_precondition_not_settled(rcli: Cli, report_root: Path) -> None:
    ws = open_workspace(report_root)
    try:
        add_ticket(ws, HISTORY, id="2026-000201")
    finally:
        ws.close()
    before = table_dump(report_root, "reports", "audit")
    result = rcli("report", "2026-000201")
    assert result.exit_code == 3
    assert "отчёт формируется после" in result.stderr
    assert "Смирнова" not in result.stderr  # no personal data in messages
    assert table_dump(report_root, "reports", "audit") == before


def test_a_spelling_error_refuses_the_report_and_keeps_nothing(
    rcli: Cli, report_root: Path, tmp_path: Path
) -> None:
    bad = write_template(
        tmp_path / "bad.docx",
        "Отчёт по обращению № {{ ticket.id }}.",
        "Обращение расмотрено в установленый срок.",
    )
    before = table_dump(report_root, "reports", "audit")
    result = rcli("report", "2026-000200", "--template", str(bad))
    assert result.exit_code == 1
    assert "не прошёл проверку" in result.stderr
    assert "расмотрено" in result.stderr  # the issue with where it is
    assert "Откуда текст: текст шаблона отчёта" in " ".join(result.stderr.split())
    assert not list((report_root / "reports").rglob("*.docx"))
    assert table_dump(report_root, "reports", "audit") == before


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Клиент: {{ ticket.no_such_field }}.", "нет такого значения в данных отчёта"),
        ("Клиент: {{ nobody }}.", "«nobody»"),
        ("Данные: {{ ticket.__class__.__mro__ }}.", "песочнице"),
        ("Клиент: {% if ticket.id %}.", "абзац 2: незакрытый блок {% if %} — нет {% endif %}"),
        ("Клиент: {{ ticket.id }.", "абзац 2: лишняя или непарная «}»"),
        ("Клиент: {{ ticket.id|nosuch }}.", "абзац 2: неизвестный фильтр «nosuch»"),
        # Bounded work: refused at once (exit 2), not a MemoryError (exit 70).
        ("Итог: {{ ('Ж' * 10**8)|length }}.", "абзац 2: повторение строки или списка длиннее"),
        ("Итог: {{ range(10**9)|list|length }}.", "абзац 2: «range()» на 1 000 000 000 элементов"),
        ("Итог: {{ 2 ** 1000000 }}.", "абзац 2: слишком большое число"),
        ("Итог: {{ 1 / 0 }}.", "абзац 2: деление на ноль"),
        ("Итог: {% include 'other.docx' %}.", "вставка других шаблонов"),
        # The client's name put into a filter for amounts: the message does not quote it.
        (
            "Итог: {{ ticket.client_name|amount }}.",
            "абзац 2: фильтр не смог обработать значение: значение не денежная сумма",
        ),
    ],
)
def test_template_faults_are_explained_in_russian(
    rcli: Cli, report_root: Path, tmp_path: Path, paragraph: str, expected: str
) -> None:
    bad = write_template(tmp_path / "bad.docx", "Отчёт.", paragraph)
    result = rcli("report", "2026-000200", "--template", str(bad))
    assert result.exit_code == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert expected in message
    assert "Traceback" not in message and "Jinja" not in message
    assert "Смирнова" not in message  # no personal data in messages
    # Russian only: no English beside the names quoted from the template and the commands.
    russian = re.sub(r"«[^»]*»|\{[%{].*?[%}]\}|srgcli templates check", "", message)
    assert not re.search("[A-Za-z]{4,}", russian.replace(str(bad), ""))
    assert not list((report_root / "reports").rglob("*.docx"))


def test_an_unclosed_block_is_shown_where_it_opens(
    rcli: Cli, report_root: Path, tmp_path: Path
) -> None:
    bad = write_template(
        tmp_path / "bad.docx",
        "Отчёт по обращению № {{ ticket.id }}.",
        "{%p if finding %}",
        "Вывод: {{ finding.verdict|label('verdict') }}.",
        "{%p for e in finding.evidence %}",
        "{{ e.kind|label('kind') }}",
        "{%p endfor %}",
        "Исполнитель: {{ executor.name }}.",
    )
    result = rcli("report", "2026-000200", "--template", str(bad))
    assert result.exit_code == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert (
        f"Шаблон отчёта {bad}, абзац 2: незакрытый блок {{% if %}} — нет {{% endif %}}." in message
    )
    assert "Unexpected end of template" not in message
    assert not list((report_root / "reports").rglob("*.docx"))


def test_report_all(rcli: Cli, report_root: Path) -> None:
    ws = open_workspace(report_root)
    try:
        add_ticket(ws, HISTORY, id="2026-000202")
        settle(ws, "2026-000202")
        add_ticket(ws, HISTORY, id="2026-000203")  # not settled: not a candidate
    finally:
        ws.close()
    typo = write_template(report_root / "typo.docx", "Обращение расмотрено.")
    refused = rcli("report", "--all", "--template", str(typo), "--json")
    assert refused.exit_code == 1
    assert {(i["id"], i["outcome"], i["path"]) for i in refused.json()} == {
        ("2026-000200", "refused", None),
        ("2026-000202", "refused", None),
    }
    assert "Ошибки и где их исправить: srgcli report 2026-000202" in refused.stderr
    assert not list((report_root / "reports").rglob("*.docx"))
    result = rcli("report", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    items = {i["id"]: i for i in result.json()}
    assert set(items) == {"2026-000200", "2026-000202"}
    assert all(i["outcome"] == "created" and i["version"] == 1 for i in items.values())
    again = rcli("report", "--all", "--json")
    assert again.json() == []  # nothing left whose next step is a report


def test_report_usage(rcli: Cli) -> None:
    assert rcli("report").exit_code == 2
    assert rcli("report", "2026-000200", "--all").exit_code == 2
    missing = rcli("report", "2026-000200", "--template", "нет-такого")
    assert missing.exit_code == 2 and "не найден" in missing.stderr


def test_the_audit_records_the_report(rcli: Cli) -> None:
    rcli("report", "2026-000200")
    audit = rcli("show", "2026-000200", "--json").json()["audit"]
    (entry,) = [a for a in audit if a["entity"] == "report"]
    assert entry["command"] == "report" and entry["field"] == "v1"
    assert json.dumps(entry, ensure_ascii=False)


def test_the_clients_own_misspelt_words_do_not_block_the_report(
    rcli: Cli, report_root: Path
) -> None:
    ws = open_workspace(report_root)
    try:
        add_ticket(ws, HISTORY, id="2026-000201", complaint_text="оценщик опаздал на асмотр")
        settle(ws, "2026-000201")
        # The executor's own words are still checked.
        writes.save_resolution(ws, "2026-000201", "satisfied", "Отчёт перидан клиенту.")
    finally:
        ws.close()
    refused = rcli("report", "2026-000201")
    assert refused.exit_code == 1
    assert "перидан" in refused.stderr
    assert "опаздал" not in refused.stderr and "асмотр" not in refused.stderr
    ws = open_workspace(report_root)
    writes.save_resolution(ws, "2026-000201", "satisfied", "Отчёт передан клиенту.")
    ws.close()
    made = rcli("report", "2026-000201", "--json")
    assert made.exit_code == 0, made.stderr
    assert "оценщик опаздал на асмотр" in text_of(report_root / made.json()["path"])


def test_report_into_an_unwritable_folder_is_refused_plainly(rcli: Cli, report_root: Path) -> None:
    # Root may write anywhere, so the folder is blocked by a file standing in its place.
    (report_root / "reports" / "2026-000200").write_text("не папка")
    before = table_dump(report_root, "reports", "audit")
    result = rcli("report", "2026-000200")
    assert result.exit_code == 2, result.stderr
    assert "Не удалось записать отчёт reports/2026-000200/2026-000200-v1.docx" in result.stderr
    assert "на месте папки лежит файл" in result.stderr
    assert "Внутренняя ошибка" not in result.stderr and "Traceback" not in result.stderr
    assert table_dump(report_root, "reports", "audit") == before


@pytest.mark.parametrize(
    ("verdict", "action", "sentence"),
    [
        ("not_confirmed", None, "Корректирующие действия не требуются."),
        (
            "partially_confirmed",
            "Оценщику указано на сроки.",
            "Приняты меры: оценщику указано на сроки.",
        ),
        (
            "confirmed",
            "Назначить другого оценщика",
            "Запланированы меры: назначить другого оценщика.",
        ),
    ],
    ids=["not-confirmed", "done", "planned"],
)
def test_corrective_actions_read_as_done_or_planned(
    rcli: Cli, report_root: Path, verdict: str, action: str | None, sentence: str
) -> None:
    ws = open_workspace(report_root)
    try:
        found = reads.finding(ws, "2026-000200")
        assert found is not None
        writes.save_finding(ws, replace(found, verdict=verdict, corrective_action=action))
    finally:
        ws.close()
    result = rcli("report", "2026-000200", "--json")
    assert result.exit_code == 0, result.stderr
    text = text_of(Path(result.json()["path"]))
    section = text.split("8. Корректирующие действия", 1)[1]
    assert section.split("\n")[1].strip() == sentence


def test_a_ticket_without_order_history_gets_a_sentence_not_an_empty_table(
    rcli: Cli, report_root: Path
) -> None:
    ws = open_workspace(report_root)
    try:
        add_ticket(ws, id="2026-000201")
        settle(ws, "2026-000201")
    finally:
        ws.close()
    result = rcli("report", "2026-000201", "--json")
    assert result.exit_code == 0, result.stderr
    from docx import Document

    document = Document(result.json()["path"])
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Дата и время", "Событие", "Участник", "Комментарий"] not in headers
    assert all(len(t.rows) > 1 for t in document.tables)  # no table of headers alone
    text = text_of(Path(result.json()["path"]))
    history = text.split("3. История заказа", 1)[1].split("4. Результаты проверки", 1)[0]
    assert history.strip() == "Сведения об истории заказа из информационной системы не поступили."
    # With a history, the table is there.
    with_history = Document(rcli("report", "2026-000200", "--json").json()["path"])
    assert ["Дата и время", "Событие", "Участник", "Комментарий"] in [
        [c.text for c in t.rows[0].cells] for t in with_history.tables
    ]


@pytest.mark.parametrize(
    ("field", "typo", "where"),
    [
        (
            "corrective_action",
            "Оценщику указано на сроки, отчёт был здан позже.",
            "Откуда текст: вывод по обращению (корректирующее действие). Исправьте: srgcli review "
            '2026-000200 --action "…" — остальные поля вывода сохранятся',
        ),
        (
            "root_cause",
            "Оценщик затенул подготовку отчёта.",
            "Откуда текст: вывод по обращению (причина). Исправьте: srgcli review 2026-000200 "
            '--root-cause "…" — остальные поля вывода сохранятся',
        ),
        (
            "resolution",
            "Отчёт перидан клиенту.",
            "Откуда текст: итог урегулирования. Исправьте: srgcli contact-log resolve 2026-000200 "
            '--outcome satisfied --summary "…"',
        ),
    ],
    ids=["action", "root-cause", "resolution"],
)
def test_a_refused_report_says_where_the_wrong_text_comes_from(
    rcli: Cli, report_root: Path, field: str, typo: str, where: str
) -> None:
    ws = open_workspace(report_root)
    try:
        if field == "resolution":
            writes.save_resolution(ws, "2026-000200", "satisfied", typo)
        else:
            found = reads.finding(ws, "2026-000200")
            assert found is not None
            writes.save_finding(ws, replace(found, **{field: typo}))
    finally:
        ws.close()
    result = rcli("report", "2026-000200")
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert where in said
    assert "сформируйте отчёт снова: srgcli report 2026-000200" in said
    assert not list((report_root / "reports").rglob("*.docx"))
