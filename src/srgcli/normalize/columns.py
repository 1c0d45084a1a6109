"""Normalising a whole column of received values at once: the same results, far fewer calls.

`fetch` stores a chunk of records column by column. Each column is joined into one string and
checked with a single regular expression (and, where a value needs rewriting, rewritten with
one substitution), so the per-value work happens in C. Whenever a column has anything the
bulk check does not vouch for, that column falls back to `ValueNormalizer.normalize` value by
value, which is the reference: `ColumnNormalizer.column` always returns exactly what the
per-value normaliser would (tests check this on generated columns).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from srgcli.normalize.fast import ValueNormalizer

# Joins the values of a column: printable and not white space, so `str.isprintable()` and the
# patterns below never confuse it with a value's spaces. A value containing it is simply
# normalised on its own.
SEP = "\u2400"  # ␀, SYMBOL FOR NULL

# One column's stored values, and the reason for each invalid one by its index.
ColumnResult = tuple[list[str | None], dict[int, str]]


def _column_pattern(value: str) -> re.Pattern[str]:
    """A column of values that are empty or match `value`, separated by SEP."""
    one = f"(?:{value})?"
    return re.compile(f"{one}(?:{SEP}{one})*")


# Text fields: what is stored is the text with its ends stripped, or with all runs of white
# space collapsed. A column needs no change when no value has white space at an end (and, for
# collapsed text, no white space but single inner spaces). Every white space character but
# the space is unprintable, so a printable column has only spaces to look at.
_EDGE_SPACE = re.compile(rf"{SEP}(?:(?=\s)|(?<=\s.))")  # starts with a literal: a fast scan
_SPACE_EDGES = (f"{SEP} ", f" {SEP}")

# Moments: ISO 8601 in Moscow time or "03.11.2026 10:15", from 2015 on (Moscow has kept +03:00
# since 2014, so the stored form can be written directly). Day validity is checked afterwards.
_YEAR = "20(?:1[5-9]|[2-9][0-9])"
_HOUR = "(?:[01][0-9]|2[0-3])"
_MIN = "[0-5][0-9]"
_ISO_MOMENT = f"{_YEAR}-[0-9]{{2}}-[0-9]{{2}}T{_HOUR}:{_MIN}:{_MIN}\\+03:00"
_RU_MOMENT = f"[0-9]{{2}}\\.[0-9]{{2}}\\.{_YEAR} {_HOUR}:{_MIN}"
_MOMENTS = _column_pattern(f"{_ISO_MOMENT}|{_RU_MOMENT}")

# Calendar dates: "2026-11-03" or "03.11.2026" (any four-digit year).
_DATES = _column_pattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}\.[0-9]{2}\.[0-9]{4}")

# Russian numbers as `values.fast_phone` takes them: +7 or 8, then ten digits with the usual
# separators. Rewritten to E.164 by dropping the separators and replacing a leading 8.
_PHONES = _column_pattern(
    r"(?:\+7|8)[ \-]?\(?[3-9][0-9]{2}\)?[ \-]?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}"
)

# Lower-case ASCII addresses as `values.fast_email` keeps them; anything near its edge cases
# (long parts, "--", ".@", special-use domains) goes value by value.
_EMAILS = _column_pattern(
    r"[a-z0-9](?:[a-z0-9_+\-]|\.(?!\.))*[a-z0-9]?@"
    r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
)
_SPECIAL_DOMAIN = re.compile(rf"\.(?:arpa|invalid|local|localhost|onion|test)(?={SEP}|$)")
_LONGEST_LOCAL_PART = 64  # a whole address no longer than this cannot have a longer one

# "Фамилия Имя Отчество", already as `normalize.values.normalize_client_name` writes it.
_NAME_WORD = "[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_NAMES = _column_pattern(f"{_NAME_WORD}(?: {_NAME_WORD}){{1,2}}")

# Columns with few distinct values (categories, banks…) are normalised once per value.
_DISTINCT_SHARE = 4


class ColumnNormalizer:
    """Normalises columns of received values; the result equals `values.normalize` per value."""

    def __init__(self, values: ValueNormalizer) -> None:
        self.values = values
        plain = self._plain
        # Fields whose values may need rewriting: the stored column, or None.
        self._rewrite: dict[str, Callable[[str], list[str | None] | None]] = {
            "received_at": self._moments,
            "due_at": self._moments,
            "order_date": self._dates,
            "client_phone": self._phones,
            "client_email": self._emails,
        }
        # Fields whose values are stored as they are once the check passes.
        self._check: dict[str, Callable[[str], bool]] = {
            "client_name": self._names,
            "complaint_text": self._stripped,
            "client_demand": self._stripped,
            "object_address": plain,
            "bank": plain,
            "appraiser": plain,
        }
        if not values.order_id_pattern:
            self._check["order_id"] = plain
        self._by_value = frozenset({"object_type", "category", "bank", "appraiser", "order_date"})
        self._valid_days: set[str] = set()
        self._phone_codes: dict[str, bool | None] = {}

    def column(self, name: str, values: Sequence[Any]) -> ColumnResult:
        """Stored values of one field for many records, and reasons for the invalid ones."""
        count = len(values)
        if not count:
            return [], {}
        if None in values:  # a missing value is stored like an empty one
            values = ["" if v is None else v for v in values]
        try:
            joined = SEP.join(values)
        except TypeError:  # a number, a list…: value by value
            return self._each(name, values)
        if joined.count(SEP) != count - 1:  # SEP inside a value
            return self._each(name, values)
        if name in self._by_value and count >= _DISTINCT_SHARE:
            distinct = set(values)
            if len(distinct) * _DISTINCT_SHARE <= count:
                return self._distinct(name, values, distinct)
        check = self._check.get(name)
        if check is not None:
            if check(joined):
                return [value or None for value in values], {}
            return self._each(name, values)
        rewrite = self._rewrite.get(name)
        stored = rewrite(joined) if rewrite is not None else None
        if stored is None:
            return self._each(name, values)
        return stored, {}

    def _each(self, name: str, values: Sequence[Any]) -> ColumnResult:
        normalize = self.values.normalize
        stored: list[str | None] = []
        reasons: dict[int, str] = {}
        for index, value in enumerate(values):
            result, reason = normalize(name, value)
            stored.append(result)
            if reason is not None:
                reasons[index] = reason
        return stored, reasons

    def _distinct(self, name: str, values: Sequence[str], distinct: set[str]) -> ColumnResult:
        normalize = self.values.normalize
        results = {value: normalize(name, value) for value in distinct}
        stored = [results[value][0] for value in values]
        reasons: dict[int, str] = {}
        if any(reason is not None for _, reason in results.values()):
            for index, value in enumerate(values):
                reason = results[value][1]
                if reason is not None:
                    reasons[index] = reason
        return stored, reasons

    # --- bulk checks: the stored column, or None to go value by value ------------------------

    @staticmethod
    def _split(joined: str) -> list[str | None]:
        return [value or None for value in joined.split(SEP)]

    @staticmethod
    def _spaced_edges(joined: str) -> bool:
        return (
            joined[:1].isspace()
            or joined[-1:].isspace()
            or _SPACE_EDGES[0] in joined
            or _SPACE_EDGES[1] in joined
        )

    # These three only check: the values are stored as they are (empty ones as None).

    def _stripped(self, joined: str) -> bool:
        if self._spaced_edges(joined):
            return False
        return joined.isprintable() or not _EDGE_SPACE.search(joined)

    def _plain(self, joined: str) -> bool:
        return joined.isprintable() and "  " not in joined and not self._spaced_edges(joined)

    def _names(self, joined: str) -> bool:
        return _NAMES.fullmatch(joined) is not None

    def _emails(self, joined: str) -> list[str | None] | None:
        if not _EMAILS.fullmatch(joined) or "--" in joined or ".@" in joined:
            return None
        if _SPECIAL_DOMAIN.search(joined):
            return None
        stored = self._split(joined)
        if max(map(len, filter(None, stored)), default=0) > _LONGEST_LOCAL_PART:
            return None
        return stored

    def _moments(self, joined: str) -> list[str | None] | None:
        if not _MOMENTS.fullmatch(joined):
            return None
        stored = self._split(joined)
        if "." in joined:  # "03.11.2026 10:15" -> "2026-11-03T10:15:00+03:00"
            stored = [
                f"{v[6:10]}-{v[3:5]}-{v[:2]}T{v[11:16]}:00+03:00" if v and v[2] == "." else v
                for v in stored
            ]
        if not self._days_valid({value[:10] for value in stored if value is not None}):
            return None
        return stored

    def _dates(self, joined: str) -> list[str | None] | None:
        if not _DATES.fullmatch(joined):
            return None
        stored = self._split(joined)
        if "." in joined:  # "03.11.2026" -> "2026-11-03"
            stored = [f"{v[6:10]}-{v[3:5]}-{v[:2]}" if v and v[2] == "." else v for v in stored]
        if not self._days_valid({value for value in stored if value is not None}):
            return None
        return stored

    def _days_valid(self, days: set[str]) -> bool:
        """True when every "YYYY-MM-DD" is a real calendar day."""
        unknown = days - self._valid_days
        for day in unknown:
            try:
                date.fromisoformat(day)
            except ValueError:
                return False
        self._valid_days |= unknown
        return True

    def _phones(self, joined: str) -> list[str | None] | None:
        if not _PHONES.fullmatch(joined):
            return None
        # Drop the separators, then write a leading 8 as +7 (str.replace is a fast C loop).
        digits = joined.replace(" ", "").replace("-", "").replace("(", "").replace(")", "")
        digits = (SEP + digits).replace(SEP + "8", SEP + "+7")[1:]
        stored = self._split(digits)
        codes = {value[2:5] for value in stored if value is not None}
        doubtful = [code for code in codes if not self._code_valid(code)]
        if doubtful:
            # A code whose validity depends on more digits (93X), or an invalid one: check
            # those numbers one by one like values.fast_phone does.
            from srgcli.normalize.fast import fast_phone

            for value in stored:
                if value is not None and value[2:5] in doubtful and fast_phone(value) != value:
                    return None
        return stored

    def _code_valid(self, code: str) -> bool:
        """True when every ten-digit number with this three-digit code is valid in Russia.

        Mobile codes 9XX other than 93X are all valid; for others phonenumbers' metadata is
        sampled once per code (Russian fixed-line validity is decided by the code alone);
        a code where the samples disagree is checked number by number.
        """
        known = self._phone_codes.get(code)
        if known is None:
            if code[0] == "9":
                known = code[1] != "3"
            else:
                import phonenumbers

                samples = {
                    phonenumbers.is_valid_number(
                        phonenumbers.PhoneNumber(country_code=7, national_number=int(code + rest))
                    )
                    for rest in ("0000000", "1234567", "5555555", "9999999")
                }
                known = samples == {True}
            self._phone_codes[code] = known
        return known
