"""Property tests: parsers never crash on arbitrary input; fast paths agree with validators."""

from __future__ import annotations

import io
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srgcli.exit import SrgError
from srgcli.fetch.files import Reader
from srgcli.normalize.fast import ValueNormalizer, fast_email, fast_phone
from srgcli.normalize.mapping import ColumnMapper
from srgcli.normalize.values import normalize_email, normalize_phone
from tests.builders import field_text, json_values, mobile

FORMATS = ["json", "jsonl", "csv", "xlsx", "stdin"]
FIELDS = ["id", "received_at", "due_at", "client_phone", "client_email", "order_date", "category"]


def _read(fmt: str, data: bytes) -> list[Any]:
    reader = Reader("fuzz", fmt, io.BytesIO(data), len(data))
    try:
        return [r.data for r in reader.records()]
    except SrgError:
        return []


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_parsers_survive_arbitrary_bytes(fmt: str, data: bytes) -> None:
    _read(fmt, data)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "stdin"])
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=string.printable + '[]{}",;:\tабв№ё\ufeff', max_size=300))
def test_parsers_survive_arbitrary_text(fmt: str, text: str) -> None:
    _read(fmt, text.encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(
    record=st.dictionaries(
        st.sampled_from([*FIELDS, "Телефон", "№ заявки", "history", "x"]), json_values
    )
)
def test_mapping_and_normalising_arbitrary_records(record: dict[str, Any]) -> None:
    mapped = ColumnMapper().map(record)
    normalizer = ValueNormalizer()
    for name, value in mapped.items():
        if name not in ("id", "history"):
            stored, reason = normalizer.normalize(name, value)
            assert stored is None or isinstance(stored, str)
            assert reason is None or isinstance(reason, str)


def test_importer_never_crashes_on_arbitrary_records(ws: Any) -> None:
    from hypothesis import given as given_

    from srgcli.fetch import Importer, SourceRecord

    @settings(max_examples=150, deadline=None)
    @given_(items=st.lists(json_values, max_size=5))
    def check(items: list[Any]) -> None:
        ws.conn.execute("begin immediate")
        try:
            importer = Importer(ws)
            importer.feed(SourceRecord("fuzz", n, item) for n, item in enumerate(items, start=1))
            records = [{"id": f"F{n}", "history": item} for n, item in enumerate(items)]
            importer.feed(SourceRecord("fuzz", n, r) for n, r in enumerate(records, start=1))
        finally:
            ws.conn.execute("rollback")

    check()


@settings(max_examples=300, deadline=None)
@given(text=mobile | st.text(alphabet="+0123456789 ()-", max_size=18))
def test_fast_phone_agrees_with_phonenumbers(text: str) -> None:
    fast = fast_phone(text)
    if fast is None:
        return
    assert normalize_phone(text) == fast


@settings(max_examples=300, deadline=None)
@given(
    text=st.from_regex(
        r"[a-z0-9._+\-]{1,12}@[a-z0-9\-]{1,10}(\.[a-z0-9\-]{1,6}){1,2}", fullmatch=True
    )
    | st.text(alphabet="abcXY.@-_+0", max_size=20)
)
def test_fast_email_agrees_with_email_validator(text: str) -> None:
    fast = fast_email(text)
    if fast is None:
        return
    assert normalize_email(text) == fast


@pytest.mark.parametrize(
    "text", ["+7 (916) 204-31-77", "8 916 204 31 77", "89162043177", "+7-916-204-31-77"]
)
def test_fast_phone_takes_the_common_forms(text: str) -> None:
    assert fast_phone(text) == "+79162043177"


@settings(max_examples=300, deadline=None)
@given(
    record=st.fixed_dictionaries(
        {},
        optional={
            name: field_text
            for name in (
                "received_at",
                "due_at",
                "client_name",
                "client_phone",
                "client_email",
                "order_date",
                "object_type",
                "bank",
                "category",
                "complaint_text",
            )
        },
    )
)
def test_bulk_normaliser_agrees_with_normalize_record(record: dict[str, str]) -> None:
    from srgcli.normalize.values import normalize_record

    expected = normalize_record({"id": "1", **record})
    normalizer = ValueNormalizer()
    for name, value in record.items():
        stored, reason = normalizer.normalize(name, value)
        assert stored == expected.values[name]
        assert (reason is not None) == (name in expected.invalid)
