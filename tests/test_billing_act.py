"""`srgcli act`: the monthly act to the Customer — lines for tickets accepted by variant A
(after a return for rework) and by variant B, totals in words, versions, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
import pytest

from srgcli.workspace import open_workspace
from srgcli.workspace.billing import acts
from tests.builders import TICKET, configure_billing, make_report
from tests.conftest import Cli, terminal

OTHER = "2026-000201"
EARLY = "2026-000202"


def at(root: Path, moment: str) -> Cli:
    """The CLI on `root` with the clock at `moment` (Moscow time)."""
    return Cli(root, terminal(now=f"{moment}+03:00"))


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def month_root(ws_root: Path) -> Path:
    """November 2026: TICKET returned once, then accepted by the Customer (variant A) on the
    20th; OTHER handed to the client with the ИС mark (variant B) on the 24th; EARLY accepted
    in October, so not in November's act."""
    configure_billing(ws_root)
    make_report(ws_root, 1)
    ok(at(ws_root, "2026-11-18T10:00:00")("submit", TICKET))
    ok(
        at(ws_root, "2026-11-18T16:00:00")(
            "submit", TICKET, "--decision", "returned", "--remarks", "Уточнить сроки."
        )
    )
    make_report(ws_root, 2)
    ok(at(ws_root, "2026-11-19T10:00:00")("submit", TICKET))
    ok(at(ws_root, "2026-11-20T12:30:00")("submit", TICKET, "--decision", "accepted"))
    make_report(ws_root, ticket=OTHER)
    ok(at(ws_root, "2026-11-24T09:00:00")("submit", OTHER, "--variant", "B", "--mark-ref", "ИС-7"))
    make_report(ws_root, ticket=EARLY)
    ok(at(ws_root, "2026-10-30T10:00:00")("submit", EARLY))
    ok(at(ws_root, "2026-10-30T17:00:00")("submit", EARLY, "--decision", "accepted"))
    return ws_root


def document_text(path: Path) -> tuple[list[str], list[list[str]]]:
    """Paragraphs and table rows of a DOCX, opened back with python-docx."""
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return paragraphs, rows


def test_an_act_for_a_month_lists_every_accepted_ticket(month_root: Path, pylat: Any) -> None:
    result = ok(at(month_root, "2026-12-02T10:00:00")("act", "--month", "2026-11", "--json"))
    data = result.json()
    assert data["number"] == "1/2026" and data["version"] == 1
    assert data["date"] == "2026-11-30", "a finished month: the act is dated its last day"
    assert [(x["ticket_id"], x["variant"]) for x in data["lines"]] == [(TICKET, "A"), (OTHER, "B")]
    assert data["total"] == "3000.00"
    path = month_root / data["path"]
    assert "akt-1-2026-v1.docx" in result.stderr

    paragraphs, rows = document_text(path)
    text = "\n".join(paragraphs + ["\t".join(r) for r in rows])
    assert "{{" not in text and "{%" not in text
    assert "Акт оказанных услуг № 1/2026" in paragraphs[0]
    assert "Дата: 30 ноября 2026 г." in text
    assert "Отчётный период: ноябрь 2026 г." in text
    assert "Основание: договор № 15/2026 от 15 января 2026 г." in text
    assert "Исполнитель: Петрова Анна Сергеевна (самозанятая), ИНН 500100732259." in text
    assert "Заказчик: ООО «Оценка-Сервис», ИНН 7707083893, КПП 773601001" in text
    lines = [r for r in rows if r[1] in (TICKET, OTHER, EARLY)]
    assert lines == [
        ["1", TICKET, "16.11.2026", "20.11.2026", "А", "1\u00a0500,00"],
        ["2", OTHER, "16.11.2026", "24.11.2026", "Б", "1\u00a0500,00"],
    ]
    assert ["Итого"] * 5 + ["3\u00a0000,00"] in rows
    assert (
        "Всего оказано услуг: 2, на сумму 3\u00a0000,00\u00a0₽ "
        "(три тысячи рублей 00 копеек)." in paragraphs
    )
    assert "НДС не облагается (Федеральный закон от 27.11.2018 № 422-ФЗ, ч. 8 ст. 2)." in text
    assert "____________________ Петрова А. С." in text
    assert path.stat().st_mode & 0o777 == 0o600


def test_reissuing_a_month_makes_a_new_version_and_supersedes_the_old(
    month_root: Path, pylat: Any
) -> None:
    cli = at(month_root, "2026-12-02T10:00:00")
    first = ok(cli("act", "--month", "2026-11", "--json")).json()
    second = ok(cli("act", "--month", "2026-11", "--json")).json()
    assert (second["number"], second["version"]) == ("1/2026", 2)
    assert second["superseded_version"] == 1
    assert (month_root / first["path"]).is_file() and (month_root / second["path"]).is_file()
    with open_workspace(month_root) as ws:
        stored = acts(ws.conn, year=2026)
    assert [(a.version, a.superseded_at is not None) for a in stored] == [(1, True), (2, False)]
    assert stored[1].sha256 == second["sha256"]
    # The next month's act continues the year's series.
    october = ok(cli("act", "--month", "2026-10", "--json")).json()
    assert october["number"] == "2/2026" and [x["ticket_id"] for x in october["lines"]] == [EARLY]


def test_an_act_in_a_running_month_is_dated_today(month_root: Path, pylat: Any) -> None:
    data = ok(at(month_root, "2026-11-25T10:00:00")("act", "--month", "2026-11", "--json")).json()
    assert data["date"] == "2026-11-25"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--month", "2026-09"), 3, "За сентябрь 2026 г. нет заявок, принятых Заказчиком"),
        (("--month", "2026-13"), 2, "не месяц"),
        (("--month", "ноябрь"), 2, "не месяц"),
    ],
)
def test_a_month_without_accepted_tickets_is_refused(
    month_root: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = at(month_root, "2026-12-02T10:00:00")("act", *args)
    assert result.exit_code == code
    assert message in " ".join(result.stderr.split())
    assert not (month_root / "acts").exists()


def test_an_act_needs_the_customer(ws_root: Path) -> None:
    make_report(ws_root, 1)
    cli = Cli(ws_root)
    ok(cli("submit", TICKET))
    ok(cli("submit", TICKET, "--decision", "accepted"))
    configure_billing(ws_root, price=0.0)
    refused = cli("act", "--month", "2026-11")
    assert refused.exit_code == 3 and "Не указана цена услуги" in refused.stderr
    (ws_root / "srgcli.toml").write_text(
        (ws_root / "srgcli.toml").read_text("utf-8").replace("ООО «Оценка-Сервис»", ""), "utf-8"
    )
    refused = cli("act", "--month", "2026-11")
    assert refused.exit_code == 3 and "[customer] name" in refused.stderr


def test_prices_by_category_and_variant(month_root: Path, pylat: Any) -> None:
    text = (month_root / "srgcli.toml").read_text("utf-8")
    text = text.replace("[billing.variant_prices]", "[billing.variant_prices]\nB = 1200.0").replace(
        "[billing.category_prices]", "[billing.category_prices]\nreport_quality = 2000.0"
    )
    (month_root / "srgcli.toml").write_text(text, "utf-8")
    data = ok(at(month_root, "2026-12-02T10:00:00")("act", "--month", "2026-11", "--json")).json()
    assert [x["price"] for x in data["lines"]] == ["1500.00", "1200.00"]
    assert data["total"] == "2700.00"


def test_the_script_reproduces_the_committed_act_template(tmp_path: Path) -> None:
    import importlib.util
    import zipfile

    from srgcli.billing.act import BUILTIN_ACT

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(
        "build_act", root / "tools" / "build_default_act.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path / "act.docx")

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/")}

    assert parts(built) == parts(BUILTIN_ACT)


def test_the_act_templates_wording_passes_the_gate(tmp_path: Path, ws: Any, pylat: Any) -> None:
    from srgcli.billing.act import BUILTIN_ACT
    from srgcli.billing.context import sample_act_context
    from srgcli.gate.engine import open_gate
    from srgcli.render.docx import render, static_text, template_lines, undeclared

    assert undeclared(BUILTIN_ACT, sample_act_context()) == set()
    render(BUILTIN_ACT, sample_act_context(), tmp_path / "sample.docx")
    result = open_gate(ws).check(static_text(template_lines(BUILTIN_ACT)))
    assert [i.rule for i in result.issues if str(i.severity) == "error"] == []


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
def test_act_pdf_beside_the_docx(month_root: Path, pylat: Any) -> None:
    data = ok(
        at(month_root, "2026-12-02T10:00:00")("act", "--month", "2026-11", "--pdf", "--json")
    ).json()
    pdf = Path(data["pdf"])
    assert pdf == (month_root / data["path"]).with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-") and data["pdf_error"] is None


def test_act_pdf_without_libreoffice_keeps_the_docx(month_root: Path, pylat: Any) -> None:
    path = month_root / "srgcli.toml"
    path.write_text(
        path.read_text("utf-8").replace('soffice = ""', 'soffice = "/nonexistent/soffice"'), "utf-8"
    )
    result = at(month_root, "2026-12-02T10:00:00")("act", "--month", "2026-11", "--pdf", "--json")
    assert result.exit_code == 4
    data = result.json()
    assert data["pdf"] is None and "LibreOffice" in data["pdf_error"]
    assert (month_root / data["path"]).is_file()
    assert "PDF не сделан" in result.stderr


def test_income_points_at_the_months_without_an_act(month_root: Path, pylat: Any) -> None:
    cli = at(month_root, "2026-12-02T10:00:00")
    hints = cli("income", "--json").json()["hints"]
    assert hints == [
        "за октябрь 2026 г. принято заявок: 1, акт не составлен — srgcli act --month 2026-10",
        "за ноябрь 2026 г. принято заявок: 2, акт не составлен — srgcli act --month 2026-11",
    ]
    ok(cli("act", "--month", "2026-11"))
    data = cli("income", "--json").json()
    assert data["hints"][0].startswith("за октябрь")
    assert data["hints"][1] == (
        "акт № 1/2026 на 3\u00a0000,00\u00a0₽ оплачен не полностью (получено 0,00\u00a0₽)"
    )
    assert (
        data["months"][10]["acts"] == ["1/2026"] and data["months"][10]["acts_total"] == "3000.00"
    )
