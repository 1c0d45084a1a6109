"""`srgcli check` and `srgcli dict`: the spelling, style and etiquette gate on any text."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from srgcli.cli.common import (
    FormatOption,
    ask_choice,
    command_options,
    emit_json,
    environment,
    err,
    interactive,
    new_app,
    open_ws,
    optional_ws,
    out,
    warn_unknown_rules,
)
from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.gate.documents import Document
    from srgcli.gate.engine import Gate
    from srgcli.gate.issue import GateResult
    from srgcli.workspace import Workspace

FORMATS = ("rich", "json", "github")
ENGINES = ("pylat", "languagetool")

dict_app = new_app("Словарь рабочей папки: слова, которые проверка текста принимает.")


def register(app: typer.Typer) -> None:
    """Add `check` and the `dict` group to the application."""
    app.command("check", **command_options("srgcli check письмо.txt --format json"))(check_command)
    dict_app.command("add", **command_options("srgcli dict add Росреестр Кадастр-Сервис"))(dict_add)
    dict_app.command("list", **command_options("srgcli dict list --json"))(dict_list)
    dict_app.command("remove", **command_options("srgcli dict remove Росреестр"))(dict_remove)
    app.add_typer(dict_app, name="dict")


def check_command(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Файлы .txt, .md или .docx (можно несколько, как их передаёт pre-commit); "
            "«-» или ничего — текст со стандартного ввода.",
            metavar="[ФАЙЛ…|-]",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = "rich",
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Движок: pylat (встроенный) или languagetool (сервер). "
            "По умолчанию — из \\[checker] engine.",
            metavar="ДВИЖОК",
            show_default=False,
        ),
    ] = None,
    ticket: Annotated[
        str | None,
        typer.Option(
            "--ticket",
            help="Номер заявки: её имена, адрес и коды не считаются ошибками.",
            metavar="ЗАЯВКА",
            show_default=False,
        ),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="В терминале: пройти по замечаниям, выбрать исправления и сохранить "
            "файл .txt/.md.",
        ),
    ] = False,
    disable: Annotated[
        list[str] | None,
        typer.Option(
            "--disable",
            help="Не применять правило (id из замечаний; можно несколько раз) — вдобавок к "
            "\\[checker] disabled_rules. О неизвестном id будет предупреждение.",
            metavar="ПРАВИЛО",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Проверить орфографию, грамматику, стиль и деловой этикет текста.

    Код выхода 1, если найдена хотя бы одна ошибка; предупреждения не мешают. Можно указать
    несколько файлов (так их передаёт pre-commit): замечания выводятся по каждому, счётчики
    суммируются. Пустой текст (или одни пробелы) проверять нечего: об этом сообщается, код
    выхода 0, а --format json выводит нулевые счётчики.
    """
    from srgcli.gate.documents import read_document, ticket_context
    from srgcli.gate.engine import open_gate

    if output_format not in FORMATS:
        raise typer.BadParameter(
            f"неизвестный формат «{output_format}». Допустимо: {', '.join(FORMATS)}.",
            param_hint="--format",
        )
    if engine is not None and engine not in ENGINES:
        raise typer.BadParameter(
            f"неизвестный движок «{engine}». Допустимо: {', '.join(ENGINES)}.",
            param_hint="--engine",
        )
    if fix and not interactive(ctx):
        raise SrgError(
            "--fix работает только в терминале (и без --no-input).",
            ExitCode.USAGE,
        )
    if not sources:
        if environment(ctx).stdin_isatty:
            raise SrgError(
                "Укажите файл для проверки или передайте текст через стандартный ввод.",
                ExitCode.USAGE,
                hint="Например: srgcli check письмо.txt или echo ТЕКСТ | srgcli check -",
            )
        sources = ["-"]
    if sources.count("-") > 1:
        raise SrgError("Стандартный ввод можно указать только один раз.", ExitCode.USAGE)
    stdin_text = sys.stdin.read() if "-" in sources else None
    # Every file is read first: a missing one is a usage error before any checking starts.
    documents = [read_document(source, stdin_text) for source in sources]
    if fix and not all(d.fixable for d in documents):
        raise SrgError("--fix исправляет только файлы .txt и .md.", ExitCode.USAGE)
    ws = optional_ws(ctx)
    warn_unknown_rules(ws, disable or ())
    context: list[str] = []
    if ticket is not None:
        if ws is None:
            raise SrgError("--ticket требует рабочую папку.", ExitCode.USAGE)
        from srgcli.tickets import require_ticket

        context = ticket_context(ws, require_ticket(ws, ticket))
    gate: Gate | None = None
    checked: list[tuple[Document, GateResult]] = []
    for document in documents:
        if not document.text.strip():
            _report_empty(document)
            continue
        if gate is None:  # loading an engine takes time: not for empty files only
            gate = open_gate(ws, engine, disable or ())
        if document.path is not None and document.path.suffix.lower() == ".docx":
            from srgcli.gate.documents import check_docx

            result = check_docx(gate, document.path, context)
        else:
            result = gate.check(document.text, context)
        if fix:
            result = _fix(gate, document, result, context, ws)
        checked.append((document, result))
    if output_format == "json":
        emit_json(results_json(checked))
    elif output_format == "github":
        for document, result in checked:
            _print_github(document, result)
    else:
        _print_rich(checked, len(documents))
    if any(result.errors for _, result in checked):
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _report_empty(document: Document) -> None:
    """An empty text has nothing wrong in it, but saying nothing would hide a wrong file."""
    what = "Текст со стандартного ввода" if document.path is None else f"Файл {document.name}"
    err().print(f"{what} пуст: проверять нечего.", markup=False)


def results_json(checked: list[tuple[Document, GateResult]]) -> dict[str, Any]:
    """The documented JSON shape of `check --format json`, over one or several files: the
    counts are totals and each issue names its `file` ("-" for standard input)."""
    issues: list[dict[str, Any]] = []
    for document, result in checked:
        issues += [{**issue, "file": document.name} for issue in result_json(result)["issues"]]
    return {
        "errors": sum(result.errors for _, result in checked),
        "warnings": sum(result.warnings for _, result in checked),
        "issues": issues,
    }


def result_json(result: GateResult) -> dict[str, Any]:
    """The documented JSON shape of `check --format json`."""
    from srgcli.gate.documents import position

    issues = []
    for issue in result.issues:
        line, column = position(result.text, issue.offset)
        issues.append(
            {
                "rule": issue.rule,
                "category": str(issue.category),
                "severity": str(issue.severity),
                "message": issue.message,
                "line": line,
                "column": column,
                "offset": issue.offset,
                "length": issue.length,
                "replacements": list(issue.replacements),
            }
        )
    return {"errors": result.errors, "warnings": result.warnings, "issues": issues}


def _print_github(document: Document, result: GateResult) -> None:
    from srgcli.cli.views.issues import github_escape
    from srgcli.gate.documents import position

    name = github_escape(document.name, prop=True)
    for issue in result.issues:
        line, column = position(result.text, issue.offset)
        level = "error" if str(issue.severity) == "error" else "warning"
        message = issue.message
        if issue.replacements:
            message += " Варианты: " + ", ".join(f"«{r}»" for r in issue.replacements[:3]) + "."
        sys.stdout.write(
            f"::{level} file={name},line={line},col={column},title={issue.rule}::"
            f"{github_escape(message)}\n"
        )


def _print_rich(checked: list[tuple[Document, GateResult]], files: int) -> None:
    from rich.text import Text

    from srgcli.cli.views.issues import issue_text

    console = out()
    for document, result in checked:
        for issue in result.issues:
            console.print(issue_text(result.text, issue, document.name, console.width))
            console.print()
    if not checked:
        return
    errors = sum(result.errors for _, result in checked)
    warnings = sum(result.warnings for _, result in checked)
    summary = checked[0][1].summary
    line = Text()
    if files > 1:
        line.append(f"Файлов: {files}. ")
    if errors:
        line.append(f"Ошибок: {errors}", style="bold red")
    else:
        line.append("Ошибок нет", style="bold green")
    line.append(f", предупреждений: {warnings}. ")
    line.append(f"Движок {summary.engine} {summary.engine_version}", style="dim")
    if summary.disabled_rules:
        line.append(f"; отключены правила: {', '.join(summary.disabled_rules)}", style="dim")
    if summary.dictionary:
        line.append(f"; слов в словаре: {len(summary.dictionary)}", style="dim")
    line.append(".", style="dim")
    console.print(line)


def _fix(
    gate: Gate,
    document: Document,
    result: GateResult,
    context: list[str],
    ws: Workspace | None,
) -> GateResult:
    """Walk through the issues on a terminal; write the corrected file; check it again."""
    from srgcli.cli.views.issues import issue_text
    from srgcli.gate.dictionary import add_words
    from srgcli.gate.fix import Edit, apply_edits

    edits: list[Edit] = []
    added: set[str] = set()
    console = err()
    for issue in result.issues:
        word = result.text[issue.offset : issue.end]
        if word.lower() in added:
            continue
        console.print(issue_text(result.text, issue, document.name, console.width))
        choices = {str(n): r for n, r in enumerate(issue.replacements[:5], 1)}
        menu = [f"{n} — «{r}»" for n, r in choices.items()]
        can_add = ws is not None and str(issue.category) == "spelling" and " " not in word
        if can_add:
            menu.append("д — добавить в словарь")
        menu += ["п — пропустить", "в — выйти без сохранения"]
        console.print("    " + "; ".join(menu))
        allowed = [*choices, *(["д"] if can_add else []), "п", "в"]
        answer = ask_choice("    Ваш выбор", allowed, "п", console)
        if answer == "в":
            raise typer.Exit(int(ExitCode.PROBLEMS if result.errors else ExitCode.OK))
        if answer == "д" and ws is not None:
            add_words(ws.conn, [word])
            added.add(word.lower())
        elif answer in choices:
            edits.append(Edit.from_issue(issue, choices[answer]))
    if ws is not None and added:
        from srgcli.gate.engine import open_gate

        gate = open_gate(ws, gate.engine.name, gate.disabled_rules)
    if edits and document.path is not None:
        fixed = apply_edits(result.text, edits)
        document.path.write_text(fixed, encoding="utf-8")
        console.print(f"Исправлений: {len(edits)}; файл {document.name} сохранён.")
        document.text = fixed
    return gate.check(document.text, context)


def dict_add(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Слова.", metavar="СЛОВО…")],
) -> None:
    """Добавить слова в словарь рабочей папки (имена, термины, названия)."""
    from srgcli.gate.dictionary import add_words

    change = add_words(open_ws(ctx).conn, words)
    if change.changed:
        err().print("Добавлено в словарь: " + ", ".join(change.changed))
    if change.unchanged:
        err().print("Уже были в словаре: " + ", ".join(change.unchanged))


def dict_remove(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Слова.", metavar="СЛОВО…")],
) -> None:
    """Удалить слова из словаря рабочей папки."""
    from srgcli.gate.dictionary import remove_words

    change = remove_words(open_ws(ctx).conn, words)
    if change.changed:
        err().print("Удалено из словаря: " + ", ".join(change.changed))
    if change.unchanged:
        err().print("Не было в словаре: " + ", ".join(change.unchanged))


def dict_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Показать словарь рабочей папки."""
    from srgcli.gate.dictionary import list_words

    words = list_words(open_ws(ctx).conn)
    if as_json:
        emit_json(words)
        return
    if not words:
        err().print("Словарь пуст. Добавьте слова: [bold]srgcli dict add СЛОВО…[/]")
        return
    for word in words:
        out().print(word, markup=False)
