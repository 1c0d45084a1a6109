"""How the report reads and what it says about itself: no rows of dashes, one separator after
a time, phones as people write them, the executor as the author, Russian as its language."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from srgcli.demo import demo_config
from srgcli.workspace import create_workspace, open_workspace
from tests.builders import add_ticket, settle, write_template
from tests.conftest import Cli

HISTORY = [
    {"at": "2026-10-27T11:02:00+03:00", "kind": "order_created", "actor": "сайт"},
    {"at": "2026-10-27T11:15:00+03:00", "kind": "payment_received", "actor": "эквайринг"},
    {"at": "2026-11-05T12:30:00+03:00", "kind": "inspection_done", "actor": "оценщик"},
]


@pytest.fixture
def sparse_root(tmp_path: Path, pylat: Any) -> Path:
    """A settled ticket the ИС sent without bank, appraiser, order date and demand, with a
    Moscow landline phone."""
    root = tmp_path / "ws"
    create_workspace(root, demo_config()).close()
    with open_workspace(root) as ws:
        add_ticket(ws, HISTORY, client_phone="8 (495) 123-45-67", order_date="")
        settle(ws)
    return root


def _report(root: Path, *args: str) -> Path:
    result = Cli(root)("report", "2026-000200", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return Path(result.json()["path"])


def _field_table(path: Path) -> dict[str, str]:
    import docx

    document = docx.Document(str(path))
    first = document.tables[0]
    return {row.cells[0].text: row.cells[1].text for row in first.rows}


def test_fields_without_a_value_are_left_out_not_dashed(sparse_root: Path) -> None:
    import docx

    path = _report(sparse_root)
    fields = _field_table(path)
    assert fields["Номер заявки"] == "2026-000200"
    assert fields["Телефон"] == "+7 (495) 123-45-67"
    for missing in ("Банк", "Оценщик", "Дата заказа"):
        assert missing not in fields
    # Neither table of fields has a row of «—», nor a row left over from a {%tr %} tag.
    document = docx.Document(str(path))
    for table in document.tables:
        if len(table.columns) == 2:
            for row in table.rows:
                assert row.cells[1].text.strip() not in ("", "—"), row.cells[0].text
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Требование клиента в заявке не указано." in text
    assert "Требование клиента: —" not in text


def test_a_time_is_followed_by_a_dash_not_a_second_colon(sparse_root: Path) -> None:
    from srgcli.gate.documents import docx_text

    text = docx_text(_report(sparse_root))
    assert "27.10.2026 11:15 — оплата получена" in text
    assert not re.search(r"\d\d:\d\d:", text)


def test_the_report_names_its_author_title_subject_and_language(sparse_root: Path) -> None:
    import docx

    path = _report(sparse_root)
    props = docx.Document(str(path)).core_properties
    assert props.author == "Петрова Анна Сергеевна"
    assert props.last_modified_by == "Петрова Анна Сергеевна"
    assert props.title == "Отчёт по заявке № 2026-000200"
    assert props.subject == "Заявка № 2026-000200"
    assert props.keywords == "2026-000200"
    assert props.language == "ru-RU"
    _assert_russian(path)


def test_a_workspace_template_gets_the_same_properties(sparse_root: Path) -> None:
    import docx

    own = write_template(
        sparse_root / "own.docx", "Отчёт по заявке {{ ticket.id }}.", "Заявитель обратился."
    )
    path = _report(sparse_root, "--template", str(own))
    props = docx.Document(str(path)).core_properties
    assert props.author == "Петрова Анна Сергеевна"
    assert props.subject == "Заявка № 2026-000200"
    # python-docx's own blank document is in American English.
    _assert_russian(path)


def _assert_russian(path: Path) -> None:
    """Every language mark in the document says ru-RU, and the document's default has one."""
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml").decode()
        parts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/")]
    default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert default is not None and 'w:val="ru-RU"' in default[0]
    values = {v for part in parts for v in re.findall(r'<w:lang [^>]*w:val="([^"]+)"', part)}
    assert values == {"ru-RU"}


def test_show_prints_the_phone_as_people_write_it(sparse_root: Path) -> None:
    out = Cli(sparse_root)("show", "2026-000200").stdout
    assert "+7 (495) 123-45-67" in out
    assert "+74951234567" not in out
    # JSON keeps the stored E.164 form for scripts.
    data = Cli(sparse_root)("show", "2026-000200", "--json").json()
    assert data["client_phone"] == "+74951234567"
