"""The call sheet: when to call, what to say and what to ask, from what is recorded.

What is said to the client (the greeting, the points, the questions, the closing) is
srgcli's own wording, phrased as a professional would say it, and passes the gate like a
letter. Notes for the executor (the client's local time, the complaint as the client wrote
it, the recorded settlement) are shown beside it; texts quoted from the ticket or recorded
by the executor are not srgcli's and are not gated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from srgcli.call.localtime import CallTime, call_time, client_zone

if TYPE_CHECKING:
    from collections.abc import Sequence

    from srgcli.gate.issue import GateResult
    from srgcli.model import Contact, Finding, Resolution, Ticket
    from srgcli.workspace import Workspace

WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
# «Вы обратились к нам … по поводу …» by the complaint's category.
_ABOUT = {
    "deadlines": "сроков подготовки отчёта",
    "report_quality": "качества отчёта об оценке",
    "specialist_conduct": "работы специалиста",
    "price": "стоимости услуги",
    "payment": "оплаты заказа",
    "inspection": "осмотра объекта",
}
_SOURCES = {
    "phone": "по номеру телефона",
    "address": "по адресу объекта",
    "default": "не определён ни по номеру, ни по адресу: указано московское время",
}


@dataclass(frozen=True)
class Section:
    """A part of the sheet: lines to say (gated, stress-marked) and notes for the executor."""

    key: str
    title: str
    say: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The section for `call --format json` (lines without stress marks)."""
        return {
            "key": self.key,
            "title": self.title,
            "say": list(self.say),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Person:
    """A name as the sheet uses it: full, polite («Ольга Викторовна») and gender (m, f, "")."""

    full: str
    polite: str
    gender: str
    surname: str = ""


@dataclass(frozen=True)
class CallSheet:
    """Everything `srgcli call` prints, before stress marks are put in."""

    ticket_id: str
    client: Person
    executor: Person
    customer: str
    phone: str
    when: CallTime
    sections: tuple[Section, ...]
    gate: GateResult | None = field(default=None, compare=False)

    def spoken_text(self) -> str:
        """The words srgcli writes for the call, as the gate checks them: titles and lines."""
        blocks = []
        for section in self.sections:
            if section.say:
                blocks.append("\n".join((f"{section.title}.", *section.say)))
        return "\n\n".join(blocks) + "\n"


# Turkic patronymics are written as two words: «Рашид Мамед оглы», «Айгюн Рашид кызы».
_TURKIC = {"оглы": "m", "улы": "m", "уулу": "m", "кызы": "f", "гызы": "f"}


def person(full_name: str | None) -> Person:
    """Split «Фамилия Имя Отчество» and find the gender from the patronymic (else the name)."""
    from srgcli.render.filters import is_female_name

    text = " ".join((full_name or "").split())
    parts = text.split(" ") if text else []
    if len(parts) == 4 and parts[3].casefold() in _TURKIC:
        return Person(text, " ".join(parts[1:]), _TURKIC[parts[3].casefold()], parts[0])
    if len(parts) >= 3:
        surname, polite = parts[0], f"{parts[1]} {parts[2]}"
    else:
        # Without a patronymic the client is not addressed by first name alone (too familiar),
        # nor by a surname alone.
        surname, polite = (parts[0] if parts else ""), ""
    gender = ""
    if len(parts) >= 2:
        gender = "f" if is_female_name(" ".join(parts[:3])) else _male_or_unknown(parts)
    return Person(text, polite, gender, surname)


def _male_or_unknown(parts: list[str]) -> str:
    """ "m" by a patronymic in …ич, else by a first name pymorphy3 knows as a man's."""
    patronymic = parts[2].casefold() if len(parts) >= 3 else ""
    if patronymic.endswith(("вич", "ич", "оглы")):
        return "m"
    if patronymic:
        return ""
    from srgcli.gate.morph import analyzer

    names = [p.tag for p in analyzer().parse(parts[1]) if "Name" in p.tag.grammemes]
    return "m" if names and all("masc" in tag.grammemes for tag in names) else ""


def _past(executor: Person, masculine: str, feminine: str) -> str:
    """A past-tense verb agreeing with the executor: «изучил» or «изучила»."""
    return feminine if executor.gender == "f" else masculine


def _instrumental(client: Person) -> str:
    """«с Ольгой Викторовной»: the polite name in the instrumental, by the client's gender."""
    from srgcli.render.filters import decline_name

    parts = client.full.split()
    if len(parts) < 2:
        return client.full
    if len(parts) == 4:  # a Turkic patronymic: the first name declines, «… оглы» does not
        from pytrovich.enums import Case, Gender, NamePart
        from pytrovich.maker import PetrovichDeclinationMaker

        gender = Gender.FEMALE if client.gender == "f" else Gender.MALE
        first = PetrovichDeclinationMaker().make(
            NamePart.FIRSTNAME, gender, Case.INSTRUMENTAL, parts[1]
        )
        return " ".join([str(first), *parts[2:]])
    declined = decline_name(client.full, "instrumental").split()
    return " ".join(declined[1:]) if len(parts) >= 3 else " ".join(declined[1:] + declined[:1])


def _greeting(local: datetime) -> str:
    if local.hour < 12:
        return "Доброе утро"
    if local.hour < 18:
        return "Добрый день"
    return "Добрый вечер"


def _day_month(moment: datetime) -> str:
    from srgcli.ru import MONTHS_GENITIVE

    return f"{moment.day} {MONTHS_GENITIVE[moment.month - 1]}"


def _when_text(moment: datetime) -> str:
    """«среда, 25 ноября, 14:05»."""
    return f"{WEEKDAYS[moment.weekday()]}, {_day_month(moment)}, {_clock(moment)}"


def _clock(moment: datetime) -> str:
    """«9:00», «14:05»."""
    return f"{moment.hour}:{moment.minute:02d}"


def when_section(when: CallTime, phone: str) -> Section:
    """Local time, its source, Moscow time and warnings about a bad moment."""
    from srgcli.calendar import MOSCOW

    moscow = when.local.astimezone(MOSCOW)
    notes = [
        f"Телефон клиента: {phone}.",
        f"Местное время клиента: {_when_text(when.local)} ({when.zone.zone}, {when.utc_offset}; "
        f"часовой пояс {_SOURCES[when.zone.source]}).",
    ]
    if when.zone.zone != "Europe/Moscow":
        notes.append(f"По Москве сейчас {_clock(moscow)}.")
    warnings = []
    if not when.business_day:
        warnings.append(
            f"У клиента сегодня выходной или праздничный день ({_when_text(when.local)})."
        )
    if not when.within_hours:
        warnings.append(
            f"У клиента сейчас {_clock(when.local)}: звонить принято с 9:00 до 20:00 по местному "
            "времени."
        )
    if when.next_window is not None:
        then = when.next_window
        warnings.append(
            f"Лучше позвонить: {WEEKDAYS[then.weekday()]}, {_day_month(then)}, с {_clock(then)} "
            f"по местному времени ({_clock(then.astimezone(MOSCOW))} по Москве)."
        )
    else:
        notes.append("Сейчас удобное время для звонка.")
    return Section("when", "Когда звонить", notes=tuple(notes), warnings=tuple(warnings))


def greeting_section(
    ticket: Ticket, client: Person, executor: Person, customer: str, when: CallTime
) -> Section:
    """Hello, who is calling and on whose behalf, is it a good time."""
    hello = _greeting(when.local)
    first = (
        f"{hello}! Могу я поговорить с {_instrumental(client)}?"
        if len(client.full.split()) >= 2
        else f"{hello}!"
    )
    parts = executor.full.split()
    me = f"{parts[1]} {parts[0]}" if len(parts) >= 2 else executor.full
    order = f" по заказу № {ticket.order_id}" if ticket.order_id else f" № {ticket.id}"
    if customer:
        behalf = (
            f"Я представляю компанию «{spoken_company(customer)}» и занимаюсь Вашим "
            f"обращением{order}."
        )
    else:
        behalf = f"Я занимаюсь Вашим обращением{order} по поручению оценочной компании."
    say = (
        first,
        f"{client.polite}, меня зовут {me}." if client.polite else f"Меня зовут {me}.",
        behalf,
        "Вам удобно сейчас говорить? Разговор займёт несколько минут.",
    )
    notes = () if customer else ("Название Заказчика не задано: [customer] name в srgcli.toml.",)
    return Section("greeting", "Приветствие", say=say, notes=notes)


_LEGAL_FORMS = re.compile(r"^(?:ООО|ОАО|ЗАО|ПАО|АО|НАО|ИП|АНО)\s+", re.IGNORECASE)


def spoken_company(name: str) -> str:
    """A company's name as said on the phone: «ООО «Оценка-Сервис»» → «Оценка-Сервис»."""
    text = " ".join(name.split())
    quoted = re.search(r"«(.+)»", text) or re.search(r'"(.+)"', text)
    if quoted:
        return quoted.group(1).strip('«»" ')
    return _LEGAL_FORMS.sub("", text).strip('«»" ')


def complaint_section(ticket: Ticket, contacts: Sequence[Contact] = ()) -> Section:
    """The complaint in one sentence; the client's own words and the last contacts as notes."""
    from srgcli.model import Category

    received = ""
    if ticket.received_at and "received_at" not in ticket.invalid:
        try:
            received = f" {_day_month(datetime.fromisoformat(ticket.received_at))}"
        except ValueError:
            received = ""
    category = Category.try_parse(ticket.category)
    about = _ABOUT.get(category.value) if category is not None else None
    if about:
        line = f"Вы обратились к нам{received} по поводу {about}."
    else:
        line = f"Вы обратились к нам{received} с вопросом по заказу."
    notes = []
    if ticket.complaint_text:
        notes.append(f"Суть обращения (из заявки): «{first_sentence(ticket.complaint_text)}»")
    if ticket.client_demand:
        notes.append(f"Требование клиента (из заявки): «{first_sentence(ticket.client_demand)}»")
    notes += [contact_note(c) for c in list(contacts)[-3:]]
    return Section("complaint", "Суть обращения", say=(line,), notes=tuple(notes))


def contact_note(contact: Contact) -> str:
    """«Контакт 17.11.2026 11:00: телефон, исходящий, связь установлена — Обсудили сроки.»"""
    from srgcli.model import Channel, ContactOutcome, Direction
    from srgcli.ru import format_moment

    words = []
    for kind, value in (
        (Channel, contact.channel),
        (Direction, contact.direction),
        (ContactOutcome, contact.outcome),
    ):
        known = kind.try_parse(value)
        words.append(str(known.label) if known is not None else value)
    return f"Контакт {format_moment(contact.at)}: {', '.join(words)} — {contact.summary}"


def first_sentence(text: str, limit: int = 200) -> str:
    """The text's first sentence, cut at a word boundary when longer than `limit`."""
    flat = " ".join(text.split())
    # A sentence ends before a capital letter («кв. м» inside a sentence does not end it).
    found = re.match(r"(.+?[.!?…])(?=\s+[«\"(]?[A-ZА-ЯЁ]|$)", flat)
    sentence = found.group(1) if found else flat
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + "…"
    return sentence


def finding_section(ticket: Ticket, finding: Finding | None, executor: Person) -> Section:
    """What the review found, or that it is still under way (and when the answer comes)."""
    studied = _past(executor, "изучил", "изучила")
    if finding is None:
        say = ["Сейчас я изучаю историю Вашего заказа."]
        due = _future_due(ticket)
        if due:
            say.append(f"Ответ по существу я дам до {due}.")
        pending = (f"Вывода по заявке ещё нет: srgcli review {ticket.id}.",)
        return Section("finding", "Что показало рассмотрение", say=tuple(say), notes=pending)
    if finding.verdict == "confirmed":
        say = [
            f"Я {studied} историю Вашего заказа. Ваши замечания подтвердились.",
            "Приношу извинения за доставленные неудобства.",
        ]
    elif finding.verdict == "partially_confirmed":
        say = [
            f"Я {studied} историю Вашего заказа. Ваши замечания подтвердились частично.",
            "Приношу извинения за доставленные неудобства.",
        ]
    else:
        found = _past(executor, "нашёл", "нашла")
        say = [
            f"Я {studied} историю Вашего заказа.",
            f"Нарушений в работе по заказу я не {found}.",
        ]
    notes = []
    if finding.description:
        notes.append(f"Вывод (записан в review): {finding.description}")
    if finding.root_cause:
        notes.append(f"Причина: {finding.root_cause}")
    return Section("finding", "Что показало рассмотрение", say=tuple(say), notes=tuple(notes))


def _future_due(ticket: Ticket) -> str:
    from srgcli.calendar import now

    if not ticket.due_at or "due_at" in ticket.invalid:
        return ""
    try:
        due = datetime.fromisoformat(ticket.due_at)
    except ValueError:
        return ""
    if due.tzinfo is None or due <= now():
        return ""
    return _day_month(due)


def settlement_section(
    ticket: Ticket, finding: Finding | None, resolution: Resolution | None
) -> Section:
    """What the executor can offer: the recorded settlement or corrective action."""
    notes = []
    if resolution is not None:
        notes.append(f"Итог урегулирования (записан): {resolution.summary}")
    if finding is not None and finding.corrective_action:
        notes.append(f"Принятые меры (записаны в review): {finding.corrective_action}")
    if notes:
        say: tuple[str, ...] = ("Расскажу, что мы сделали и что можем предложить.",)
    else:
        say = ("Решение по обращению я сообщу Вам после рассмотрения.",)
        notes.append(
            "Решение ещё не записано: не обещайте конкретных мер "
            f"(srgcli review {ticket.id}, srgcli contact-log resolve {ticket.id})."
        )
    return Section("settlement", "Что можно предложить", say=say, notes=tuple(notes))


def questions_section(
    ticket: Ticket, finding: Finding | None, offered: bool, executor: Person
) -> Section:
    """What to ask: that the complaint is understood, the offer, where to write."""
    understood = _past(executor, "понял", "поняла")
    say = [f"Правильно ли я {understood} суть Вашего обращения?"]
    if finding is None:
        say.append("Что для Вас сейчас важнее всего?")
    if offered:
        say.append("Вас устроит такое решение?")
    if ticket.client_email and "client_email" not in ticket.invalid:
        say.append("Письменный ответ прислать на электронную почту, указанную в заказе?")
    else:
        say.append("Подскажите, пожалуйста, адрес электронной почты для письменного ответа.")
    say.append("Остались ли у Вас вопросы ко мне?")
    return Section("questions", "Что спросить", say=tuple(say))


def closing_section(executor_phone: str, decided: bool) -> Section:
    """A polite end of the call: what happens next, how to reach the executor, goodbye."""
    from srgcli.render.filters import phone

    say = ["Спасибо, что уделили мне время."]
    if decided:
        say.append("Итоги разговора я направлю Вам письмом.")
    else:
        say.append("Когда решение будет готово, я Вам позвоню.")
    if executor_phone:
        say.append(f"Если появятся вопросы, звоните мне по номеру {phone(executor_phone)}.")
    say.append("Всего доброго, до свидания!")
    return Section("closing", "Завершение", say=tuple(say))


def build_sheet(ws: Workspace, ticket: Ticket) -> CallSheet:
    """The call sheet for a ticket, by the clock of the running command (not yet gated)."""
    from srgcli.calendar import now
    from srgcli.render.filters import phone as phone_text
    from srgcli.workspace import reads

    profile = ws.config.require_signature()
    finding = reads.finding(ws, ticket.id)
    resolution = reads.resolution(ws, ticket.id)
    client = person(ticket.client_name)
    executor = person(profile.name)
    customer = str(ws.config.section("customer").get("name") or "").strip()
    when = call_time(
        client_zone(ticket.client_phone, ticket.object_address), now(), ws.config.calendar()
    )
    phone = phone_text(ticket.client_phone)
    offered = resolution is not None or bool(finding and finding.corrective_action)
    sections = (
        when_section(when, phone),
        greeting_section(ticket, client, executor, customer, when),
        complaint_section(ticket, reads.contacts(ws, ticket.id)),
        finding_section(ticket, finding, executor),
        settlement_section(ticket, finding, resolution),
        questions_section(ticket, finding, offered, executor),
        closing_section(profile.phone, finding is not None),
    )
    return CallSheet(ticket.id, client, executor, customer, phone, when, sections)


def prepare_sheet(ws: Workspace, ticket_id: str) -> CallSheet:
    """The gated call sheet of a ticket; exit 2 for an unknown ticket, 3 without a phone
    number or the executor's name. The gate's result is on the sheet (the caller refuses it
    on errors, after showing them)."""
    from dataclasses import replace

    from srgcli.contact.log import check_text
    from srgcli.exit import PreconditionError
    from srgcli.gate.engine import open_gate
    from srgcli.tickets import require_ticket

    ticket = require_ticket(ws, ticket_id)
    if not ticket.client_phone or "client_phone" in ticket.invalid:
        what = "неверный" if ticket.client_phone else "не указан"
        raise PreconditionError(
            f"Телефон клиента по заявке {ticket.id} {what}: звонить некуда.",
            hint=f'Укажите номер: srgcli fill {ticket.id} --set client_phone="+7 …"',
        )
    sheet = build_sheet(ws, ticket)
    result = check_text(open_gate(ws), ws, ticket, sheet.spoken_text())
    return replace(sheet, gate=result)
