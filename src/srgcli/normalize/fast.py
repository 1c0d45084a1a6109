"""Normalising received values one by one: the rules of `srgcli.normalize.values`, made cheap.

This is the reference `normalize.columns` falls back to (and is tested against).

Exact fast paths handle the common forms (a Russian mobile number, a plain ASCII e-mail)
and give the same result as the full validators (tests check that); everything else goes
to `srgcli.normalize.values.normalize_field`. Values that repeat across tickets are cached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from srgcli.normalize.values import normalize_field

_CACHED_FIELDS = frozenset({"order_date", "object_type", "bank", "appraiser", "category"})
_CACHE_LIMIT = 50_000
# +7 or 8, then a ten-digit Russian number with the usual separators.
_RU_NUMBER = re.compile(
    r"(?:\+7|8)[ \-]?\(?([3-9][0-9]{2})\)?[ \-]?([0-9]{3})[ \-]?([0-9]{2})[ \-]?([0-9]{2})"
)
_EMAIL = re.compile(
    r"[a-z0-9](?:[a-z0-9_+\-]|\.(?!\.))*[a-z0-9]?@"
    r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
)
_SPECIAL_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_RU_MINUTES = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4}) ([0-9]{2}):([0-9]{2})")
_NAME_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_NAME_DONE = re.compile(f"{_NAME_WORD}(?: {_NAME_WORD}){{1,2}}")
_TS_MOSCOW = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+03:00")


def fast_phone(text: str) -> str | None:
    """E.164 for a plainly written valid Russian number, or None to use the full parser.

    Mobile numbers 9XX (except the partly allocated 93X) are all valid; other codes are
    checked against phonenumbers' own metadata, skipping only its slow text parsing.
    """
    match = _RU_NUMBER.fullmatch(text)
    if match is None:
        return None
    national = "".join(match.groups())
    if national[0] != "9" or national[1] == "3":
        import phonenumbers

        number = phonenumbers.PhoneNumber(country_code=7, national_number=int(national))
        if not phonenumbers.is_valid_number(number):
            return None
    return "+7" + national


def fast_email(text: str) -> str | None:
    """A lower-case ASCII address that the full validator keeps as is, or None."""
    if len(text) > 254 or _EMAIL.fullmatch(text) is None:
        return None
    local, _, domain = text.partition("@")
    if (
        len(local) > 64
        or local.endswith(".")
        or "--" in domain
        or domain.rsplit(".", 1)[-1] in _SPECIAL_DOMAINS
    ):
        return None
    return text


def as_text(value: Any) -> tuple[str | None, str | None]:
    """A received value as text, and a reason when its type cannot be a field value."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return ("да" if value else "нет"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        # Whole numbers without ".0"; from 2**53 on a float is no exact integer (1.5e300 is
        # not a 301-digit number), so it keeps its own form.
        exact = value.is_integer() and abs(value) < 2.0**53
        return (str(int(value)) if exact else repr(value)), None
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text, "ожидается текст, а получен список или объект"


class ValueNormalizer:
    """Normalises values like `normalize.values.normalize_field`, with fast paths and caches."""

    def __init__(self, order_id_pattern: str = "") -> None:
        self.order_id_pattern = order_id_pattern
        self._caches: dict[str, dict[str, tuple[str, str | None]]] = {
            name: {} for name in _CACHED_FIELDS
        }
        plain = self._spaces
        self._handlers: dict[str, Callable[[str, str], tuple[str, str | None]]] = {
            "complaint_text": self._as_is,
            "client_phone": self._phone,
            "client_email": self._email,
            "received_at": self._moment,
            "due_at": self._moment,
            "client_name": self._name,
            "object_address": plain,
            "client_demand": self._as_is,
            "order_id": self._slow if order_id_pattern else plain,
            **dict.fromkeys(_CACHED_FIELDS, self._cached),
        }

    def normalize(self, name: str, value: Any) -> tuple[str | None, str | None]:
        """(stored value, None) or (value as received, reason it is invalid)."""
        if value.__class__ is not str:
            text, reason = as_text(value)
            if text is None or reason is not None:
                return text, reason
            value = text
        stripped = value.strip()
        if not stripped:
            return None, None
        handler = self._handlers.get(name)
        if handler is None:
            return self._slow(name, stripped)
        return handler(name, stripped)

    def _as_is(self, name: str, text: str) -> tuple[str, str | None]:
        return text, None

    def _spaces(self, name: str, text: str) -> tuple[str, str | None]:
        return " ".join(text.split()), None

    def _phone(self, name: str, text: str) -> tuple[str, str | None]:
        fast = fast_phone(text)
        return (fast, None) if fast is not None else self._slow(name, text)

    def _email(self, name: str, text: str) -> tuple[str, str | None]:
        fast = fast_email(text)
        return (fast, None) if fast is not None else self._slow(name, text)

    def _name(self, name: str, text: str) -> tuple[str, str | None]:
        # Already "Фамилия Имя Отчество": normalize_client_name would return it unchanged.
        if _NAME_DONE.fullmatch(text):
            return text, None
        return self._slow(name, text)

    def _moment(self, name: str, text: str) -> tuple[str, str | None]:
        # Moscow has kept +03:00 without DST since 2014, so for later dates the stored form
        # can be written directly; everything else goes through the validator.
        if _TS_MOSCOW.fullmatch(text) and text >= "2015":
            try:
                datetime.fromisoformat(text)
            except ValueError:
                pass
            else:
                return text, None
        match = _RU_MINUTES.fullmatch(text)
        if match is not None and match[3] >= "2015":
            day, month, year, hour, minute = match.groups()
            try:
                datetime(int(year), int(month), int(day), int(hour), int(minute))
            except ValueError:
                pass
            else:
                return f"{year}-{month}-{day}T{hour}:{minute}:00+03:00", None
        return self._slow(name, text)

    def _cached(self, name: str, text: str) -> tuple[str, str | None]:
        cache = self._caches[name]
        hit = cache.get(text)
        if hit is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            hit = cache[text] = self._slow(name, text)
        return hit

    def _slow(self, name: str, text: str) -> tuple[str, str | None]:
        try:
            return normalize_field(name, text, self.order_id_pattern), None
        except ValueError as exc:
            return text, str(exc)
