"""Every word pymorphy3 knows that srgcli's etiquette lists catch: the reviewed fixture.

    python tools/etiquette_matches.py           # print the matches (list, form, entry)
    python tools/etiquette_matches.py --write   # after review: rewrite the fixture
    python tools/etiquette_matches.py --full    # prove the enumeration against the whole
                                                # dictionary, form by form (minutes)

A known word matches a list only through its surface form or its lemmas, so the forms it can
catch are the lexemes of the list's words plus, for the stems, every known word that starts
with a prefix and the stem (those must match nothing: stems judge unknown words only). This
enumeration takes seconds; walking all 5 million entries of the dictionary takes minutes, so
`--full` does that once, by hand, to show both give the same set.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "etiquette_dictionary_matches.txt"
# The lists matched word by word, with the short name used in the fixture.
LISTS = {
    "profanity": "profanity.txt",
    "slang": "slang.txt",
    "familiar": "familiar.txt",
    "cliches": "cliches.txt",
}
REGENERATE = "python tools/etiquette_matches.py --write"


def _spellings(text: str) -> set[str]:
    """`text` with each «е» also as «ё»: the dictionary spells words with «ё»."""
    options = [("е", "ё") if c == "е" else (c,) for c in text]
    return {"".join(chars) for chars in product(*options)}


def candidate_forms(name: str) -> set[str]:
    """Every known form a list's entries could possibly match (see the module docstring)."""
    from srgcli.gate import morph
    from srgcli.gate.wordlists import profanity_prefixes, word_list

    analyzer = morph.analyzer()
    forms: set[str] = set()
    for entry in word_list(name):
        if len(entry.words) > 1:
            continue  # phrases are matched in context, word after word
        word = entry.words[0].lower()
        if entry.stem:
            for prefix in profanity_prefixes():
                for start in _spellings((prefix + word).lower().replace("ё", "е")):
                    forms.update(analyzer.dictionary.words.keys(start))
            continue
        forms.add(word)
        for parse in analyzer.parse(word):
            if parse.is_known:
                forms.update(p.word for p in parse.lexeme)
    return {f for f in forms if morph.dictionary_word(f)}


def dictionary_matches() -> list[str]:
    """The fixture's lines: `list<TAB>form<TAB>entry`, sorted, for every known form a
    single-word entry catches (phrases are matched in context, not word by word)."""
    from srgcli.gate.wordlists import correct_word_lemmas, list_matches, word_facts

    lines = set()
    for short, name in LISTS.items():
        for form in candidate_forms(name):
            for entry in list_matches(name, word_facts(form), correct_word_lemmas):
                if len(entry.words) == 1:
                    lines.add(f"{short}\t{form}\t{entry.words[0]}")
    return sorted(lines)


def read_fixture() -> list[str]:
    """The reviewed lines (comments and blank lines skipped)."""
    return [
        line
        for line in FIXTURE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]


def write_fixture(lines: Iterable[str]) -> None:
    """Store the reviewed matches."""
    header = (
        "# Every word form pymorphy3 knows that an etiquette list catches: list, form, entry.\n"
        f"# Reviewed by hand. Regenerate after reviewing a list change: {REGENERATE}\n"
    )
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def _whole_dictionary() -> Iterator[tuple[str, frozenset[str]]]:
    """Each form pymorphy3 knows with the lemmas of all its analyses (keys come sorted)."""
    from srgcli.gate import morph

    dictionary = morph.analyzer().dictionary
    current, lemmas = "", set()
    for form, (para_id, idx) in dictionary.words.iteritems():
        if form != current:
            if current:
                yield current, frozenset(lemmas)
            current, lemmas = form, set()
        lemmas.add(dictionary.build_normal_form(para_id, idx, form))
    if current:
        yield current, frozenset(lemmas)


def full_matches() -> list[str]:
    """The same lines, from a walk over every form of the dictionary (slow)."""
    from srgcli.gate.wordlists import WordFacts, correct_word_lemmas, list_matches

    lines = set()
    for form, lemmas in _whole_dictionary():
        word = WordFacts(form, lemmas, known=True)
        for short, name in LISTS.items():
            for entry in list_matches(name, word, correct_word_lemmas):
                if len(entry.words) == 1:  # a phrase's first word alone is no match
                    lines.add(f"{short}\t{form}\t{entry.words[0]}")
    return sorted(lines)


def main(argv: list[str]) -> int:
    """Print, write or prove the matches."""
    started = time.perf_counter()
    if "--full" in argv:
        full, fast = full_matches(), dictionary_matches()
        print(f"whole dictionary: {len(full)} matches in {time.perf_counter() - started:.0f} s")
        for line in sorted(set(full) ^ set(fast)):
            print(("only in the walk: " if line in full else "only enumerated: ") + line)
        return 0 if full == fast else 1
    lines = dictionary_matches()
    if "--write" in argv:
        write_fixture(lines)
        print(f"{FIXTURE.relative_to(ROOT)}: {len(lines)} lines", file=sys.stderr)
    else:
        print("\n".join(lines))
    print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
