"""Cross-site scripting payloads, gathered from the advisories of Label Studio, doccano and INCEpTION.

Each payload carries a canary in three forms, so that an injection is caught however far it gets:
`__xss('ID')` (runs only when script runs: the browser tests also load every page with the CSP
switched off), a request for `/__xss/ID` on the live server (images, frames, style sheets: these run
under our CSP too), and markers the DOM check looks for (`data-xss`, an `on*` or `hx-*` attribute or
a `javascript:` URL that holds `__xss`). `ID` names the field and the payload, e.g. `title-03`,
so that a canary that fires says where the hole is (`payload_name` turns the number back into
the payload's name).
"""

from __future__ import annotations

from dataclasses import dataclass

PLACEHOLDER = "@@"

# name → payload, "@@" standing for the id. No payload holds a comma (the settings form splits labels
# at commas); single-line fields turn the line breaks of `markdown-reference` into spaces.
TEMPLATES: dict[str, str] = {
    "img-onerror": "<img src=x data-xss=@@ onerror=__xss('@@')>",
    "svg-onload": "\"><svg/onload=__xss('@@') data-xss=@@>",
    "script-break": "</script><script data-xss=@@>__xss('@@')</script>",
    "script-tag": "<script>__xss('@@')</script>",
    "javascript-text": "javascript:__xss('@@')",
    "a-javascript": "<a href=\"javascript:__xss('@@')\" data-xss=@@>link</a>",
    "markdown-link": "[link](javascript:__xss('@@'))",
    "markdown-image": "![image](javascript:__xss('@@'))",
    "markdown-mixed-case": "[link](JaVaScRiPt:__xss('@@'))",
    "markdown-entity": "[link](javascript&#58;__xss('@@'))",
    "markdown-tab": "[link](<java\tscript:__xss('@@')>)",
    "markdown-autolink": "<javascript:__xss('@@')>",
    "markdown-reference": "[link][r-@@]\n\n[r-@@]: javascript:__xss('@@')",
    "markdown-data": "[link](data:text/html;<script>__xss('@@')</script>)",
    "markdown-raw-html": "*em* <img src=/__xss/@@ data-xss=@@>",
    "django-template": '{{ "xss-tpl-@@"|upper }}{% templatetag openblock %}',
    "client-template": "{{constructor.constructor('__xss(\"@@\")')()}}",
    "iframe-srcdoc": "<iframe srcdoc=\"<script>parent.__xss('@@')</script>\" data-xss=@@></iframe>",
    "iframe-src": "<iframe src=/__xss/@@ data-xss=@@></iframe>",
    "attr-single-quote": "' onmouseover=__xss('@@') autofocus onfocus=__xss('@@') data-xss='@@",
    "attr-double-quote": "\" autofocus onfocus=__xss('@@') data-xss=\"@@",
    "attr-backtick": "` onfocus=__xss('@@') autofocus data-xss=`@@",
    "style-import": "<style data-xss=@@>@import '/__xss/@@';</style>",
    "link-stylesheet": "<link rel=stylesheet href=/__xss/@@ data-xss=@@>",
    "img-request": "<img src=/__xss/@@ data-xss=@@>",
    "data-url": "<a href=\"data:text/html;<script>__xss('@@')</script>\" data-xss=@@>data</a>",
    "svg-script": "<svg data-xss=@@><script>__xss('@@')</script></svg>",
    "svg-image": "<svg data-xss=@@><image href=/__xss/@@ /></svg>",
    "svg-xlink": "<svg data-xss=@@><a xlink:href=\"javascript:__xss('@@')\"><text y=9>x</text></a></svg>",
    "object-data": "<object data=/__xss/@@ data-xss=@@></object>",
    "entity-named": "&lt;img src=/__xss/@@ onerror=__xss('@@')&gt;",
    "entity-numeric": "&#60;script&#62;__xss('@@')&#60;/script&#62;",
    "htmx-attribute": "<div hx-get=/__xss/@@ hx-trigger=load data-xss=@@>htmx</div>",
    "meta-refresh": '<meta http-equiv=refresh content="0;url=/__xss/@@" data-xss=@@>',
}

# http(s) URLs that the validators accept (the app shows them as links) but that try to leave the
# attribute they are written in. No white space: a URL with a space is refused.
URL_TEMPLATES: dict[str, str] = {
    "url-double-quote": 'https://example.org/a"><img/src=/__xss/@@/data-xss=@@>',
    "url-single-quote": "https://example.org/a'><svg/onload=__xss('@@')/data-xss=@@>",
    "url-script": "https://example.org/?q=</a><script>__xss('@@')</script>",
    "url-entity": "https://example.org/?q=&quot;&gt;&lt;img/src=/__xss/@@&gt;",
}

# Addresses that `url` and `evidence_url` must refuse: every scheme but http(s), in every disguise.
HOSTILE_URLS: list[str] = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\x01javascript:alert(1)",
    "\x1f\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    " VBScript:msgbox(1)",
    "https:javascript:alert(1)",
    "//example.org/protocol-relative",
    "file:///etc/passwd",
    "ftp://example.org/a.txt",
]


@dataclass(frozen=True)
class Payload:
    id: str
    text: str


def corpus(field: str, templates: dict[str, str] = TEMPLATES) -> list[Payload]:
    """Every payload, its canaries named `<field>-<number of the payload>`."""
    return [
        Payload(f"{field}-{n:02d}", template.replace(PLACEHOLDER, f"{field}-{n:02d}"))
        for n, template in enumerate(templates.values())
    ]


def url_corpus(field: str) -> list[Payload]:
    return corpus(field, URL_TEMPLATES)


def payload_name(canary: str) -> str:
    """`title-03` → `title-03 (script-break)`: which payload a canary belongs to."""
    field, _, number = canary.rpartition("-")
    names = list(URL_TEMPLATES if field.endswith("url") else TEMPLATES)
    try:
        return f"{canary} ({names[int(number)]})"
    except (ValueError, IndexError):
        return canary


def joined(payloads: list[Payload], separator: str = " ") -> str:
    return separator.join(p.text for p in payloads)


def chunks(payloads: list[Payload], limit: int) -> list[str]:
    """The payloads joined with spaces into as few strings of at most `limit` characters as they fit."""
    result: list[str] = []
    current = ""
    for payload in payloads:
        if len(payload.text) > limit:
            raise ValueError(f"{payload.id} is longer than {limit} characters")
        if current and len(current) + 1 + len(payload.text) > limit:
            result.append(current)
            current = payload.text
        else:
            current = f"{current} {payload.text}" if current else payload.text
    if current:
        result.append(current)
    return result
