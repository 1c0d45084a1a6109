"""The workspace config, `srgcli.toml`: defaults, loading, and type checks with line numbers.

The commented default file in `srgcli/data/srgcli.default.toml` is the single source of
truth for which settings exist and what type each has.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from srgcli.exit import ExitCode, SrgError

CONFIG_NAME = "srgcli.toml"
# Sections whose keys are free-form (user-defined names).
FREE_SECTIONS = {"fetch.mapping"}
# Free-form sections whose values are amounts in rubles (prices by category, by variant).
PRICE_SECTIONS = {"billing.category_prices", "billing.variant_prices"}


def default_config_text() -> str:
    """The commented default config, as `init` writes it."""
    # A plain path, not importlib.resources: this runs on every command's start-up.
    return (Path(__file__).resolve().parents[1] / "data" / "srgcli.default.toml").read_text("utf-8")


def _defaults() -> dict[str, Any]:
    return tomllib.loads(default_config_text())


@dataclass(frozen=True)
class ExecutorProfile:
    """Who the executor is, as printed in reports and letters."""

    name: str
    status: str
    inn: str
    phone: str
    email: str


@dataclass(frozen=True)
class Config:
    """The loaded, type-checked config; `data` holds every section with defaults filled in."""

    path: Path | None
    data: dict[str, Any]

    def section(self, name: str) -> dict[str, Any]:
        """A section by dotted name ("is", "fetch.mapping"), defaults included."""
        node: Any = self.data
        for part in name.split("."):
            node = node.get(part, {})
        return dict(node)

    @property
    def executor(self) -> ExecutorProfile:
        """The executor's profile."""
        e = self.data["executor"]
        return ExecutorProfile(e["name"], e["status"], e["inn"], e["phone"], e["email"])

    def require_signature(self) -> ExecutorProfile:
        """The executor's profile for a letter or report; exit 3 when the name is missing.

        Letters and reports are signed with it: an unsigned text must not leave.
        """
        profile = self.executor
        if not profile.name.strip():
            from srgcli.exit import PreconditionError

            where = f" ({self.path})" if self.path else ""
            raise PreconditionError(
                f"Не заполнено ФИО исполнителя: [executor] name в srgcli.toml{where}. "
                "Письма и отчёты подписываются им.",
                hint='Впишите, например: name = "Петрова Анна Сергеевна"',
            )
        return profile

    @property
    def required_fields(self) -> tuple[str, ...]:
        """Fields a ticket must have to count as filled."""
        return tuple(self.data["fill"]["required"])

    @property
    def sla_days(self) -> int:
        """Business days from receipt to the ticket's deadline."""
        return int(self.data["sla"]["ticket_days"])

    def calendar(self) -> Any:
        """The business calendar with this workspace's extra days off and working days."""
        from srgcli.calendar import BusinessCalendar, parse_dates

        sla = self.data["sla"]
        hours, minutes = (int(p) for p in sla["workday_end"].split(":"))
        return BusinessCalendar(
            extra_days_off=parse_dates(sla["days_off"]),
            extra_working_days=parse_dates(sla["working_days"]),
            workday_end=time(hours, minutes),
        )


def default_config() -> Config:
    """The config a fresh workspace has."""
    return Config(None, _defaults())


def load_config(path: Path) -> Config:
    """Read and check `srgcli.toml`; any problem is an SrgError naming the file and line."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError as exc:
        raise SrgError(f"Не найден файл настроек {path}.", ExitCode.USAGE) from exc
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        raise SrgError(
            f"{path}, строка {bad_line}: файл настроек не в кодировке UTF-8.",
            ExitCode.USAGE,
            hint="Сохраните srgcli.toml в кодировке UTF-8.",
        ) from exc
    except OSError as exc:
        raise SrgError(
            f"Не удалось прочитать файл настроек {path}: {_os_reason(exc)}.", ExitCode.USAGE
        ) from exc
    try:
        user = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        if line:
            where = f"{path}, строка {line}"
        elif "end of document" in str(exc):
            where = f"{path}, конец файла (строка {max(1, len(text.splitlines()))})"
        else:
            where = str(path)
        raise SrgError(
            f"{where}: ошибка синтаксиса TOML ({_toml_reason(str(exc))}).",
            ExitCode.USAGE,
            hint="Проверьте кавычки, скобки и знак «=» в этой строке.",
        ) from exc
    merged = _merge_checked(_defaults(), user, path, text, prefix="")
    _check_values(merged, path, text)
    return Config(path, merged)


def _merge_checked(
    defaults: dict[str, Any], user: dict[str, Any], path: Path, text: str, prefix: str
) -> dict[str, Any]:
    result = dict(defaults)
    for key, value in user.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            raise SrgError(
                f"{_where(path, text, dotted)}: неизвестная настройка «{dotted}».",
                ExitCode.USAGE,
                hint="Список настроек — в файле, который создаёт srgcli init.",
            )
        expected = defaults[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise SrgError(
                    f"{_where(path, text, dotted)}: «{dotted}» должно быть разделом [{dotted}].",
                    ExitCode.USAGE,
                )
            if dotted in PRICE_SECTIONS:
                for k, v in value.items():
                    if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                        raise SrgError(
                            f"{_where(path, text, f'{dotted}.{k}')}: цена «{k}» в [{dotted}] "
                            "должна быть неотрицательным числом рублей, например 1500.0.",
                            ExitCode.USAGE,
                        )
                result[key] = dict(value)
            elif dotted in FREE_SECTIONS:
                for k, v in value.items():
                    if not isinstance(v, str):
                        raise SrgError(
                            f"{_where(path, text, f'{dotted}.{k}')}: значение «{k}» в "
                            f"[{dotted}] должно быть строкой в кавычках.",
                            ExitCode.USAGE,
                        )
                result[key] = dict(value)
            else:
                result[key] = _merge_checked(expected, value, path, text, f"{dotted}.")
            continue
        if not _same_type(expected, value):
            raise SrgError(
                f"{_where(path, text, dotted)}: «{dotted}» должно быть {_type_name(expected)}, "
                f"{_given_name(value)}.",
                ExitCode.USAGE,
            )
        result[key] = value
    return result


def _check_values(data: dict[str, Any], path: Path, text: str) -> None:
    """Checks beyond types: enumerations, dates, time of day, patterns."""
    from srgcli.model import ExecutorStatus

    def fail(key: str, reason: str) -> SrgError:
        return SrgError(f"{_where(path, text, key)}: «{key}» — {reason}.", ExitCode.USAGE)

    if ExecutorStatus.try_parse(data["executor"]["status"]) is None:
        raise fail("executor.status", 'ожидается "self-employed" или "sole-proprietor"')
    inn = data["executor"]["inn"]
    if inn:
        from srgcli.normalize.values import inn_problem

        problem = inn_problem(inn)
        if problem:
            raise fail("executor.inn", problem)
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", data["sla"]["workday_end"]):
        raise fail("sla.workday_end", 'ожидается время в виде "18:00"')
    for key in ("days_off", "working_days"):
        for value in data["sla"][key]:
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise fail(f"sla.{key}", f'«{value}» не дата вида "2026-12-31"') from None
    for key in ("ticket_days", "first_contact_days", "report_days", "reply_days"):
        if data["sla"][key] < 0:
            raise fail(f"sla.{key}", "число рабочих дней не может быть отрицательным")
    for key, value in data["review"].items():
        if value < 0:
            raise fail(f"review.{key}", "порог не может быть отрицательным")
    for key in ("fill.order_id_pattern", "fetch.id_pattern"):
        section, name = key.split(".")
        pattern = data[section][name]
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                where = f", позиция {exc.pos + 1}" if exc.pos is not None else ""
                raise fail(key, f"неверное регулярное выражение{where}") from None
    if not data["fetch"]["id_pattern"]:
        raise fail("fetch.id_pattern", "нужно регулярное выражение для номера заявки")
    for key in ("max_field_chars", "max_record_chars", "id_max_length"):
        if data["fetch"][key] < 1:
            raise fail(f"fetch.{key}", "значение должно быть не меньше 1")
    from srgcli.model import FIELD_LABELS

    for name in data["fill"]["required"]:
        if name not in FIELD_LABELS:
            raise fail(
                "fill.required",
                f"неизвестное поле «{name}»; допустимо: {', '.join(FIELD_LABELS)}",
            )
    for key, low in (("page_size", 1), ("retries", 0), ("timeout", 1)):
        if data["is"][key] < low:
            raise fail(f"is.{key}", f"значение должно быть не меньше {low}")
    if data["report"]["pdf_timeout"] < 1:
        raise fail("report.pdf_timeout", "значение должно быть не меньше 1")
    if data["checker"]["engine"] not in ("pylat", "languagetool"):
        raise fail("checker.engine", 'ожидается "pylat" или "languagetool"')
    _check_billing(data, fail)


def _check_billing(data: dict[str, Any], fail: Any) -> None:
    """[customer] and [billing]: ИНН and КПП with their control digits, prices, the regime."""
    from srgcli.normalize.values import kpp_problem, party_inn_problem

    customer = data["customer"]
    if customer["inn"]:
        problem = party_inn_problem(customer["inn"])
        if problem:
            raise fail("customer.inn", f"ИНН Заказчика не принят: {problem}")
    if customer["kpp"]:
        problem = kpp_problem(customer["kpp"])
        if len(customer["inn"].strip()) == 12:
            problem = "у ИП и физического лица (ИНН из 12 цифр) нет КПП; оставьте его пустым"
        if problem:
            raise fail("customer.kpp", f"КПП Заказчика не принят: {problem}")
    if customer["contract_date"]:
        try:
            date.fromisoformat(customer["contract_date"])
        except ValueError:
            raise fail("customer.contract_date", 'ожидается дата вида "2026-01-15"') from None
    billing = data["billing"]
    if billing["regime"] not in ("npd", "usn6"):
        raise fail("billing.regime", 'ожидается "npd" (НПД) или "usn6" (УСН «доходы» 6 %)')
    if billing["regime"] == "usn6" and data["executor"]["status"] != "sole-proprietor":
        raise fail(
            "billing.regime",
            'УСН применяет только ИП: укажите [executor] status = "sole-proprietor" или '
            'режим "npd"',
        )
    for key in ("price", "deduction_left"):
        if billing[key] < 0:
            raise fail(f"billing.{key}", "значение не может быть отрицательным")
    from srgcli.model import Category

    for key in billing["category_prices"]:
        if Category.try_parse(key) is None:
            raise fail(f"billing.category_prices.{key}", "неизвестная категория обращения")
    for key in billing["variant_prices"]:
        if key not in ("A", "B"):
            raise fail(f"billing.variant_prices.{key}", 'вариант сдачи — "A" или "B"')


def _same_type(expected: Any, value: Any) -> bool:
    if isinstance(expected, bool):
        return isinstance(value, bool)
    if isinstance(expected, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(expected, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(expected, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(expected))


# For each TOML type: what a setting of that type must be, and what the user wrote instead.
# bool comes before int (a bool is an int in Python).
_TYPE_WORDS: tuple[tuple[type, str, str], ...] = (
    (bool, "true или false", "а указано логическое значение"),
    (int, "целым числом", "а указано целое число"),
    (float, "числом", "а указано дробное число"),
    (str, "строкой в кавычках", "а указана строка"),
    (list, "списком строк", "а указан список не из строк"),
    (dict, "разделом", "а указан раздел"),
)


def _type_name(value: Any) -> str:
    """What a setting must be: "должно быть целым числом"."""
    return next((must for kind, must, _ in _TYPE_WORDS if isinstance(value, kind)), "значением")


def _given_name(value: Any) -> str:
    """What the user wrote instead: "а указана строка"."""
    if value == []:
        return "а указан список"
    return next(
        (given for kind, _, given in _TYPE_WORDS if isinstance(value, kind)),
        "а указано значение другого типа",
    )


def _where(path: Path, text: str, dotted: str) -> str:
    line = _key_line(text, dotted)
    return f"{path}, строка {line}" if line else str(path)


def _key_line(text: str, dotted: str) -> int | None:
    """The line where a dotted key is set, found by scanning sections; None if not found."""
    *section_parts, key = dotted.split(".")
    section = ".".join(section_parts)
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).replace('"', "").replace(" ", "")
            if current == dotted:
                return number
            continue
        match = re.match(r'("?)([^"=]+?)\1\s*=', line)
        if match and current == section and match.group(2).strip() == key:
            return number
    return None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _toml_reason(message: str) -> str:
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    reason = re.sub(r"\s*\(at end of document\)", "", reason)
    known = {
        "Invalid value": "неверное значение (строки берите в кавычки)",
        "Expected '=' after a key": "после имени ожидается «=»",
        "Cannot declare": "раздел объявлен повторно",
        "Cannot overwrite a value": "настройка указана повторно",
        "Cannot mutate immutable namespace": "настройка указана повторно",
        "Unclosed array": "не закрыт список «]»",
        "Unclosed inline table": "не закрыта фигурная скобка «}»",
        "Expected ']' at the end of a table declaration": "не закрыта скобка «]» в имени раздела",
        "Expected ']]' at the end of an array declaration": "не закрыты скобки «]]»",
        "Expected newline or end of document": "после значения ожидается перевод строки",
        "Illegal character": "недопустимый символ",
        "Invalid statement": "неверная строка",
        "Invalid initial character for a key part": "неверное имя настройки",
        "Invalid date or datetime": "неверная дата",
        "Unterminated string": "не закрыта кавычка",
        "Found invalid character in string": "недопустимый символ в строке",
        "Unescaped": "недопустимый символ в строке",
    }
    for english, russian in known.items():
        if reason.startswith(english):
            return russian
    return "неверная запись"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "файл не в кодировке UTF-8"
    if isinstance(exc, OSError):
        from srgcli.exit import os_error_text

        return os_error_text(exc)
    return exc.__class__.__name__
