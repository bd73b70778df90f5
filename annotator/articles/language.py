"""An article's `language` as an HTML `lang` value: a BCP 47 tag, or nothing (the text inherits the page's)."""

from __future__ import annotations

import re

# A language subtag of 2–3 letters (or a private or grandfathered i-/x- tag), then subtags of 1–8 letters or digits.
LANGUAGE_TAG = re.compile(r"^(?:[A-Za-z]{2,3}|[ixIX])(?:-[A-Za-z0-9]{1,8})*$")


def html_lang(language: str | None) -> str:
    """The tag to put in `lang` for an article's text ("pt_BR" is read as "pt-BR"); "" when it is not a tag."""
    tag = (language or "").strip().replace("_", "-")
    return tag if len(tag) <= 35 and LANGUAGE_TAG.match(tag) else ""
