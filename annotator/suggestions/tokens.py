"""Words of an article as the name and quote rules see them: tokens with their offsets, and word shapes.

A token is a word (letters, digits, inner apostrophes, hyphens and dots, so that "U.S.", "Mr.", "al-Assad" and
"Russia’s" stay whole) or any other visible character on its own; offsets count code points of the body.
"""

from __future__ import annotations

import functools
import re

# Abbreviations whose dot belongs to the word ("Mr.", "Sen.").
ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Maj|Cmdr|Gov|Rev|Hon|Sr|Jr|St|Supt|Atty|Pres|Sec|Amb|Cpl|Pvt"
)
TOKEN = re.compile(
    rf"(?:[^\W_]\.){{2,}}|(?:{ABBREVIATIONS})\.|[A-Z]\.(?=\s)|[^\W_](?:[\w’'\-\u0300-\u036f]*[^\W_\u0300-\u036f]|[\u0300-\u036f]+)?"
    r"(?:(?<=s)['’](?=[ \u00a0][A-Z]))?|[^\w\s]"
)
# A word as the rules count words: no punctuation, no abbreviation dots.
WORD = re.compile(r"[^\W_](?:[\w’'\-\u0300-\u036f]*[^\W_\u0300-\u036f])?")


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Every token of a text as (start, end, text)."""
    tokens = []
    position = 0
    find = text.find
    for word in TOKEN.findall(text):  # a third faster than building a match object per token
        position = find(word, position)
        end = position + len(word)
        tokens.append((position, end, word))
        position = end
    return tokens


@functools.lru_cache(maxsize=16384)
def norm(word: str) -> str:
    """A word as the look-up tables hold it: lowercase, no dots, no possessive."""
    word = word.lower().replace(".", "")
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def is_adverb(word: str) -> bool:
    """A lowercase word in -ly of five letters or more: "repeatedly", "publicly"."""
    return word.islower() and word.endswith("ly") and len(word) > 4
