"""The project dashboard: progress, annotations, annotators and agreement, as charts and tables.

The numbers come from `stats.project_stats` and `agreement.project_agreement`, as the API's do.
"""

from __future__ import annotations

from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotator.annotations.models import Status
from annotator.reports.access import figures_project
from annotator.reports.agreement import ProjectAgreement, project_agreement
from annotator.reports.charts import bar_chart, line_chart, one_bar_each, percent, ratio, tenths
from annotator.reports.stats import ProjectStats, project_stats
from annotator.suggestions.figures import suggestion_figures


@require_GET
@login_required
def project_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Reviewers and admins see how the project's work stands."""
    project = figures_project(request.user, slug)
    stats = project_stats(project)
    agreement = project_agreement(project)
    context = {"project": project, "stats": stats, "agreement": agreement, "charts": charts(stats, agreement)}
    context["suggestions"] = suggestion_figures(project, revision=stats.revision)
    return render(request, "reports/dashboard.html", context)


# The annotators' figures charted with one bar per annotator: key, title, series, figure, how it is written.
ANNOTATOR_CHARTS = (
    (
        "throughput",
        "Annotations handed in per active day",
        "per active day",
        attrgetter("per_active_day"),
        {"fmt": tenths},
    ),
    (
        "rejections",
        "Rejection rate (rejected ÷ decided)",
        "rejection rate",
        attrgetter("rejection_rate"),
        {"fmt": percent, "domain": (0, 1)},
    ),
)


def charts(stats: ProjectStats, agreement: ProjectAgreement) -> dict:
    """The dashboard's charts, drawn from the same figures as its tables."""
    annotators = stats.per_annotator
    labels = [(k.kind, a) for k in agreement.kinds for a in k.alphas]
    return {
        "progress": one_bar_each(
            "chart-progress", "Articles by progress", "articles", [(p.label, p.articles) for p in stats.progress]
        ),
        "by_kind": bar_chart(
            "chart-kinds",
            "Annotations by kind and status",
            [row.kind for row in stats.by_kind],
            [(label, [getattr(row, status) for row in stats.by_kind]) for status, label in Status.choices],
        ),
        **{
            key: one_bar_each(f"chart-{key}", title, name, [(a.annotator, figure(a)) for a in annotators], **options)
            for key, title, name, figure, options in ANNOTATOR_CHARTS
        },
        "f1": bar_chart(
            "chart-f1",
            "Span F1 between annotators, mean over pairs",
            [k.kind for k in agreement.kinds],
            [
                ("exact match", [k.f1_exact for k in agreement.kinds]),
                ("overlap match", [k.f1_overlap for k in agreement.kinds]),
            ],
            fmt=ratio,
            domain=(0, 1),
        ),
        "alpha": one_bar_each(
            "chart-alpha",
            "Krippendorff's alpha (nominal) on the labels of matched spans",
            "alpha",
            [(f"{kind} {a.label}", a.alpha) for kind, a in labels],
            fmt=ratio,
            domain=(0, 1),
        ),
        "per_day": line_chart(
            "chart-days",
            "Annotations handed in per day",
            [(d.day, d.annotations) for d in stats.per_day],
        ),
    }
