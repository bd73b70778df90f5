"""The project dashboard: progress, annotations, annotators and agreement, as charts and tables.

The numbers come from `stats.project_stats` and `agreement.project_agreement`, as the API's do.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotator.annotations.models import Status
from annotator.reports.access import figures_project
from annotator.reports.agreement import ProjectAgreement, project_agreement
from annotator.reports.charts import bar_chart, count, line_chart, percent, ratio, tenths
from annotator.reports.stats import ProjectStats, project_stats
from annotator.suggestions.services import suggestion_figures


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


def charts(stats: ProjectStats, agreement: ProjectAgreement) -> dict:
    """The dashboard's charts, drawn from the same figures as its tables."""
    annotators = stats.per_annotator
    kinds = [k.kind for k in agreement.kinds]
    labels = [(k.kind, a) for k in agreement.kinds for a in k.alphas]
    return {
        "progress": bar_chart(
            "chart-progress",
            "Articles by progress",
            [p.label for p in stats.progress],
            [("articles", [p.articles for p in stats.progress])],
        ),
        "by_kind": bar_chart(
            "chart-kinds",
            "Annotations by kind and status",
            [row.kind for row in stats.by_kind],
            [(label, [getattr(row, status) for row in stats.by_kind]) for status, label in Status.choices],
        ),
        "throughput": bar_chart(
            "chart-throughput",
            "Annotations handed in per active day",
            [a.annotator for a in annotators],
            [("per active day", [a.per_active_day for a in annotators])],
            fmt=tenths,
            tick_fmt=count,
        ),
        "rejections": bar_chart(
            "chart-rejections",
            "Rejection rate (rejected ÷ decided)",
            [a.annotator for a in annotators],
            [("rejection rate", [a.rejection_rate for a in annotators])],
            fmt=percent,
            domain=(0, 1),
        ),
        "f1": bar_chart(
            "chart-f1",
            "Span F1 between annotators, mean over pairs",
            kinds,
            [
                ("exact match", [k.f1_exact for k in agreement.kinds]),
                ("overlap match", [k.f1_overlap for k in agreement.kinds]),
            ],
            fmt=ratio,
            domain=(0, 1),
        ),
        "alpha": bar_chart(
            "chart-alpha",
            "Krippendorff's alpha (nominal) on the labels of matched spans",
            [f"{kind} {a.label}" for kind, a in labels],
            [("alpha", [a.alpha for _, a in labels])],
            fmt=ratio,
            domain=(0, 1),
        ),
        "per_day": line_chart(
            "chart-days",
            "Annotations handed in per day",
            [(d.day, d.annotations) for d in stats.per_day],
        ),
    }
