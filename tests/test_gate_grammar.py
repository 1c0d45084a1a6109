"""The rule pack for business Russian: each rule fires on its examples and keeps quiet on the
correct ones, correct business sentences pass it, and the gate shows its issues."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from srgcli.gate.engine import Gate
from srgcli.gate.issue import Category, Issue, Severity
from srgcli.gate.pylat import PylatEngine
from srgcli.gate.rule_ids import known_rule_ids
from srgcli.gate.rules import check_grammar, rules

BUSINESS = Path(__file__).parent / "data" / "business"


def _examples(key: str) -> list[tuple[str, str]]:
    found = []
    for rule in rules():
        for example in rule.fire if key == "fire" else rule.keep:
            found.append((rule.id, example))
    return found


@pytest.mark.parametrize(("rule_id", "text"), _examples("fire"))
def test_rule_fires_on_its_examples(rule_id: str, text: str) -> None:
    assert rule_id in {i.rule for i in check_grammar(text)}


@pytest.mark.parametrize(("rule_id", "text"), _examples("pass"))
def test_rule_pack_quiet_on_correct_examples(rule_id: str, text: str) -> None:
    found = [(i.rule, text[i.offset : i.end]) for i in check_grammar(text)]
    assert found == [], f"{rule_id} example: {text}"


def test_every_rule_is_documented_data() -> None:
    ids = [r.id for r in rules()]
    assert len(ids) == len(set(ids))
    for rule in rules():
        assert rule.id.startswith("SRG_")
        assert rule.message and rule.error_class
        assert rule.fire and rule.keep, f"{rule.id} needs examples that fire and that pass"


def test_rule_pack_ids_are_known_to_disabled_rules_checks() -> None:
    assert {r.id for r in rules()} <= known_rule_ids()


FRESH = Path(__file__).parent.parent / "benchmarks" / "data"


def _correct_business_sentences() -> list[str]:
    """Every correct sentence of the business corpora: the tests' and the fresh sets'."""
    files = [BUSINESS / "correct.tsv", *sorted(FRESH.glob("business-*/correct.tsv"))]
    sentences = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            sentences += [row[1] for row in list(csv.reader(handle, delimiter="\t"))[1:]]
    return sentences


# Sentences a fresh set files as correct where the reference the rules follow says otherwise.
DISPUTED = {
    # Грамота.ру: «оплата проезда», «плата за проезд»; «оплата за» is a common error.
    "Оплата за повторную оценку клиентом не вносилась, так как компания признала свою вину в "
    "нарушении сроков.": "SRG_PAY_FOR",
}


def test_rule_pack_never_fires_on_correct_business_sentences() -> None:
    assert len(_correct_business_sentences()) > 700
    flagged = {}
    for text in _correct_business_sentences():
        if text in DISPUTED:
            assert [i.rule for i in check_grammar(text)] == [DISPUTED[text]]
            continue
        found = [(i.rule, text[i.offset : i.end]) for i in check_grammar(text)]
        if found:
            flagged[text] = found
    assert flagged == {}


@pytest.mark.parametrize(
    ("text", "rule", "suggestion"),
    [
        ("Согласно договора оценщик приехал.", "SRG_PREP_CASE", "Согласно договору"),
        ("По окончанию проверки мы позвоним.", "SRG_PO_PREPOSITIONAL", "По окончании"),
        ("Сообщаем что отчёт готов.", "SRG_COMMA_SUBORDINATE", "Сообщаем, что"),
        ("Мы попробуем решить вопрос по другому.", "SRG_HYPHEN", "по-другому"),
        ("Мы получили не подписанный договор.", "SRG_NE_FUSED", "неподписанный"),
        ("Подписи обоих сторон стоят на акте.", "SRG_BOTH_GENDER", "обеих"),
    ],
)
def test_issue_offers_the_correction(text: str, rule: str, suggestion: str) -> None:
    issue = next(i for i in check_grammar(text) if i.rule == rule)
    assert issue.replacements[0] == suggestion


def test_gate_blocks_business_errors_and_honours_disabled_rules() -> None:
    text = "Согласно договора оценщик приехал, и сфотографировал квартиру."
    result = Gate(PylatEngine()).check(text)
    blocking = {i.rule for i in result.issues if i.severity is Severity.ERROR}
    assert {"SRG_PREP_CASE", "SRG_COMMA_BEFORE_AND"} <= blocking
    assert not result.passed
    relaxed = Gate(PylatEngine(), disabled_rules=frozenset({"SRG_PREP_CASE"})).check(text)
    assert "SRG_PREP_CASE" not in {i.rule for i in relaxed.issues}


def test_dangling_gerund_warns_without_blocking() -> None:
    text = "Рассмотрев Вашу жалобу, нами было установлено нарушение."
    result = Gate(PylatEngine()).check(text)
    dangling = [i for i in result.issues if i.rule == "SRG_DANGLING_GERUND"]
    assert dangling and dangling[0].severity is Severity.WARNING


def test_engine_false_alarm_on_account_is_dropped_in_context() -> None:
    gate = Gate(PylatEngine())
    paid = gate.check("Сумма возврата будет перечислена на счёт клиента до пятницы.")
    assert not any(i.rule == "Pravopisanie_slitno1" for i in paid.issues)


@pytest.mark.parametrize(
    "text",
    [
        # «так и не» is "never did", not the second half of «как…, так и»
        "Клиент, как и его супруга, так и не получил уведомление.",
        "Кассандра, как и сестра, замуж так и не вышла.",
    ],
)
def test_engine_false_alarm_by_next_word(text: str) -> None:
    assert not any(i.rule == "Kak_Tak_i" for i in Gate(PylatEngine()).check(text).issues)


@pytest.mark.parametrize(("after", "dropped"), [("не получил", True), ("получил", False)])
def test_engine_false_alarm_needs_its_next_word(after: str, dropped: bool) -> None:
    from srgcli.gate.rules import drop_engine_false_alarms

    text = f"Клиент, как и его супруга, так и {after} уведомление."
    start, end = text.index("как"), text.index("так и") + len("так и")
    alarm = Issue("Kak_Tak_i", Category.GRAMMAR, Severity.ERROR, "…", start, end - start)
    assert drop_engine_false_alarms(text, [alarm]) == ([] if dropped else [alarm])


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Уважаемый Олег Николаевич! Направляем вам исправленный отчёт.", Severity.ERROR),
        ("Елена Викторовна, благодарим за ваше терпение.", Severity.ERROR),
        ("Уважаемые коллеги! Направляем вам отчёт.", Severity.WARNING),
        ("Направляем вам отчёт.", Severity.WARNING),
    ],
)
def test_lower_case_vy_blocks_only_in_a_letter_to_one_person(text: str, severity: Severity) -> None:
    issues = [i for i in Gate(PylatEngine()).check(text).issues if i.rule == "SRG_VY_CAPITAL"]
    assert issues and {i.severity for i in issues} == {severity}


def test_a_word_spelt_with_yo_is_not_a_typo() -> None:
    result = Gate(PylatEngine()).check("Клиент уведомлён письмом.")
    assert result.passed, [(i.rule, i.message) for i in result.issues]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # a typesetting convention: «№ 3101 и 3102» is how a typesetter writes it, not a mistake
        ("Прошу проверить отчёты по заказам № 3101 и № 3102.", "TYPOGRAF_SYMBOL"),
        # a pleonasm that official forms use
        ("Просим заранее предупредить о визите оценщика.", "Tavtology_zaranee_predupredit"),
    ],
)
def test_advisory_engine_rules_warn_without_blocking(text: str, rule: str) -> None:
    result = Gate(PylatEngine()).check(text)
    assert result.passed
    assert [i.severity for i in result.issues if i.rule == rule] == [Severity.WARNING]
