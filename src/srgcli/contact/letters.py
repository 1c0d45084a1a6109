"""Letter templates for written answers to clients: Jinja2 files rendered in a sandbox.

Built-in templates live in `srgcli/data/letters/*.j2`; a workspace may add its own or override
a built-in one by name in `<[templates] dir>/letters/`. A template's first lines may carry
`{#- title: … -#}` (shown by `contact-log templates`) and `{#- requires: finding -#}` (the
letter needs the review's verdict). Templates are rendered with StrictUndefined, so a misspelt
variable is an error, never an empty gap in a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, PreconditionError, SrgError

if TYPE_CHECKING:
    from srgcli.model import Finding, Ticket
    from srgcli.workspace import Workspace
    from srgcli.workspace.config import ExecutorProfile

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "data" / "letters"
SUFFIX = ".j2"

_TITLE = re.compile(r"\{#-?\s*title:\s*(?P<title>.*?)\s*-?#\}")
_REQUIRES = re.compile(r"\{#-?\s*requires:\s*(?P<what>[\w, ]+?)\s*-?#\}")
_NAME = re.compile(r"[\w\-]+")


@dataclass(frozen=True)
class LetterTemplate:
    """One available letter template."""

    name: str
    title: str
    path: Path
    source: str  # "builtin" or "workspace"
    requires: tuple[str, ...] = ()


def workspace_dir(ws: Workspace) -> Path:
    """The workspace's own letter templates: `<[templates] dir>/letters/`."""
    folder = Path(str(ws.config.section("templates").get("dir") or "templates"))
    return (folder if folder.is_absolute() else ws.root / folder) / "letters"


def describe(path: Path, source: str) -> LetterTemplate:
    """A template file with its title and requirements read from its first lines."""
    try:
        head = path.read_text("utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        head = ""
    title = _TITLE.search(head)
    requires = _REQUIRES.search(head)
    return LetterTemplate(
        name=path.name[: -len(SUFFIX)],
        title=title["title"] if title else "",
        path=path,
        source=source,
        requires=tuple(w.strip() for w in requires["what"].split(",")) if requires else (),
    )


def available(ws: Workspace) -> dict[str, LetterTemplate]:
    """Templates by name, sorted; a workspace template overrides a built-in one of that name."""
    found: dict[str, LetterTemplate] = {}
    for folder, source in ((BUILTIN_DIR, "builtin"), (workspace_dir(ws), "workspace")):
        if folder.is_dir():
            for path in sorted(folder.glob(f"*{SUFFIX}")):
                found[path.name[: -len(SUFFIX)]] = describe(path, source)
    return dict(sorted(found.items()))


def template_files(ws: Workspace | None) -> list[Path]:
    """Every letter template file: the built-in ones, then the workspace's own."""
    folders = [BUILTIN_DIR] + ([workspace_dir(ws)] if ws is not None else [])
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.glob(f"*{SUFFIX}"))]


def find(ws: Workspace, name: str) -> LetterTemplate:
    """The template called `name` (with or without `.j2`); exit 2 with the list if unknown."""
    key = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    templates = available(ws)
    if key not in templates or not _NAME.fullmatch(key):
        names = ", ".join(templates) or "нет"
        raise SrgError(
            f"Шаблон письма «{name}» не найден. Доступны: {names}.",
            ExitCode.USAGE,
            hint="Список с описаниями: srgcli contact-log templates",
        )
    return templates[key]


def _salutation(full_name: str) -> dict[str, str]:
    """Surname, name, patronymic and a polite address: «Уважаемая Ольга Викторовна!»."""
    parts = full_name.split()
    surname, name, patronymic = [*parts, "", "", ""][:3] if len(parts) >= 2 else ("", "", "")
    if len(parts) == 1:
        name = parts[0]
    gender = _gender(surname, patronymic)
    if name and patronymic:
        polite = f"{name} {patronymic}"
    elif name:
        polite = name if gender else f"{name} {surname}".strip()
    else:
        polite = ""
    if not polite:
        salutation = "Добрый день!"
    elif gender == "f":
        salutation = f"Уважаемая {polite}!"
    elif gender == "m":
        salutation = f"Уважаемый {polite}!"
    else:
        salutation = f"Здравствуйте, {polite}!"
    return {
        "full_name": full_name,
        "surname": surname,
        "name": name,
        "patronymic": patronymic,
        "polite": polite,
        "salutation": salutation,
    }


def _gender(surname: str, patronymic: str) -> str:
    """ "m", "f" or "" from the patronymic, else from a typical surname ending."""
    p, s = patronymic.casefold(), surname.casefold()
    if p.endswith(("вна", "чна", "шна", "кызы")):
        return "f"
    if p.endswith(("вич", "ич", "оглы")):
        return "m"
    if s.endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")):
        return "f"
    if s.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий")):
        return "m"
    return ""


def letter_context(
    ws: Workspace, ticket: Ticket, finding: Finding | None, sent_at: datetime | None = None
) -> dict[str, Any]:
    """What a letter template sees: `ticket`, `client`, `executor`, `finding`, `today`;
    `sent_at` is when the letter goes out (default now)."""
    term = ReplyTerm(ws.calendar, int(ws.config.section("sla").get("reply_days", 2)))
    return build_context(ws.config.executor, ticket, finding, sent_at, term)


@dataclass(frozen=True)
class ReplyTerm:
    """The business calendar and the `[sla] reply_days` a promised date is counted with when
    the ticket's own deadline has passed."""

    calendar: Any
    days: int


def reply_by(ticket: Ticket, sent_at: datetime, term: ReplyTerm) -> tuple[datetime | None, bool]:
    """The date a letter sent at `sent_at` may promise an answer by, and whether the ticket's
    own deadline has passed by then: the deadline while it is ahead, else `term.days` business
    days from sending. (None, False) when the ticket has no readable deadline."""
    if not ticket.due_at or "due_at" in ticket.invalid:
        return None, False
    try:
        due = datetime.fromisoformat(ticket.due_at)
        if due > sent_at:
            return due, False
    except (ValueError, TypeError):  # unreadable, or a stored form without an offset
        return None, False
    return term.calendar.due_at(sent_at, max(term.days, 1)), True


def build_context(
    profile: ExecutorProfile,
    ticket: Ticket,
    finding: Finding | None,
    sent_at: datetime | None = None,
    term: ReplyTerm | None = None,
) -> dict[str, Any]:
    """The letter context from the executor's profile, the ticket and its finding (if any),
    for a letter sent at `sent_at` (default now)."""
    from srgcli.calendar import BusinessCalendar, now
    from srgcli.model import TICKET_FIELDS, Category, ExecutorStatus, Verdict
    from srgcli.render.measures import measures_json
    from srgcli.ru import format_date

    moment = sent_at or now()
    promise, late = reply_by(ticket, moment, term or ReplyTerm(BusinessCalendar(), 2))
    ticket_data: dict[str, Any] = {name: ticket.value(name) or "" for name in TICKET_FIELDS}
    ticket_data["received_date"] = format_date(ticket.received_at) if ticket.received_at else ""
    ticket_data["due_date"] = format_date(ticket.due_at) if ticket.due_at else ""
    # What a letter may promise: never a date already past when it is sent.
    ticket_data["reply_date"] = format_date(promise) if promise else ""
    ticket_data["reply_late"] = late
    category = Category.try_parse(ticket.category)
    ticket_data["category_label"] = category.label if category else ticket.category or ""
    status = ExecutorStatus.try_parse(profile.status)
    finding_data: dict[str, Any] | None = None
    if finding is not None:
        verdict = Verdict.try_parse(finding.verdict)
        found_category = Category.try_parse(finding.category)
        finding_data = {
            "verdict": finding.verdict,
            "verdict_label": verdict.label if verdict else finding.verdict,
            "category": finding.category or "",
            "category_label": found_category.label if found_category else "",
            "description": finding.description or "",
            "root_cause": finding.root_cause or "",
            "responsible": finding.responsible or "",
            "corrective_action": finding.corrective_action or "",
            **measures_json(finding.corrective_action),
        }
    return {
        "ticket": ticket_data,
        "client": _salutation(ticket.client_name or ""),
        "executor": {
            "name": profile.name,
            "status": profile.status,
            "status_label": status.label if status else profile.status,
            "inn": profile.inn,
            "phone": profile.phone,
            "email": profile.email,
        },
        "finding": finding_data,
        "today": format_date(moment),
    }


def sample_context(*, with_finding: bool) -> dict[str, Any]:
    """A letter context from the sample data `templates check` renders report templates with."""
    from srgcli.model import TICKET_FIELDS, Finding, Ticket
    from srgcli.render.context import sample_context as report_sample
    from srgcli.workspace.config import ExecutorProfile

    sample = report_sample()
    ticket = Ticket(**{name: sample["ticket"].get(name) for name in TICKET_FIELDS})
    e = sample["executor"]
    profile = ExecutorProfile(e["name"], e["status"], e["inn"], e["phone"], e["email"])
    f = sample["finding"]
    finding = Finding(
        ticket_id=ticket.id,
        verdict=f["verdict"],
        category=f["category"],
        description=f["description"],
        root_cause=f["root_cause"],
        responsible=f["responsible"],
        corrective_action=f["corrective_action"],
    )
    return build_context(profile, ticket, finding if with_finding else None)


# The names a letter template may use: the keys of `letter_context()`.
CONTEXT_NAMES = ("ticket", "client", "executor", "finding", "today")


def environment(folders: list[Path]) -> Any:
    """The sandbox letters are rendered in: StrictUndefined, plain text, files from `folders`,
    and the report's Russian filters (`phone`, `ru_date`, `initials`, …)."""
    import jinja2

    from srgcli.render.filters import FILTERS
    from srgcli.render.sandbox import BoundedSandbox

    env = BoundedSandbox(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


@dataclass(frozen=True)
class LetterFault(Exception):
    """A letter template that cannot be rendered: what is wrong (in Russian), in which file and
    on which line of it."""

    kind: str  # "syntax", "undefined", "sandbox", "filter", "file"
    message: str
    path: Path
    line: int | None = None

    def as_error(self, name: str) -> SrgError:
        """The user-facing error for `contact-log`: exit 2, a fault of the template."""
        where = f", строка {self.line}" if self.line else ""
        check = "Проверить шаблон: srgcli templates check ПУТЬ"
        names = ", ".join(CONTEXT_NAMES)
        hint = f"Доступны переменные: {names}. {check}" if self.kind == "undefined" else check
        return SrgError(
            f"Шаблон письма «{name}» ({self.path}){where}: {self.message}.", ExitCode.USAGE, hint
        )


def render_file(env: Any, path: Path, context: dict[str, Any]) -> str:
    """Render the template file `path` (found by name through `env`'s loader) with `context`;
    a broken template is a LetterFault."""
    import jinja2
    from jinja2.exceptions import SecurityError

    from srgcli.render.sandbox import RUNTIME_FAULTS, SandboxLimit, runtime_reason
    from srgcli.render.syntax import explain

    try:
        return str(env.get_template(path.name).render(context))
    except jinja2.TemplateSyntaxError as exc:
        fault = explain(exc, getattr(exc, "source", None))
        where = Path(exc.filename) if exc.filename else path
        raise LetterFault("syntax", fault.message, where, fault.line) from None
    except jinja2.UndefinedError as exc:
        raise LetterFault("undefined", _undefined_text(exc), path, _line(exc, path)) from None
    except SandboxLimit as exc:
        raise LetterFault("sandbox", runtime_reason(exc), path, _line(exc, path)) from None
    except SecurityError as exc:
        raise LetterFault(
            "sandbox", "обращение к служебным атрибутам запрещено", path, _line(exc, path)
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise LetterFault(
            "file", f"не найден шаблон «{exc.name}»", path, _line(exc, path)
        ) from None
    except jinja2.TemplateError as exc:
        raise LetterFault(
            "syntax", f"ошибка шаблона ({type(exc).__name__})", path, _line(exc, path)
        ) from None
    except UnicodeDecodeError:
        raise LetterFault("file", "файл не в кодировке UTF-8", path) from None
    except OSError as exc:
        from srgcli.exit import os_error_text

        raise LetterFault("file", f"не удалось прочитать: {os_error_text(exc)}", path) from None
    except RUNTIME_FAULTS as exc:
        raise LetterFault("filter", runtime_reason(exc), path, _line(exc, path)) from None


def _line(exc: BaseException, path: Path) -> int | None:
    """The template line a render error came from (see `render.sandbox.template_line`)."""
    from srgcli.render.sandbox import template_line

    return template_line(exc, str(path))


def render(
    ws: Workspace,
    name: str,
    ticket: Ticket,
    finding: Finding | None,
    sent_at: datetime | None = None,
) -> str:
    """The letter `name` for this ticket, sent at `sent_at` (default now); exit 2 on a broken
    template, 3 if it needs a finding."""
    template = find(ws, name)
    ws.config.require_signature()
    if "finding" in template.requires and finding is None:
        raise PreconditionError(
            f"Письмо «{template.name}» пишется по итогам рассмотрения, а вывода по заявке "
            f"{ticket.id} ещё нет.",
            hint=f"Сначала запишите вывод: srgcli review {ticket.id} --verdict …",
        )
    env = environment([workspace_dir(ws), BUILTIN_DIR])
    try:
        text = render_file(env, template.path, letter_context(ws, ticket, finding, sent_at))
    except LetterFault as fault:
        raise fault.as_error(template.name) from None
    return text.strip() + "\n"


def _undefined_text(exc: Exception) -> str:
    """Jinja's "'x' is undefined" / "'dict object' has no attribute 'y'" in Russian."""
    from srgcli.render.syntax import undefined_name

    name = undefined_name(exc)
    if name is None:
        return f"неопределённое значение ({exc})"
    return f"нет такого значения в данных письма: {name}"
