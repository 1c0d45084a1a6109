"""`srgcli contact-log export`: a logged letter as an e-mail draft a mail program opens, as text
and as a Word document; and the refusals when there is no letter or no address to send it to."""

from __future__ import annotations

import email
import stat
from datetime import datetime
from email import policy
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from srgcli.demo import DEMO_EXECUTOR, demo_config
from srgcli.workspace import create_workspace, open_workspace, writes
from tests.builders import TICKET, add_ticket
from tests.conftest import Cli

LETTER = (
    "Уважаемая Ольга Викторовна!\n\nБлагодарю Вас за обращение по заказу № ОЦ-48213.\n\n"
    "С уважением,\nПетрова Анна Сергеевна\nТелефон: +7 (916) 100-20-30\n"
)
SENT_AT = "2026-11-18T15:20:00+03:00"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A signed workspace (the demo executor, with an e-mail) and one filled ticket."""
    folder = tmp_path / "ws"
    create_workspace(folder, demo_config()).close()
    with open_workspace(folder) as ws:
        add_ticket(ws)
    return folder


def log(root: Path, ticket: str = TICKET, **fields: Any) -> int:
    """A contact stored as `contact-log add` stores it (a letter to the client by default)."""
    values: dict[str, Any] = {
        "at": SENT_AT,
        "channel": "email",
        "direction": "out",
        "party": "client",
        "outcome": "reached",
        "summary": "Направлено подтверждение получения обращения.",
        "text": LETTER,
        "template": "acknowledgement",
        "gate": {"passed": True, "errors": 0, "warnings": 0},
        **fields,
    }
    with open_workspace(root) as ws:
        return writes.add_contact(ws, ticket, **values)


def parse(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_a_template_letter_exports_as_an_email_draft(root: Path, pylat: Any) -> None:
    cli = Cli(root)
    logged = cli(
        "--no-input", "contact-log", "add", TICKET, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Подтверждение получения", "--template",
        "acknowledgement", "--at", "2026-11-17T09:05",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    (contact,) = cli("contact-log", "list", TICKET, "--json").json()
    assert f"Контакт № {contact['id']} записан" in logged.stderr
    assert f"srgcli contact-log export {contact['id']} --format eml" in logged.stderr

    result = cli("contact-log", "export", str(contact["id"]), "--format", "eml")
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    folder = root / "outbox" / "letters" / TICKET
    assert path == folder / f"letter-{contact['id']}-acknowledgement.eml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # client data: owner only
    assert "выгружено" in result.stderr and "почтовой программе" in result.stderr

    message = parse(path)
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        DEMO_EXECUTOR["name"],
        DEMO_EXECUTOR["email"],
    )
    (recipient,) = message["To"].addresses
    assert (recipient.display_name, recipient.addr_spec) == (
        "Смирнова Ольга Викторовна",
        "o.smirnova@example.ru",
    )
    assert message["Subject"] == f"Ваше обращение № {TICKET} по заказу № ОЦ-48213"
    assert message["Date"].datetime == datetime.fromisoformat("2026-11-17T09:05:00+03:00")
    assert message["X-Unsent"] == "1"  # Outlook opens it as a message to send
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content() == contact["text"]
    assert message.get_content().startswith("Уважаемая Ольга Викторовна!\n")
    # Every header line within the 998 characters RFC 5322 allows, lines end in CRLF.
    raw = path.read_bytes()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\r\n\r\n" in raw


def test_long_cyrillic_names_come_back_whole(root: Path) -> None:
    name = "Константинопольская-Преображенская Александра Вячеславовна"
    with open_workspace(root) as ws:
        add_ticket(ws, id="2026-000201", client_name=name, client_email="k.a@example.ru")
    number = log(root, "2026-000201")
    result = Cli(root)("contact-log", "export", str(number), "--format", "eml", "--json")
    assert result.exit_code == 0, result.stderr
    message = parse(Path(result.json()["path"]))
    assert message["To"].addresses[0].display_name == name


def test_text_and_word_copies(root: Path, tmp_path: Path) -> None:
    import docx

    number = log(root)
    cli = Cli(root)
    text = cli("contact-log", "export", str(number), "--format", "txt", "--output", str(tmp_path))
    assert text.exit_code == 0, text.stderr
    path = Path(text.stdout.strip())
    assert path == tmp_path / f"letter-{number}-acknowledgement.txt"  # a folder: default name
    assert path.read_text("utf-8") == LETTER

    target = tmp_path / "письмо.docx"
    word = cli("contact-log", "export", str(number), "-f", "docx", "-o", str(target), "--json")
    assert word.exit_code == 0, word.stderr
    assert word.json() == {
        "contact_id": number,
        "ticket_id": TICKET,
        "format": "docx",
        "path": str(target),
    }
    document = docx.Document(str(target))
    assert [p.text for p in document.paragraphs] == [
        "Уважаемая Ольга Викторовна!",
        "Благодарю Вас за обращение по заказу № ОЦ-48213.",
        "С уважением,\nПетрова Анна Сергеевна\nТелефон: +7 (916) 100-20-30",
    ]
    props = document.core_properties
    assert props.author == props.last_modified_by == DEMO_EXECUTOR["name"]
    assert props.title == f"Письмо по обращению № {TICKET}"
    assert props.subject == f"Обращение № {TICKET}"
    assert props.language == "ru-RU"
    assert props.created == datetime.fromisoformat(SENT_AT)  # when the letter was logged
    # Word checks spelling in the language of the runs: Russian by default in this document.
    styles = document.styles.element.xml
    assert 'w:lang w:val="ru-RU"' in styles
    assert 'w:val="en-US"' not in styles

    again = cli("contact-log", "export", str(number), "-f", "txt", "-o", str(target))
    assert again.exit_code == 0 and target.read_text("utf-8") == LETTER  # replaced


def set_config(root: Path, section: str, **values: Any) -> None:
    path = root / "srgcli.toml"
    doc = tomlkit.parse(path.read_text("utf-8"))
    table: Any = doc[section]
    for key, value in values.items():
        table[key] = value
    path.write_text(tomlkit.dumps(doc), "utf-8")


def test_refusals_name_the_reason_and_what_to_do(root: Path, tmp_path: Path) -> None:
    cli = Cli(root)
    letter = log(root)
    call = log(root, channel="phone", text=None, template=None, gate=None)
    incoming = log(root, direction="in", template=None)
    to_bank = log(root, party="bank", template=None)

    def refused(code: int, *args: str) -> str:
        result = cli("contact-log", "export", *args)
        assert result.exit_code == code, result.stderr
        assert not result.stdout
        return " ".join(result.stderr.split())

    assert "Контакт № 999 не найден" in refused(2, "999", "--format", "eml")
    assert "srgcli contact-log list" in refused(2, "пять", "--format", "eml")
    said = refused(2, str(call), "--format", "txt")
    assert f"Контакт № {call} по заявке {TICKET} (телефон) записан без текста письма" in said
    assert "неизвестный формат «pdf»" in refused(2, str(letter), "--format", "pdf")
    assert "входящее сообщение" in refused(2, str(incoming), "--format", "eml")
    said = refused(2, str(to_bank), "--format", "eml")
    assert "адресовано не клиенту (банк)" in said and "--format txt" in said
    # Text copies of those are fine.
    assert cli("contact-log", "export", str(incoming), "--format", "txt").exit_code == 0

    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    said = refused(2, str(letter), "--format", "eml", "--output", str(blocker / "a.eml"))
    assert "Не удалось записать письмо" in said and "--output" in said

    with open_workspace(root) as ws:
        add_ticket(ws, id="2026-000202", client_email="", client_phone="+7 916 204-31-77")
    no_address = log(root, "2026-000202")
    said = refused(3, str(no_address), "--format", "eml")
    assert "E-mail клиента по заявке 2026-000202 не указан" in said
    assert "srgcli fill 2026-000202 --set client_email=АДРЕС" in said
    assert f"srgcli contact-log export {no_address} --format txt" in said

    set_config(root, "executor", email="")
    said = refused(3, str(letter), "--format", "eml")
    assert "E-mail исполнителя не указан: [executor] email" in said
    assert cli("contact-log", "export", str(letter), "--format", "docx").exit_code == 0
    assert not list((root / "outbox" / "letters" / TICKET).glob("*.eml"))


def test_an_invalid_client_email_kept_from_the_import_is_not_used(root: Path) -> None:
    with open_workspace(root) as ws:
        add_ticket(ws, id="2026-000203", client_email="smirnova@@example")
    number = log(root, "2026-000203")
    result = Cli(root)("contact-log", "export", str(number), "--format", "eml")
    assert result.exit_code == 3
    assert "E-mail клиента по заявке 2026-000203 указан неверно" in " ".join(result.stderr.split())


def test_list_shows_the_number_of_each_letter(root: Path) -> None:
    letter = log(root)
    log(root, channel="phone", text=None, template=None, gate=None, summary="Звонок клиенту.")
    table = Cli(root)("contact-log", "list", TICKET)
    assert table.exit_code == 0
    assert f"№ {letter}" in table.stdout
    assert table.stdout.count("№ ") == 1  # the call has no letter to export
