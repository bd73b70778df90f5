"""Search for words of every script: full-text for spaced scripts, character grams for unspaced ones.

PostgreSQL's parser splits text at spaces and punctuation, so "東京で会議" is one word to it and `東京` finds
nothing. Text in scripts written without spaces between words (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar,
Tibetan) is therefore also indexed as the set of its characters and pairs of adjacent characters
(`Article.search_grams`, a GIN-indexed array): a query run of such characters is looked up by its pairs (or its
one character) through that index, then confirmed as a substring of the same bounded title and body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# The scripts written without spaces between words, as PostgreSQL regular expression ranges (the migration that
# creates `article_script_grams` spells the same ranges) and as a Python pattern.
UNSPACED_RANGES = (
    ("0E00", "0EFF"),  # Thai, Lao
    ("0F00", "0FFF"),  # Tibetan
    ("1000", "109F"),  # Myanmar
    ("1100", "11FF"),  # Hangul Jamo
    ("1780", "17FF"),  # Khmer
    ("3005", "3007"),  # 々 〆 〇
    ("3040", "30FF"),  # Hiragana, Katakana
    ("3130", "318F"),  # Hangul compatibility Jamo
    ("31F0", "31FF"),  # Katakana extensions
    ("3400", "4DBF"),  # CJK extension A
    ("4E00", "9FFF"),  # CJK unified ideographs
    ("AC00", "D7AF"),  # Hangul syllables
    ("F900", "FAFF"),  # CJK compatibility ideographs
    ("FF66", "FF9F"),  # half-width Katakana
    ("00020000", "0003FFFF"),  # CJK extensions B to H
)
UNSPACED_RUN = re.compile("[" + "".join(f"{chr(int(a, 16))}-{chr(int(b, 16))}" for a, b in UNSPACED_RANGES) + "]+")


def sql_unspaced_class() -> str:
    """The character class of UNSPACED_RANGES in PostgreSQL's regular expression syntax."""
    escape = lambda code: f"\\u{code}" if len(code) == 4 else f"\\U{code}"  # noqa: E731
    return "[" + "".join(f"{escape(a)}-{escape(b)}" for a, b in UNSPACED_RANGES) + "]"


def grams(run: str) -> list[str]:
    """What the index holds of a run that a query must find: its one character, or its pairs of adjacent ones."""
    if len(run) == 1:
        return [run]
    return sorted({run[i : i + 2] for i in range(len(run) - 1)})


@dataclass
class SearchTerms:
    """A query split into its full-text part (web-search syntax) and the unspaced runs it needs and excludes."""

    words: str = ""
    runs: list[str] = field(default_factory=list)
    excluded_runs: list[str] = field(default_factory=list)

    @property
    def has_words(self) -> bool:
        return any(character.isalnum() for character in self.words)


def split_query(text: str) -> SearchTerms:
    """Take the runs of unspaced scripts out of a web-search query; `-run` excludes, quotes and OR are ignored there."""
    terms = SearchTerms()
    remainder = []
    for token in unicodedata.normalize("NFC", text).split():
        found = UNSPACED_RUN.findall(token)
        if found:
            (terms.excluded_runs if token.startswith("-") else terms.runs).extend(found)
            token = UNSPACED_RUN.sub(" ", token)
        remainder.append(token)
    terms.words = " ".join(remainder) if terms.runs or terms.excluded_runs else text
    terms.runs = list(dict.fromkeys(terms.runs))
    terms.excluded_runs = list(dict.fromkeys(terms.excluded_runs))
    return terms
