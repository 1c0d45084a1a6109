"""Russian for the parts of the interface that Typer and Click word in English.

Typer's help panels and Click's usage errors are translated here, lazily: nothing in this
module imports Rich until help or an error is actually shown.
"""

from __future__ import annotations

import re
from typing import Any

import click
from click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup, TyperOption

HELP_TEXT = "Показать эту справку и выйти."

_PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "Аргументы",
    "OPTIONS_PANEL_TITLE": "Параметры",
    "COMMANDS_PANEL_TITLE": "Команды",
    "ERRORS_PANEL_TITLE": "Ошибка",
    "ABORTED_TEXT": "Прервано.",
    "RICH_HELP": "Справка: [blue]{command_path} {help_option}[/]",
    "DEFAULT_STRING": "[по умолчанию: {}]",
    "ENVVAR_STRING": "[переменная окружения: {}]",
    "REQUIRED_LONG_STRING": "[обязательно]",
}

# Click's usage errors, as regular expressions with Russian replacements.
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"^Missing option '([^']+)'.*", r"Не указан обязательный параметр \1."),
    (r"^Missing argument '([^']+)'.*", r"Не указан обязательный аргумент \1."),
    (r"^Missing parameter: (.+)", r"Не указан параметр \1."),
    (
        r"^No such option:? '?([^'\s]+?)'?\.? Did you mean '?([^'\s]+?)'?\?$",
        r"Нет такого параметра: \1. Возможно, имелось в виду \2?",
    ),
    (
        r"^No such option:? '?([^'\s]+?)'?\.? \(Possible options: (.+)\)$",
        r"Нет такого параметра: \1. Возможные варианты: \2.",
    ),
    (r"^No such option:? '?([^'\s]+?)'?\.?$", r"Нет такого параметра: \1."),
    (r"^No such command '([^']+)'\.", r"Нет такой команды: \1."),
    (r"^Option '([^']+)' requires an argument\.", r"Параметру \1 нужно значение."),
    (r"^Option '([^']+)' does not take a value\.", r"Параметр \1 не принимает значения."),
    (r"^Got unexpected extra arguments? \((.+)\)", r"Лишние аргументы: \1."),
    (
        r"^Invalid value for '([^']+)': '([^']*)' is not one of (.+)\.",
        r"Неверное значение \1: «\2». Допустимо: \3.",
    ),
    (
        r"^Invalid value for '([^']+)': '([^']*)' is not a valid integer\.",
        r"Неверное значение \1: «\2» — ожидается целое число.",
    ),
    (
        r"^Invalid value for '([^']+)': (?:Path|File) '([^']*)' does not exist\.",
        r"Неверное значение \1: файл «\2» не существует.",
    ),
    (r"^Invalid value for '([^']+)': (.*)", r"Неверное значение \1: \2"),
    # A parameter's own check (BadParameter with no parameter named): «неизвестный статус …».
    (r"^Invalid value: (.*)", r"Неверное значение: \1"),
)


def translate_error(message: str) -> str:
    """A Click usage error in Russian (unknown messages are returned unchanged)."""
    for pattern, replacement in _ERRORS:
        if re.match(pattern, message, flags=re.S):
            text = re.sub(pattern, replacement, message, count=1, flags=re.S)
            text = text.replace(" Did you mean", " Возможно, имелось в виду")
            # Click and Typer may each append the same suggestion: keep one.
            text = re.sub(r"(Возможно, имелось в виду [^?]+\?)(?:\s*\1)+", r"\1", text)
            return re.sub(r"\s+\.$", ".", text.strip()).replace(". .", ".").strip()
    return message


def russian_usage_error(exc: UsageError) -> UsageError:
    """The same usage error worded in Russian.

    Click builds some messages only in format_message() (missing argument, no such option),
    so the whole formatted text is translated into a plain UsageError.
    """
    russify_rich()
    message = _global_option_misplaced(exc) or translate_error(exc.format_message())
    return UsageError(message, ctx=exc.ctx)


# Options of `srgcli` itself: they go before the command, which does not know them.
_GLOBAL_OPTIONS = {"--no-input": "", "--debug": "", "--workspace": " ПАПКА", "-w": " ПАПКА"}


def _global_option_misplaced(exc: UsageError) -> str | None:
    """For `srgcli COMMAND --no-input`: where the option goes, instead of "no such option"."""
    from click.exceptions import NoSuchOption

    if not isinstance(exc, NoSuchOption) or exc.option_name not in _GLOBAL_OPTIONS:
        return None
    if exc.ctx is None or exc.ctx.parent is None:
        return None
    root, _, command = exc.ctx.command_path.partition(" ")
    name = exc.option_name
    return (
        f"Параметр {name} — общий для всех команд и пишется перед командой: "
        f"{root} {name}{_GLOBAL_OPTIONS[name]} {command} …"
    )


def russify_rich() -> None:
    """Translate Typer's help and error panel titles (imports Rich: call only when needed)."""
    from typer import rich_utils

    for name, text in _PANEL_TITLES.items():
        setattr(rich_utils, name, text)


def _translate_usage(text: str) -> str:
    return (
        text.replace("Usage:", "Использование:")
        .replace("[OPTIONS]", "[ПАРАМЕТРЫ]")
        .replace("COMMAND [ARGS]...", "КОМАНДА [АРГУМЕНТЫ]...")
    )


class _RussianMixin:
    """Shared overrides for commands and groups."""

    def get_help_option(self, ctx: click.Context) -> TyperOption | None:
        option: TyperOption | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_usage(self, ctx: click.Context) -> str:
        return _translate_usage(super().get_usage(ctx))  # type: ignore[misc]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        russify_rich()
        for param in getattr(self, "params", []):
            # Typer prints an argument's Python name (ticket_id) beside its metavar (ID);
            # the metavar alone is what the user types. Parsing uses `name`, not `opts`.
            if isinstance(param, click.Argument) and param.metavar:
                param.opts = [""]
        import warnings

        with warnings.catch_warnings():
            # Two such arguments share the blank name: Click's duplicate check is moot here.
            warnings.filterwarnings("ignore", message="The parameter .* is used more than once")
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc, no-any-return]
        except UsageError as exc:
            raise russian_usage_error(exc) from None


class RussianCommand(_RussianMixin, TyperCommand):
    """A Typer command whose help and errors speak Russian."""


class RussianGroup(_RussianMixin, TyperGroup):
    """A Typer group whose help and errors speak Russian."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            raise russian_usage_error(exc) from None
