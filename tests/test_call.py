"""`srgcli call`: the call sheet (local time, greeting, points, gate, stress marks, formats)
and `call --log`, which records the call as `contact-log add` does."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from srgcli.calendar import BusinessCalendar
from srgcli.call import call_time, client_zone
from srgcli.call.localtime import zone_from_address, zone_from_phone
from srgcli.model import Finding
from srgcli.workspace import Workspace, writes
from tests.builders import TICKET, add_ticket
from tests.conftest import Cli, terminal

pytestmark = pytest.mark.usefixtures("pylat")

MALE = "Орлов Игорь Петрович"
MOBILE = "+7 916 204-31-77"


def _executor(root: Path, name: str, phone: str = "") -> None:
    """The executor's name and phone in the workspace's [executor] section."""
    import re

    config = root / "srgcli.toml"
    text = re.sub(r'(?m)^name = ".*"$', f'name = "{name}"', config.read_text("utf-8"), count=1)
    text = re.sub(r'(?m)^phone = ".*"$', f'phone = "{phone}"', text, count=1)
    config.write_text(text, "utf-8")


@pytest.fixture(autouse=True)
def _signed(ws_root: Path) -> None:
    _executor(ws_root, "Петрова Анна Сергеевна", "+7 916 100-20-30")


def _finding(ws: Workspace, verdict: str = "confirmed", action: str | None = None) -> None:
    writes.save_finding(
        ws,
        Finding(
            ticket_id=TICKET,
            verdict=verdict,
            category="deadlines",
            description="Отчёт подготовлен позже обещанного срока.",
            corrective_action=action,
        ),
        command="test",
    )


def _sheet(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("call", TICKET, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = result.json()
    return data


def _said(data: dict[str, Any], key: str) -> list[str]:
    return next(s["say"] for s in data["sections"] if s["key"] == key)


def test_female_client_without_finding(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    data = _sheet(cli)
    assert data["client"] == {
        "name": "Смирнова Ольга Викторовна",
        "polite": "Ольга Викторовна",
        "gender": "f",
        "phone": "+7 (916) 204-31-77",
    }
    greeting = _said(data, "greeting")
    assert greeting[0] == "Доброе утро! Могу я поговорить с Ольгой Викторовной?"
    assert greeting[1] == "Ольга Викторовна, меня зовут Анна Петрова."
    assert "по заказу № ОЦ-48213 по поручению оценочной компании" in greeting[2]
    assert _said(data, "complaint") == [
        "Вы обратились к нам 16 ноября по поводу сроков подготовки отчёта."
    ]
    # No finding yet: the review is under way, nothing is promised.
    assert _said(data, "finding")[0] == "Сейчас я изучаю историю Вашего заказа."
    assert _said(data, "settlement") == ["Решение по обращению я сообщу Вам после рассмотрения."]
    assert "Что для Вас сейчас важнее всего?" in _said(data, "questions")
    # The executor is a woman: her verbs agree.
    assert "Правильно ли я поняла суть Вашего обращения?" in _said(data, "questions")
    closing = _said(data, "closing")
    assert "Когда решение будет готово, я Вам позвоню." in closing
    assert "Если появятся вопросы, звоните мне по номеру +7 (916) 100-20-30." in closing
    assert data["gate"]["passed"] is True and data["gate"]["errors"] == 0


def test_male_client_with_finding_and_settlement(cli: Cli, ws: Workspace, ws_root: Path) -> None:
    _executor(ws_root, "Петров Андрей Сергеевич")
    add_ticket(ws, client_name=MALE)
    _finding(ws, action="Отчёт передан Вам, оценщику указано на сроки.")
    writes.add_contact(
        ws,
        TICKET,
        at="2026-11-17T11:00:00+03:00",
        channel="phone",
        direction="out",
        party="client",
        outcome="reached",
        summary="Клиенту сообщён срок передачи отчёта.",
        command="test",
    )
    writes.save_resolution(ws, TICKET, "satisfied", "Стоимость услуги снижена на 10 %.")
    data = _sheet(cli)
    assert data["client"]["gender"] == "m"
    complaint = next(s for s in data["sections"] if s["key"] == "complaint")
    assert complaint["notes"][-1] == (
        "Контакт 17.11.2026 11:00: телефон, исходящий, связь установлена — "
        "Клиенту сообщён срок передачи отчёта."
    )
    assert data["executor"] == {"name": "Петров Андрей Сергеевич", "gender": "m"}
    assert _said(data, "greeting")[0] == "Доброе утро! Могу я поговорить с Игорем Петровичем?"
    assert _said(data, "finding") == [
        "Я изучил историю Вашего заказа. Ваши замечания подтвердились.",
        "Приношу извинения за доставленные неудобства.",
    ]
    settlement = next(s for s in data["sections"] if s["key"] == "settlement")
    assert settlement["say"] == ["Расскажу, что мы сделали и что можем предложить."]
    assert "Итог урегулирования (записан): Стоимость услуги снижена на 10 %." in settlement["notes"]
    assert any("оценщику указано на сроки" in note for note in settlement["notes"])
    questions = _said(data, "questions")
    assert "Вас устроит такое решение?" in questions
    assert "Правильно ли я понял суть Вашего обращения?" in questions
    assert "Итоги разговора я направлю Вам письмом." in _said(data, "closing")
    assert data["gate"]["passed"] is True


def test_finding_not_confirmed_without_settlement(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws, client_name=MALE)
    _finding(ws, verdict="not_confirmed")
    data = _sheet(cli)
    assert _said(data, "finding") == [
        "Я изучила историю Вашего заказа.",
        "Нарушений в работе по заказу я не нашла.",
    ]
    assert "Вас устроит такое решение?" not in _said(data, "questions")
    assert _said(data, "settlement") == ["Решение по обращению я сообщу Вам после рассмотрения."]


def test_the_spoken_text_passes_the_check_command(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws, client_name=MALE)
    _finding(ws, verdict="partially_confirmed", action="Оценщику указано на сроки.")
    data = _sheet(cli)
    checked = cli("check", "-", "--ticket", TICKET, "--format", "json", input=data["text"])
    assert checked.exit_code == 0, checked.stdout
    assert checked.json()["errors"] == 0
    # The marked text is the same text with U+0301 put in.
    assert data["text_marked"].replace("\u0301", "") == data["text"]


@pytest.mark.parametrize(
    ("phone", "address", "zone", "source", "local"),
    [
        ("+7 495 123-45-67", "г. Москва, ул. Тверская, д. 1", "Europe/Moscow", "phone", "10:00"),
        ("+7 383 212-34-56", "г. Москва, ул. Тверская, д. 1", "Asia/Novosibirsk", "phone", "14:00"),
        ("+7 423 240-11-22", "г. Москва, ул. Тверская, д. 1", "Asia/Vladivostok", "phone", "17:00"),
        (MOBILE, "630099, г. Новосибирск, ул. Ленина, 5", "Asia/Novosibirsk", "address", "14:00"),
        (MOBILE, "Тульская обл., д. Иншинка, уч. 17", "Europe/Moscow", "address", "10:00"),
    ],
)
def test_local_time_from_the_phone_or_the_address(
    cli: Cli, ws: Workspace, phone: str, address: str, zone: str, source: str, local: str
) -> None:
    add_ticket(ws, client_phone=phone, object_address=address)
    data = _sheet(cli)
    assert data["local_time"]["zone"] == zone
    assert data["local_time"]["zone_source"] == source
    assert data["local_time"]["local"][11:16] == local
    assert data["local_time"]["good_time"] is True


def test_late_evening_in_vladivostok_is_a_warning_with_the_next_window(
    cli: Cli, ws: Workspace
) -> None:
    add_ticket(ws, client_phone="+7 423 240-11-22")
    cli.env = terminal(now="2026-11-25T13:30:00+03:00")  # 20:30 in Vladivostok
    result = cli("call", TICKET, "--format", "txt")
    assert result.exit_code == 0, result.stderr
    assert "⚠ У клиента сейчас 20:30: звони́ть при́нято с 9:00 до 20:00" in result.stdout
    assert "Лучше позвони́ть: четверг, 26 ноября, с 9:00 по местному времени (2:00 по Москве)" in (
        result.stdout
    )
    assert "Добрый вечер! Могу я поговорить с Ольгой Викторовной?" in result.stdout


def test_a_day_off_is_a_warning(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    cli.env = terminal(now="2026-11-28T12:00:00+03:00")  # a Saturday
    data = _sheet(cli)
    when = data["local_time"]
    assert (when["business_day"], when["within_hours"], when["good_time"]) == (False, True, False)
    assert when["next_window"] == "2026-11-30T09:00+03:00"
    warnings = next(s["warnings"] for s in data["sections"] if s["key"] == "when")
    assert warnings[0].startswith("У клиента сегодня выходной или праздничный день (суббота")


@pytest.mark.parametrize(
    ("address", "zone"),
    [
        ("г. Томск, пр. Ленина, д. 1", "Asia/Tomsk"),  # not Omsk inside «Томск»
        ("г. Омск, ул. Ленина, д. 1", "Asia/Omsk"),
        ("Сахалинская обл., г. Южно-Сахалинск", "Asia/Sakhalin"),
        ("г. Калининград, ул. Мира, д. 2", "Europe/Kaliningrad"),
        ("Приморский край, г. Уссурийск", "Asia/Vladivostok"),
        ("Свердловская обл., г. Екатеринбург", "Asia/Yekaterinburg"),
        ("г. Москва, ул. Новосибирская, д. 3", "Europe/Moscow"),  # the region first, street after
        ("Camp Nou, Barcelona", None),
    ],
)
def test_region_table(address: str, zone: str | None) -> None:
    assert zone_from_address(address) == zone


def test_kaliningrad_landline_gets_russias_own_zone() -> None:
    assert zone_from_phone("+7 4012 12-34-56") == "Europe/Kaliningrad"
    assert zone_from_phone("+7 916 204-31-77") is None  # mobile: every zone of Russia


def test_next_window_before_nine_is_the_same_morning() -> None:
    zone = client_zone("+7 383 212-34-56", None)
    moment = datetime.fromisoformat("2026-11-25T03:30:00+03:00")  # 7:30 in Novosibirsk
    when = call_time(zone, moment, BusinessCalendar())
    assert not when.within_hours and when.business_day
    assert when.next_window is not None
    assert when.next_window.isoformat() == "2026-11-25T09:00:00+07:00"


def test_docx_is_read_back(cli: Cli, ws: Workspace, ws_root: Path) -> None:
    import docx

    add_ticket(ws)
    _finding(ws, action="Оценщику указано на сроки.")
    result = cli("call", TICKET, "--format", "docx")
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == ws_root / "outbox" / "calls" / TICKET
    assert path.stat().st_mode & 0o777 == 0o600
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Звонок клиенту: Смирнова Ольга Викторовна, заявка 2026-000200"
    assert "Доброе утро! Могу я поговорить с Ольгой Викторовной?" in texts
    assert any("звони́те мне" in t for t in texts)  # stress marks in the document
    assert document.core_properties.language == "ru-RU"
    assert document.core_properties.author == "Петрова Анна Сергеевна"


def test_txt_and_json_to_a_file(cli: Cli, ws: Workspace, tmp_path: Path) -> None:
    add_ticket(ws)
    target = tmp_path / "лист.txt"
    result = cli("call", TICKET, "-f", "txt", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text("utf-8")
    assert text.startswith("Звонок клиенту: Смирнова Ольга Викторовна")
    assert "\nПриветствие\n" in text
    # --json is --format json, on stdout.
    data = cli("call", TICKET, "--json").json()
    assert data["ticket_id"] == TICKET and data["local_time"]["zone"] == "Europe/Moscow"


def test_refusals(cli: Cli, ws: Workspace, ws_root: Path) -> None:
    assert cli("call", "2026-999999").exit_code == 2
    add_ticket(ws, client_phone="")
    result = cli("call", TICKET)
    assert result.exit_code == 3
    assert "Телефон клиента по заявке 2026-000200 не указан" in result.stderr
    add_ticket(ws)
    assert cli("call", TICKET, "--format", "pdf").exit_code == 2
    assert cli("call", TICKET, "--outcome", "reached").exit_code == 2
    _executor(ws_root, "")
    unsigned = cli("call", TICKET)
    assert unsigned.exit_code == 3
    assert "[executor] name" in unsigned.stderr


def test_log_with_options_records_the_call_like_contact_log(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    result = cli(
        "call", TICKET, "--log", "--outcome", "reached", "--summary", "Обсудили сроки.", "--json"
    )
    assert result.exit_code == 0, result.stderr
    contact = result.json()
    assert [contact[k] for k in ("channel", "direction", "party")] == ["phone", "out", "client"]
    assert (contact["outcome"], contact["summary"]) == ("reached", "Обсудили сроки.")
    assert contact["at"] == "2026-11-25T10:00:00+03:00"


@pytest.mark.usefixtures("tty")
def test_log_asks_on_a_terminal(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    result = cli("call", TICKET, "--log", input="9\n1\nКлиентке рассказано о сроках.\n")
    assert result.exit_code == 0, result.stderr
    assert "Нет такого итога" in result.stderr
    listed = cli("contact-log", "list", TICKET, "--json").json()
    assert [(c["channel"], c["direction"], c["outcome"], c["summary"]) for c in listed] == [
        ("phone", "out", "reached", "Клиентке рассказано о сроках.")
    ]


def test_log_without_a_terminal_needs_the_options(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    result = cli("call", TICKET, "--log", "--outcome", "reached")
    assert result.exit_code == 2
    assert "укажите --summary" in result.stderr
    assert cli("contact-log", "list", TICKET, "--json").json() == []


def test_log_refuses_a_summary_the_gate_refuses(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    result = cli("call", TICKET, "--log", "--outcome", "reached", "--summary", "Оценщик опаздал.")
    assert result.exit_code == 1
    assert cli("contact-log", "list", TICKET, "--json").json() == []


def test_contact_log_suggests_the_call_sheet_after_the_first_call(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    call = ("contact-log", "add", TICKET, "--channel", "phone", "--direction", "out")
    first = cli(*call, "--outcome", "no_answer", "--summary", "Клиент не ответил.")
    assert first.exit_code == 0, first.stderr
    assert f"srgcli call {TICKET}" in first.stderr
    second = cli(*call, "--outcome", "reached", "--summary", "Обсудили сроки.")
    assert f"srgcli call {TICKET}" not in second.stderr


def test_rich_on_a_terminal(cli: Cli, ws: Workspace) -> None:
    add_ticket(ws)
    cli.env = replace(terminal(width=100), stdout_isatty=True)
    result = cli("call", TICKET)
    assert result.exit_code == 0, result.stderr
    assert "Звонок клиенту: Смирнова Ольга Викторовна" in result.stdout
    assert "Ольга Викторовна, меня зовут Анна Петрова." in result.stdout


@pytest.mark.parametrize(
    ("configured", "spoken"),
    [
        ("ООО «Оценка-Сервис»", "Оценка-Сервис"),
        ('АО "Эксперт Оценка"', "Эксперт Оценка"),
        ("Оценка-Сервис", "Оценка-Сервис"),
        ("ООО Оценка Плюс", "Оценка Плюс"),
    ],
)
def test_the_customer_is_named_as_said_on_the_phone(configured: str, spoken: str) -> None:
    from srgcli.call.sheet import greeting_section, person
    from srgcli.model import Ticket

    ticket = Ticket(id=TICKET, order_id="ОЦ-48213", client_name="Смирнова Ольга Викторовна")
    zone = client_zone("+7 495 123-45-67", None)
    when = call_time(zone, datetime.fromisoformat("2026-11-25T15:00:00+03:00"), BusinessCalendar())
    section = greeting_section(
        ticket, person(ticket.client_name), person("Петрова Анна Сергеевна"), configured, when
    )
    assert section.say[0] == "Добрый день! Могу я поговорить с Ольгой Викторовной?"
    assert section.say[2] == (
        f"Я представляю компанию «{spoken}» и занимаюсь Вашим обращением по заказу № ОЦ-48213."
    )
    assert section.notes == ()


@pytest.mark.parametrize(
    ("name", "polite", "gender", "asked_for"),
    [
        ("Смирнова Ольга Викторовна", "Ольга Викторовна", "f", "с Ольгой Викторовной"),
        ("Кузнецов Никита Ильич", "Никита Ильич", "m", "с Никитой Ильичом"),
        ("Гарипова Алсу Рашидовна", "Алсу Рашидовна", "f", "с Алсу Рашидовной"),
        ("Алиев Рашид Мамед оглы", "Рашид Мамед оглы", "m", "с Рашидом Мамед оглы"),
        ("Алиева Айгюн Рашид кызы", "Айгюн Рашид кызы", "f", "с Айгюн Рашид кызы"),
        # Without a patronymic: asked for by name and surname, not addressed by first name.
        ("Васильев Андрей", "", "m", "с Андреем Васильевым"),
    ],
)
def test_names_in_the_greeting(name: str, polite: str, gender: str, asked_for: str) -> None:
    from srgcli.call.sheet import greeting_section, person
    from srgcli.model import Ticket

    client = person(name)
    assert (client.polite, client.gender) == (polite, gender)
    ticket = Ticket(id=TICKET, order_id="ОЦ-1", client_name=name)
    zone = client_zone("+7 495 123-45-67", None)
    when = call_time(zone, datetime.fromisoformat("2026-11-25T19:00:00+03:00"), BusinessCalendar())
    section = greeting_section(ticket, client, person("Петрова Анна Сергеевна"), "", when)
    assert section.say[0] == f"Добрый вечер! Могу я поговорить {asked_for}?"
    assert section.say[1] == (
        f"{polite}, меня зовут Анна Петрова." if polite else "Меня зовут Анна Петрова."
    )
