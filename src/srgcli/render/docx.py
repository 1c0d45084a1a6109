"""DOCX templates (docxtpl) rendered in a Jinja sandbox with StrictUndefined.

A template error — bad syntax, a variable the data model does not have, an operation the sandbox
forbids — becomes a `TemplateFault` with a Russian message and, where known, the template's
paragraph (the line of `docx_text()` of the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, SrgError
from srgcli.render.syntax import undefined_name

if TYPE_CHECKING:
    from jinja2 import TemplateSyntaxError

# Jinja tags as they appear in a template's text: {{ … }}, {% … %}, {# … #}.
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


@dataclass(frozen=True)
class TemplateFault(Exception):
    """A template that cannot be rendered, with where it is."""

    kind: str  # "syntax", "undefined", "sandbox", "filter", "file"
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (абзац {self.line})" if self.line else ""
        return f"{self.message}{where}"

    def as_error(self, template: str) -> SrgError:
        """The user-facing error for `report`: exit 2, a fault of the template, not the data."""
        where = f", абзац {self.line}" if self.line else ""
        return SrgError(
            f"Шаблон отчёта {template}{where}: {self.message}.",
            ExitCode.USAGE,
            hint="Исправьте шаблон и проверьте его: srgcli templates check ПУТЬ",
        )


def environment() -> Any:
    """A sandboxed Jinja environment with StrictUndefined and srgcli's Russian filters."""
    from jinja2 import StrictUndefined

    from srgcli.render.filters import FILTERS
    from srgcli.render.sandbox import BoundedSandbox

    # autoescape: values go into WordprocessingML, so "<" or "&" in a complaint must be escaped.
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


@dataclass(frozen=True)
class DocumentProperties:
    """What a rendered document says about itself (File → Properties in Word)."""

    title: str
    subject: str
    author: str | None = None
    keywords: str | None = None
    language: str = "ru-RU"


def set_properties(
    document: Any, props: DocumentProperties, moment: datetime | None = None
) -> None:
    """Core properties from `props`, and the text's language everywhere in the document, so
    that Word proofs it in Russian whatever language the template was made in."""
    core = document.core_properties
    core.title = props.title
    core.subject = props.subject
    if props.author:
        core.author = props.author
        core.last_modified_by = props.author
    if props.keywords is not None:
        core.keywords = props.keywords
    core.language = props.language
    if moment is not None:
        # python-docx writes the time as UTC ("…Z") without converting it.
        utc = moment.astimezone(UTC) if moment.tzinfo else moment
        core.created = core.modified = utc.replace(microsecond=0)
    set_language(document, props.language)


def set_language(document: Any, language: str) -> None:
    """`language` as the default of the document's text (docDefaults) and in every style, run
    and paragraph mark that names a language of its own."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    if rpr.find(qn("w:lang")) is None:
        rpr.append(OxmlElement("w:lang"))
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            for lang in element.iter(qn("w:lang")):
                lang.set(qn("w:val"), language)
        elif part.content_type.endswith("+xml") and b"w:lang" in part.blob:
            # Parts python-docx keeps as bytes (Word 2010's stylesWithEffects.xml).
            part._blob = _LANG_VAL.sub(rb"\g<1>" + language.encode() + b'"', part.blob)


def plain_document(props: DocumentProperties, moment: datetime | None = None) -> Any:
    """A new Word document for text srgcli writes itself (a call sheet, a letter): Times New
    Roman 12 as Normal, `props` as its properties (none of python-docx's own left), `moment`
    as its creation time, and `props.language` for proofing throughout, East Asian text
    included."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    # Word's proofing language lives in the run properties: the defaults' and Normal's.
    targets = [normal.element.get_or_add_rPr()]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
        targets.append(run_defaults.find(qn("w:rPr")))
    for rpr in targets:
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), props.language)
        lang.set(qn("w:eastAsia"), props.language)
        lang.set(qn("w:bidi"), "ar-SA")
        rpr.append(lang)
    core = document.core_properties
    core.author = core.last_modified_by = ""  # python-docx's template names itself
    core.comments = core.category = core.keywords = ""
    core.revision = 1
    set_properties(document, props, moment)
    return document


# The language of a w:lang mark kept in a part's bytes.
_LANG_VAL = re.compile(rb'(<w:lang\b[^>]*?\bw:val=")[^"]*"')


def render(
    template: Path,
    context: dict[str, Any],
    target: Path,
    props: DocumentProperties | None = None,
    moment: datetime | None = None,
) -> None:
    """Render `template` with `context` into `target`, its properties and language set from
    `props` (when given); a template error is a TemplateFault."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateError

    from srgcli.render.sandbox import RUNTIME_FAULTS, SandboxLimit, runtime_reason

    try:
        tpl = DocxTemplate(str(template))
        tpl.render(context, jinja_env=environment())
        if props is not None:
            set_properties(tpl.docx, props, moment)
        tpl.save(str(target))
    except (PackageNotFoundError, KeyError, OSError) as exc:
        if isinstance(exc, KeyError) and not str(exc).startswith('"There is no item named'):
            raise
        raise TemplateFault("file", "не удаётся открыть как документ DOCX") from None
    except TemplateSyntaxError as exc:
        raise _syntax_fault(template, exc) from None
    except SandboxLimit as exc:
        raise TemplateFault(
            "sandbox", runtime_reason(exc), _runtime_line(template, context)
        ) from None
    except SecurityError as exc:
        match = re.search(r"attribute '([^']+)'", str(exc))
        what = f"обращение к «{match.group(1)}»" if match else "небезопасная операция"
        raise TemplateFault(
            "sandbox", f"{what} запрещено в песочнице шаблонов", _line(template, exc)
        ) from None
    except UndefinedError as exc:
        raise TemplateFault(
            "undefined",
            f"нет такого значения в данных отчёта: {undefined_name(exc) or exc}",
            _line(template, exc) or _line_naming(template, exc),
        ) from None
    except TemplateError as exc:
        raise TemplateFault("syntax", _template_error(exc), _line(template, exc)) from None
    except RUNTIME_FAULTS as exc:
        # The exception's text may quote the value (the client's name): only its kind is shown.
        raise TemplateFault(
            "filter", runtime_reason(exc), _runtime_line(template, context)
        ) from None


def _template_error(exc: Exception) -> str:
    """Jinja's other errors; a report template cannot include other templates (no loader)."""
    from srgcli.render.sandbox import INCLUDE_REFUSED

    if "no loader" in str(exc):
        return INCLUDE_REFUSED
    return f"ошибка шаблона ({type(exc).__name__})"


def _runtime_line(template: Path, context: dict[str, Any]) -> int | None:
    """The paragraph a runtime fault comes from: the template's text, rendered on its own line
    for line with the same data, fails at the same tag, and Jinja's traceback has its line."""
    from srgcli.render.sandbox import template_line

    try:
        environment().from_string(jinja_source(template_lines(template))).render(context)
    except Exception as exc:
        return template_line(exc, "<template>")
    return None


def _syntax_fault(template: Path, exc: TemplateSyntaxError) -> TemplateFault:
    """A syntax error in Russian, at the paragraph of the tag at fault.

    docxtpl compiles the document's XML, so Jinja's line is a line of XML. The template's text
    compiled on its own gives the paragraph; when it compiles (a block spanning the header and
    the body, which docxtpl renders apart), docxtpl's context around the error is used instead.
    """
    from srgcli.render.syntax import compile_check, explain

    found = compile_check(environment(), jinja_source(template_lines(template)), "абзаце")
    if found is not None:
        return TemplateFault("syntax", found.message, found.line)
    return TemplateFault("syntax", explain(exc).message, _line(template, exc))


# docxtpl's own markup, rewritten by docxtpl before Jinja sees the document.
_DOCX_PREFIX = re.compile(r"(\{[{%#])(?:p|tr|tc|r) ")
_DOCX_CELL_TAGS = re.compile(r"\{%\s*(?:vm|hm)\s*%\}|\{%\s*(?:colspan|cellbg)\s[^%]*%\}")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def jinja_source(lines: list[str]) -> str:
    """The template's text as Jinja source, line for line: docxtpl's `{%p …%}`, `{%tr …%}` and
    cell tags rewritten as docxtpl does, typographic quotes inside tags made plain."""
    result = []
    for line in lines:
        line = _DOCX_CELL_TAGS.sub("", _DOCX_PREFIX.sub(r"\1 ", line))
        result.append(TAG.sub(lambda m: m[0].translate(_QUOTES), line))
    return "\n".join(result)


def _line_naming(template: Path, exc: Exception) -> int | None:
    """The first template line with a tag naming the undefined value (runtime errors carry no
    position)."""
    match = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
    if not match:
        return None
    name = match.group(1) or match.group(2)
    pattern = re.compile(rf"\{{[{{%].*?\b{re.escape(name)}\b.*?[}}%]\}}")
    for number, text in enumerate(template_lines(template), 1):
        if pattern.search(text):
            return number
    return None


def _line(template: Path, exc: Exception) -> int | None:
    """The template paragraph docxtpl showed around the error, as a line of its text."""
    around = [s.strip() for s in getattr(exc, "docx_context", None) or () if s.strip()]
    if not around:
        return None
    lines = template_lines(template)
    # docxtpl gives 7 lines around the fault; the middle one is the faulty paragraph.
    middle = around[min(3, len(around) - 1)] if len(around) >= 4 else around[0]
    for candidate in [middle, *around]:
        for number, text in enumerate(lines, 1):
            if candidate and candidate in text:
                return number
    return None


def template_lines(template: Path) -> list[str]:
    """The template's text (paragraphs and table cells, headers and footers), one per line."""
    from srgcli.gate.documents import docx_text

    return docx_text(template).split("\n")


def static_text(lines: list[str]) -> str:
    """The template's own wording: its text with the Jinja tags cut out, line for line."""
    result = []
    for line in lines:
        # A tag next to punctuation leaves no space behind: "Итог: {{ x }}." → "Итог:."
        text = TAG.sub("\x00", line)
        previous = None
        while previous != text:
            previous = text
            text = re.sub(r"[ \t\u00a0]*\x00[ \t\u00a0]*(?=[.,;:)»]|$)", "", text)
            text = re.sub(r"(?<=[(«])[ \t\u00a0]*\x00[ \t\u00a0]*", "", text)
            text = re.sub(r"[ \t\u00a0]*(\(\)|«»)", "", text)
        # A tag opening the line stands for its first word: the rest is capitalised for the gate.
        if text.startswith("\x00"):
            text = text.lstrip("\x00 \t")
            text = text[:1].upper() + text[1:]
        text = text.replace("\x00", " ")
        text = re.sub(r":\s*[.,;:]+", ":", text)
        # Broken markup left after the tags are cut is a syntax error, reported as such.
        if re.search(r"\{[{%#]|[}%#]\}", text):
            text = ""
        text = re.sub(r"[ \t\u00a0]{2,}", " ", text).strip()
        # A line left with punctuation only (": ", "№") carries no wording to check.
        result.append(text if re.search(r"[А-Яа-яЁёA-Za-z]{2,}", text) else "")
    return "\n".join(result)


def undeclared(template: Path, context: dict[str, Any]) -> set[str]:
    """Top-level names the template uses that the data model does not have."""
    from docxtpl import DocxTemplate

    from srgcli.render.filters import FILTERS

    tpl = DocxTemplate(str(template))
    names: set[str] = tpl.get_undeclared_template_variables(environment(), context)
    return names - set(FILTERS)
