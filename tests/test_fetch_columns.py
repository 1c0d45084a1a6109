"""Bulk normalising and the compact record as received: the same results as the reference,
the record rebuilt exactly, before and after `fill`."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgcli.fetch import import_files
from srgcli.model import EDITABLE_FIELDS
from srgcli.normalize.columns import SEP, ColumnNormalizer
from srgcli.normalize.fast import ValueNormalizer
from srgcli.workspace import Workspace, open_workspace
from srgcli.workspace.received import (
    Layout,
    delta,
    delta_text,
    delta_texts,
    rebuild,
    record_hashes,
)
from tests.builders import field_text, json_values, mobile, ticket_record
from tests.conftest import Cli

moments = st.from_regex(
    r"20[0-3][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\+0[03]:00", fullmatch=True
) | st.from_regex(r"[0-3][0-9]\.[01][0-9]\.20[0-3][0-9] [0-2][0-9]:[0-5][0-9]", fullmatch=True)
dates = st.from_regex(
    r"[0-9]{4}-[01][0-9]-[0-3][0-9]|[0-3][0-9]\.[01][0-9]\.[0-9]{4}", fullmatch=True
)
names = st.from_regex(
    r"[А-ЯЁ][а-яё]{1,6}(-[А-ЯЁ][а-яё]{1,3})?( [А-ЯЁ][а-яё]{1,6}){1,2}", fullmatch=True
)
emails = st.from_regex(
    r"[a-z0-9][a-z0-9._+\-]{0,10}@[a-z0-9\-]{1,10}\.(ru|com|test|рф)", fullmatch=True
)
spaced = st.text(alphabet="аб в\u00a0\t\n  x", max_size=12)
# Per field: forms its bulk check takes, mixed with anything at all.
typical: dict[str, st.SearchStrategy[Any]] = {
    "received_at": moments,
    "due_at": moments | dates,
    "order_date": dates,
    "client_phone": mobile,
    "client_email": emails,
    "client_name": names,
}


def _reference(name: str, values: list[Any]) -> tuple[list[str | None], dict[int, str]]:
    normalizer = ValueNormalizer()
    stored, reasons = [], {}
    for index, value in enumerate(values):
        result, reason = normalizer.normalize(name, value)
        stored.append(result)
        if reason is not None:
            reasons[index] = reason
    return stored, reasons


@settings(max_examples=400, deadline=None)
@given(data=st.data(), name=st.sampled_from(EDITABLE_FIELDS))
def test_a_column_at_once_equals_value_by_value(data: st.DataObject, name: str) -> None:
    usual = typical.get(name, spaced)
    values = data.draw(
        st.lists(usual, min_size=1, max_size=12)
        | st.lists(usual | st.sampled_from(["", " ", SEP, None]), min_size=1, max_size=12)
        | st.lists(field_text | json_values, min_size=1, max_size=8)
    )
    assert ColumnNormalizer(ValueNormalizer()).column(name, values) == _reference(name, values)


@pytest.mark.parametrize(
    ("name", "values", "stored"),
    [
        (
            "client_phone",
            ["+7 (916) 204-31-77", "8 495 123 45 67", "", "89031234567"],
            ["+79162043177", "+74951234567", None, "+79031234567"],
        ),
        (
            "received_at",
            ["03.11.2026 10:15", "2026-11-03T10:15:00+03:00"],
            ["2026-11-03T10:15:00+03:00", "2026-11-03T10:15:00+03:00"],
        ),
        ("order_date", ["27.10.2026", "2026-10-28"], ["2026-10-27", "2026-10-28"]),
        ("bank", ["ПАО Сбербанк", ""], ["ПАО Сбербанк", None]),
    ],
)
def test_usual_columns_take_the_bulk_path(name: str, values: list[str], stored: list[Any]) -> None:
    normalizer = ColumnNormalizer(ValueNormalizer())
    joined = SEP.join(values)
    bulk = normalizer._rewrite.get(name) or normalizer._check[name]
    assert bulk(joined)  # taken in one go, not value by value
    assert normalizer.column(name, values) == (stored, {})


def test_phone_codes_vouched_for_are_valid_for_every_number() -> None:
    normalizer = ColumnNormalizer(ValueNormalizer())
    rnd = random.Random(3)
    for code in (f"{n:03d}" for n in range(300, 1000)):
        if not normalizer._code_valid(code):
            continue
        for _ in range(15):
            number = int(code + f"{rnd.randrange(10**7):07d}")
            valid = phonenumbers.is_valid_number(
                phonenumbers.PhoneNumber(country_code=7, national_number=number)
            )
            assert valid, number


# --- the record as received ------------------------------------------------------------------

keys = st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=6, unique=True)
columns = st.sampled_from([None, "id", *EDITABLE_FIELDS])
stored_values = st.none() | st.text(max_size=6) | st.sampled_from(["", "x"])


@settings(max_examples=400, deadline=None)
@given(data=st.data(), names=keys, empty=st.sampled_from([None, ""]))
def test_a_record_is_rebuilt_exactly_from_its_delta(
    data: st.DataObject, names: list[str], empty: str | None
) -> None:
    layout = Layout(tuple(names), tuple(data.draw(columns) for _ in names), empty)
    rows = data.draw(st.integers(min_value=1, max_value=4))
    records = [[data.draw(stored_values | json_values) for _ in names] for _ in range(rows)]
    stored = [{c: data.draw(stored_values) for c in ("id", *EDITABLE_FIELDS)} for _ in range(rows)]
    for values, row in zip(records, stored, strict=True):
        record = dict(zip(names, values, strict=True))
        found = delta(layout, values, row)
        assert _same(rebuild(layout, found, row), record)
        assert _same(rebuild(layout, json.loads(delta_text(layout, values, row)), row), record)
    by_column = {c: [row[c] for row in stored] for c in ("id", *EDITABLE_FIELDS)}
    received = [list(column) for column in zip(*records, strict=True)]
    assert delta_texts(layout, received, by_column, rows) == [
        delta_text(layout, values, row) for values, row in zip(records, stored, strict=True)
    ]


def _same(a: Any, b: Any) -> bool:
    # As JSON text: NaN is not equal to itself, but it is the same received value.
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def _csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="cp1251", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)


RUSSIAN_ROW = {
    "№ заявки": "2026-000501",
    "Дата поступления": "03.11.2026 10:15",
    "ФИО клиента": "Иванов Иван Иванович",
    "Телефон": "8 916 204 31 77",
    "E-mail": "",
    "Категория": "сроки",
    "Суть обращения": "Отчёт не готов в срок.",
    "Статус в ИС": "В работе",
}


def test_show_gives_the_record_as_received_before_and_after_fill(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "export.csv"
    _csv(path, [RUSSIAN_ROW])
    assert cli("fetch", str(path)).exit_code == 0
    shown = cli("show", "2026-000501", "--json").json()
    assert shown["raw"] == RUSSIAN_ROW
    assert shown["client_phone"] == "+79162043177"
    result = cli("fill", "2026-000501", "--set", "client_phone=+7 903 111-22-33", "--json")
    assert result.json()["saved"] is True  # exit 1: other fields are still missing
    shown = cli("show", "2026-000501", "--json").json()
    assert shown["client_phone"] == "+79031112233"
    assert shown["raw"] == RUSSIAN_ROW  # the ИС's value, not the executor's
    # The same export again: the executor's phone stays, the ИС's is a conflict, and the
    # record as received is still the export's row.
    again = cli("fetch", str(path), "--json").json()
    assert again["unchanged"] == 1
    assert cli("show", "2026-000501", "--json").json()["raw"] == RUSSIAN_ROW


def test_tickets_stored_before_layouts_keep_their_whole_record(ws: Workspace) -> None:
    from srgcli.workspace import reads, writes

    record = {"id": "2026-000777", "Телефон": "8 916 204 31 77", "extra": [1, 2]}
    writes.insert_ticket(ws.conn, {"id": "2026-000777", "raw": record}, command="test")
    ticket = reads.get_ticket(ws, "2026-000777")
    assert ticket is not None and ticket.raw == record


def test_an_import_next_to_another_open_connection_keeps_the_wal(
    tmp_path: Path, ws: Workspace
) -> None:
    path = tmp_path / "export.csv"
    _csv(path, [RUSSIAN_ROW])
    other = sqlite3.connect(ws.root / "srgcli.db")
    try:
        assert other.execute("select count(*) from tickets").fetchone()[0] == 0
        assert import_files(ws, [str(path)]).new == 1
        assert other.execute("select count(*) from tickets").fetchone()[0] == 1
    finally:
        other.close()
    assert ws.conn.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_an_import_alone_keeps_the_wal_and_checkpoints(tmp_path: Path, ws: Workspace) -> None:
    path = tmp_path / "export.csv"
    _csv(path, [RUSSIAN_ROW])
    assert import_files(ws, [str(path)]).new == 1
    assert ws.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    # Automatic checkpoints are back on after the batch.
    assert ws.conn.execute("pragma wal_autocheckpoint").fetchone()[0] == 1000
    again = open_workspace(ws.root)
    try:
        assert again.conn.execute("select count(*) from tickets").fetchone()[0] == 1
    finally:
        again.close()


@settings(max_examples=300, deadline=None)
@given(a=st.lists(json_values, min_size=1, max_size=4), data=st.data())
def test_records_that_differ_have_different_digests(a: list[Any], data: st.DataObject) -> None:
    b = data.draw(st.lists(json_values, min_size=len(a), max_size=len(a)))
    digests = record_hashes([list(column) for column in zip(a, b, strict=True)], 2)
    if json.dumps(a) != json.dumps(b):
        assert digests[0] != digests[1]
    else:
        assert digests[0] == digests[1]


def test_a_repeated_record_is_skipped_and_a_changed_one_is_not(tmp_path: Path, cli: Cli) -> None:

    path = tmp_path / "t.json"
    first = ticket_record("2026-000601", bank="1")
    path.write_text(json.dumps([first], ensure_ascii=False), "utf-8")
    assert cli("fetch", str(path), "--json").json()["new"] == 1
    assert cli("fetch", str(path), "--json").json()["unchanged"] == 1
    # The same text of the value, but a number now: stored the same, received differently.
    path.write_text(json.dumps([{**first, "bank": 1}], ensure_ascii=False), "utf-8")
    assert cli("fetch", str(path), "--json").json()["unchanged"] == 1
    assert cli("show", "2026-000601", "--json").json()["raw"]["bank"] == 1


def test_changed_settings_normalise_a_repeated_record_again(ws_root: Path, cli: Cli) -> None:

    path = ws_root / "t.json"
    path.write_text(json.dumps([ticket_record("2026-000602")], ensure_ascii=False), "utf-8")
    assert cli("fetch", str(path), "--json").json()["new"] == 1
    config = ws_root / "srgcli.toml"
    text = config.read_text("utf-8")
    assert 'order_id_pattern = ""' in text
    config.write_text(text.replace('order_id_pattern = ""', 'order_id_pattern = "Z-\\\\d+"'))
    assert cli("fetch", str(path), "--json").json()["updated"] == 1
    shown = cli("show", "2026-000602", "--json").json()
    assert "order_id" in shown["invalid"]


def test_the_garbage_collector_is_back_after_an_import_and_after_a_failure(
    tmp_path: Path, ws: Workspace
) -> None:
    import gc

    from srgcli.exit import SrgError

    path = tmp_path / "export.csv"
    _csv(path, [RUSSIAN_ROW])
    assert gc.isenabled()
    import_files(ws, [str(path)])
    assert gc.isenabled()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "1"},', "utf-8")
    with pytest.raises(SrgError):
        import_files(ws, [str(broken)])
    assert gc.isenabled()
