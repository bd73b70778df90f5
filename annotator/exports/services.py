"""Labelled-dataset exports: the one entry point that the command, the export page and the API call."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from annotator.accounts.models import REVIEW_ROLES, User
from annotator.accounts.services import require_role
from annotator.annotations.kinds import KINDS, Kind
from annotator.annotations.models import Status
from annotator.articles.models import Project
from annotator.exports.brat import WHY_QUOTES_ONLY, write_brat
from annotator.exports.claimreview import WHY_CLAIMS_ONLY, WHY_VERDICT_ONLY, write_claimreview
from annotator.exports.conll import LAYER_KINDS, WHY_NOT_LAYERS, write_conll
from annotator.exports.jsonl import write_jsonl
from annotator.exports.records import ExportContext
from annotator.exports.rows import ArticleGroup, Counts, Selection, article_groups, count_selection
from annotator.exports.table import write_csv
from annotator.exports.w3c import write_w3c

Writer = Callable[[Iterable[ArticleGroup], ExportContext], Iterator[bytes]]


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    content_type: str
    extension: str
    writer: Writer
    kinds: tuple[str, ...] = tuple(Kind.values)
    context_kinds: tuple[str, ...] = ()
    with_verdict_only: bool = False
    why_kinds: str = ""  # why the kinds it does not carry are left out

    def left_out(self) -> list[str]:
        """What this format leaves out of an export, and why, from the rules that leave it out."""
        notes = []
        if missing := [KINDS[kind].label.lower() + "s" for kind in Kind.values if kind not in self.kinds]:
            notes.append(f"{' and '.join(missing).capitalize()}: {self.why_kinds}.")
        if self.with_verdict_only:
            notes.append(f"Claims without a verdict: {WHY_VERDICT_ONLY}.")
        return notes


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", "JSON Lines", "application/jsonl; charset=utf-8", "jsonl", write_jsonl),
        Format("csv", "CSV", "text/csv; charset=utf-8; header=present", "csv", write_csv),
        Format(
            "w3c",
            "W3C Web Annotation",
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
            "w3c.jsonld",
            write_w3c,
        ),
        Format(
            "conll",
            "CoNLL",
            "text/plain; charset=utf-8",
            "conll",
            write_conll,
            kinds=LAYER_KINDS,
            why_kinds=WHY_NOT_LAYERS,
        ),
        Format(
            "claimreview",
            "schema.org ClaimReview",
            "application/ld+json",
            "claimreview.jsonld",
            write_claimreview,
            kinds=("claim",),
            context_kinds=("quote",),
            with_verdict_only=True,
            why_kinds=WHY_CLAIMS_ONLY,
        ),
        Format(
            "brat",
            "brat standoff (PolNeAR attribution)",
            "application/zip",
            "brat.zip",
            write_brat,
            kinds=("quote",),
            why_kinds=WHY_QUOTES_ONLY,
        ),
    )
}
STATUSES: dict[str, tuple[str, ...]] = {
    "approved": (Status.APPROVED,),
    "submitted": (Status.SUBMITTED,),
    "rejected": (Status.REJECTED,),
    "all": (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.REJECTED),
}
DEFAULT_STATUS = "approved"


def product_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


@dataclass(frozen=True)
class Filters:
    status: str
    kinds: tuple[str, ...]
    since: dt.datetime | None
    until: dt.datetime | None  # exclusive
    since_text: str | None
    until_text: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "kinds": list(self.kinds), "since": self.since_text, "until": self.until_text}


class ExportStream:
    """The bytes of an export, produced while they are read; `streamed` counts what they hold."""

    def __init__(self, selection: Selection, writer: Writer, context: ExportContext, filters: Filters):
        self.selection, self.writer, self.context, self.filters = selection, writer, context, filters
        self.streamed = Counts()
        self._groups: Generator[ArticleGroup, None, None] | None = None

    def __iter__(self) -> Iterator[bytes]:
        self.streamed = Counts()
        self._groups = article_groups(self.selection, self.streamed)
        return self.writer(self._groups, self.context)

    def close(self) -> None:
        """End a stream its reader left (a download cut off): the cursors close and the transaction ends now,
        not whenever the garbage collector gets to them. A streamed response calls this when it is closed."""
        if self._groups is not None:
            self._groups.close()
            self._groups = None


class DatasetExport(NamedTuple):
    content_type: str
    filename: str
    chunks: ExportStream
    counts: dict[str, Any]  # from one aggregate query just before streaming; see Counts.as_dict


def _moment(value: Any, name: str, *, end_of_day: bool) -> tuple[dt.datetime | None, str | None]:
    """A date or date-time bound; a date `until` includes its whole day. Naive times are UTC."""
    if value in (None, ""):
        return None, None
    if isinstance(value, str):
        text = value.strip()
        try:
            # A plain date first: parse_datetime would read "2026-05-01" as its midnight.
            parsed = parse_date(text) if len(text) == 10 else parse_datetime(text)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError({name: f"{text[:40]!r} is not a date (YYYY-MM-DD) or an ISO 8601 date-time"})
        value = parsed
    if isinstance(value, dt.datetime):
        moment = value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
        try:
            # In UTC: PostgreSQL refuses offsets past ±15:59, which Python reads (up to ±23:59).
            bound = moment.astimezone(dt.UTC) + (dt.timedelta(microseconds=1) if end_of_day else dt.timedelta(0))
        except OverflowError:
            raise ValidationError({name: f"{moment.isoformat()!r} is outside the years 1 to 9999 in UTC"}) from None
        return bound, moment.isoformat()
    if isinstance(value, dt.date):
        day = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
        if end_of_day and value == dt.date.max:
            return None, value.isoformat()  # until the last day there is: no bound
        return (day + dt.timedelta(days=1) if end_of_day else day), value.isoformat()
    raise ValidationError({name: "must be a date or a date-time"})


def clean_filters(
    fmt: Format, status: str | None, kinds: Iterable[str] | None, since: Any = None, until: Any = None
) -> Filters:
    """The filters of an export, checked, with messages that say what to send instead."""
    status = status or DEFAULT_STATUS
    if status not in STATUSES:
        raise ValidationError({"status": f"{status!r} is not a status to export; use one of {', '.join(STATUSES)}"})
    requested = [k for k in (kinds or []) if k]
    unknown = [k for k in requested if k not in Kind.values]
    if unknown:
        raise ValidationError(
            {"kind": f"{', '.join(map(repr, unknown))} is not a kind; the kinds are {', '.join(Kind.values)}"}
        )
    chosen = tuple(k for k in fmt.kinds if not requested or k in requested)
    if not chosen:
        raise ValidationError({"kind": f"the {fmt.label} format holds only {' and '.join(fmt.kinds)} annotations"})
    since_at, since_text = _moment(since, "since", end_of_day=False)
    until_at, until_text = _moment(until, "until", end_of_day=True)
    if since_at and until_at and since_at >= until_at:
        raise ValidationError({"until": "must not be before since"})
    return Filters(status, chosen, since_at, until_at, since_text, until_text)


def export_format(name: str) -> Format:
    if name not in FORMATS:
        raise ValidationError({"format": f"{name!r} is not an export format; use one of {', '.join(FORMATS)}"})
    return FORMATS[name]


def export_dataset(
    *,
    project: Project,
    format: str,
    status: str | None = DEFAULT_STATUS,
    kinds: Iterable[str] | None = None,
    since: Any = None,
    until: Any = None,
    actor: User | None,
    base_url: str | None = None,
) -> DatasetExport:
    """Reviewers and admins export a project's annotations (approved ones unless told otherwise).

    Actor None is the command line. Nothing is read until the chunks are iterated; the counts come
    from one aggregate query now.
    """
    if actor is not None:
        require_role(actor, project, REVIEW_ROLES, to="export annotations")
    fmt = export_format(format)
    filters = clean_filters(fmt, status, kinds, since, until)
    selection = Selection(
        project_id=project.pk,
        statuses=STATUSES[filters.status],
        kinds=filters.kinds,
        since=filters.since,
        until=filters.until,
        with_verdict_only=fmt.with_verdict_only,
        context_kinds=tuple(k for k in fmt.context_kinds if k not in filters.kinds),
    )
    query = [("format", fmt.name), ("status", filters.status)]
    if filters.kinds != fmt.kinds:
        query += [("kind", k) for k in filters.kinds]
    query += [(name, value) for name, value in (("since", filters.since_text), ("until", filters.until_text)) if value]
    context = ExportContext(
        project_slug=project.slug,
        project_name=project.name,
        status=filters.status,
        kinds=filters.kinds,
        base_url=(base_url or settings.SITE_URL).rstrip("/"),
        query_string=urlencode(query),
    )
    return DatasetExport(
        content_type=fmt.content_type,
        filename=export_filename(project, fmt, filters),
        chunks=ExportStream(selection, fmt.writer, context, filters),
        counts=count_selection(selection).as_dict(),
    )


def export_filename(project: Project, fmt: Format, filters: Filters) -> str:
    parts = [project.slug, filters.status]
    if filters.kinds != fmt.kinds:
        parts += filters.kinds
    if filters.since_text or filters.until_text:
        parts.append(f"{(filters.since_text or '')[:10]}_{(filters.until_text or '')[:10]}")
    return "-".join(parts) + "." + fmt.extension


def count_headers(counts: dict[str, Any]) -> dict[str, str]:
    """The counts of an export as response headers (the API and the export page send them)."""
    return {
        "X-Export-Annotations": str(counts["annotations"]),
        "X-Export-Articles": str(counts["articles"]),
        "X-Export-Kinds": ", ".join(f"{k}={n}" for k, n in counts["by_kind"].items()),
        "X-Export-Statuses": ", ".join(f"{s}={n}" for s, n in counts["by_status"].items()),
    }


def build_manifest(
    *, project: Project, format: str, filters: dict[str, Any], counts: dict[str, Any], file: dict[str, Any]
) -> dict[str, Any]:
    """What a manifest beside an exported file says: what it holds, from where, and its checksum."""
    return {
        "product": "annotator",
        "version": product_version(),
        "project": {"slug": project.slug, "name": project.name},
        "format": format,
        "filters": filters,
        "counts": counts,
        "file": file,
        "created_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
