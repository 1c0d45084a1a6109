"""Normalising received values in bulk: the rules of `srgcli.validate`, made cheap per record.

Exact fast paths handle the common forms (a Russian mobile number, a plain ASCII e-mail)
and give the same result as the full validators (tests check that); everything else goes
to `srgcli.validate.normalize_field`. Values that repeat across tickets are cached.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from srgcli.validate import normalize_field

_CACHED_FIELDS = frozenset({"order_date", "object_type", "bank", "appraiser", "category"})
_CACHE_LIMIT = 50_000
# +7 or 8, then a mobile number 9XX (except the partly allocated 93X), separators allowed.
_MOBILE = re.compile(
    r"(?:\+7|8)[ \-]?\(?(9[0-24-9][0-9])\)?[ \-]?([0-9]{3})[ \-]?([0-9]{2})[ \-]?([0-9]{2})"
)
_EMAIL = re.compile(
    r"[a-z0-9](?:[a-z0-9_+\-]|\.(?!\.))*[a-z0-9]?@"
    r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
)
_SPECIAL_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_TS_MOSCOW = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+03:00")


def fast_phone(text: str) -> str | None:
    """E.164 for a plainly written Russian mobile number, or None to use the full parser."""
    match = _MOBILE.fullmatch(text)
    if match is None:
        return None
    return "+7" + "".join(match.groups())


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
        return (str(int(value)) if value.is_integer() else repr(value)), None
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text, "ожидается текст, а получен список или объект"


class ValueNormalizer:
    """Normalises field values like `validate.normalize_field`, with fast paths and caches."""

    def __init__(self, order_id_pattern: str = "") -> None:
        self.order_id_pattern = order_id_pattern
        self._cache: dict[tuple[str, str], tuple[str, str | None]] = {}

    def normalize(self, name: str, value: Any) -> tuple[str | None, str | None]:
        """(stored value, None) or (value as received, reason it is invalid)."""
        text, reason = as_text(value)
        if text is None or reason is not None:
            return text, reason
        stripped = text.strip()
        if not stripped:
            return None, None
        if name == "complaint_text":
            return stripped, None
        if name == "client_phone":
            fast = fast_phone(stripped)
            if fast is not None:
                return fast, None
        elif name == "client_email":
            fast = fast_email(stripped)
            if fast is not None:
                return fast, None
        elif name in ("received_at", "due_at"):
            if _TS_MOSCOW.fullmatch(stripped) and stripped >= "2015":
                # Already the stored form (Moscow has kept +03:00 since 2014): only check it.
                try:
                    datetime.fromisoformat(stripped)
                except ValueError:
                    pass
                else:
                    return stripped, None
        elif name in _CACHED_FIELDS:
            key = (name, stripped)
            hit = self._cache.get(key)
            if hit is None:
                if len(self._cache) > _CACHE_LIMIT:
                    self._cache.clear()
                hit = self._slow(name, stripped)
                self._cache[key] = hit
            return hit
        return self._slow(name, stripped)

    def _slow(self, name: str, text: str) -> tuple[str, str | None]:
        try:
            return normalize_field(name, text, self.order_id_pattern), None
        except ValueError as exc:
            return text, str(exc)
