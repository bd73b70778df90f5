"""When two usernames are one: the same after NFKC and case folding, or confusable (the same Unicode TR39 skeleton)."""

from __future__ import annotations

import hashlib
import unicodedata
from typing import NamedTuple

from disarm import skeleton_key


class UsernameKeys(NamedTuple):
    """What no two accounts share. Each is hashed because the text it is made from can be many times longer than
    the name (one Arabic ligature is eighteen letters), past what a row of a unique index may hold."""

    folded: str
    skeleton: str


def username_keys(username: str) -> UsernameKeys:
    """`A_ANN1` and `a_ann1` fold to one name; `ａ_ann1` (full width), `а_ann1` (Cyrillic а) and `a_annl` have its
    skeleton. Both are needed: the skeleton of a capital can differ from its small letter's (`I` is confused with
    `l`, `i` is not), so folding case does not make the skeleton, nor the skeleton the fold."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
    # disarm's TR39 skeleton; digit_policy "tr39" keeps TR39's classes of 1/I/l and 0/O, which disarm's default
    # leaves apart (right for part numbers, wrong for names people must tell apart).
    skeleton = skeleton_key(username, digit_policy="tr39")
    return UsernameKeys(_digest(folded), _digest(skeleton))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
