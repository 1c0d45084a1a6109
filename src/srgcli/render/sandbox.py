"""The Jinja sandbox every template (report and letter) is rendered in, with bounds.

Jinja's own sandbox keeps templates away from Python's internals; it does not bound the work a
template may ask for. Here `*` on a string or list, `**`, and `range()` are bounded, so that
`('Ж' * 10**8)|length` or `range(10**9)` is refused at once (a `SandboxLimit`, exit 2) instead
of exhausting memory. Runtime faults are put in Russian by `runtime_reason`.
"""

from __future__ import annotations

import operator
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

# The longest string or list `*` may build, the most items `range()` may give, and the most
# bits a power may have (2**4096 is already a 1,234-digit number).
MAX_REPEAT = 100_000
MAX_RANGE = 10_000
MAX_POWER_BITS = 4096


class SandboxLimit(SecurityError):
    """An operation a template may not do: its message is in Russian, for the user."""


def bounded_range(*args: int) -> range:
    """`range()` for templates: at most MAX_RANGE items."""
    try:
        items = range(*args)
    except (TypeError, ValueError) as exc:
        raise SandboxLimit("«range()» ожидает целые числа, шаг не может быть нулём") from exc
    if len(items) > MAX_RANGE:
        raise SandboxLimit(
            f"«range()» на {len(items):,} элементов — больше допустимых {MAX_RANGE:,}".replace(
                ",", "\u00a0"
            )
        )
    return items


def _repeat(left: Any, right: Any) -> Any:
    sequence, count = (left, right) if isinstance(right, int) else (right, left)
    if (
        isinstance(sequence, str | list | tuple)
        and isinstance(count, int)
        and len(sequence) * max(count, 0) > MAX_REPEAT
    ):
        raise SandboxLimit(
            f"повторение строки или списка длиннее {MAX_REPEAT:,} символов запрещено".replace(
                ",", "\u00a0"
            )
        )
    return operator.mul(left, right)


def _power(left: Any, right: Any) -> Any:
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and abs(left) > 1
        and right > 0
        and abs(left).bit_length() * right > MAX_POWER_BITS
    ):
        raise SandboxLimit("слишком большое число при возведении в степень")
    return operator.pow(left, right)


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox with `*`, `**` and `range()` bounded (see the module's docstring)."""

    # Intercepted operators are also not folded at compile time, so the bound holds there too.
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = bounded_range

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        """`*` and `**` within their bounds; other operators as usual."""
        if operator_name == "*":
            return _repeat(left, right)
        if operator_name == "**":
            return _power(left, right)
        return super().call_binop(context, operator_name, left, right)


# Report templates are single DOCX files: Jinja has no loader to find another template with.
INCLUDE_REFUSED = (
    "вставка других шаблонов ({% include %}, {% import %}, {% extends %}) в шаблоне "
    "отчёта не поддерживается"
)

_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (ZeroDivisionError, "деление на ноль"),
    (OverflowError, "слишком большое число"),
    (MemoryError, "шаблону не хватило памяти"),
    (RecursionError, "слишком глубокая рекурсия (макрос вызывает сам себя?)"),
    (ArithmeticError, "ошибка вычисления"),
)


def runtime_reason(exc: BaseException) -> str:
    """A runtime fault of a template in Russian, never with the values involved (they may be
    the client's personal data)."""
    from srgcli.render.filters import FilterFault

    if isinstance(exc, SandboxLimit):
        return str(exc.message)
    if isinstance(exc, FilterFault):
        return f"фильтр не смог обработать значение: {exc}"
    if isinstance(exc, TypeError) and "no loader" in str(exc):
        return INCLUDE_REFUSED
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return reason
    return f"значение не удалось обработать ({type(exc).__name__})"


# The runtime faults a template can cause (besides Jinja's own TemplateError).
RUNTIME_FAULTS = (TypeError, ValueError, ArithmeticError, MemoryError, RecursionError, LookupError)


def template_line(exc: BaseException, filename: str) -> int | None:
    """The line of the template `filename` a render error came from: Jinja puts the template's
    own frames, with its file name and line, into the traceback (the last one is the deepest)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
