from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotator.annotations.imports import annotations_author
from annotator.articles.ingestion import read_paths
from annotator.articles.ingestion.brat import BratImport, read_brat_paths
from annotator.articles.models import Project
from annotator.articles.services import ImportSummary, create_project, import_articles, index_for_search

SKIPPED_SHOWN = 5


class Command(BaseCommand):
    help = "Load articles from .txt, .jsonl, .json, .csv, .html files, folders and .zip archives into a project."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files and folders to read.")
        parser.add_argument("--project", required=True, help="Slug of the project to load into.")
        parser.add_argument("--create-project", action="store_true", help="Create the project when it is missing.")
        parser.add_argument("--batch-size", type=int, default=500, help="Articles stored per transaction.")
        parser.add_argument(
            "--annotations",
            choices=["brat"],
            help="brat: the paths are folders or .zip archives of brat .txt + .ann pairs (docs/brat.md).",
        )
        parser.add_argument(
            "--as", dest="annotator", metavar="USERNAME", help="With --annotations: the member whose quotes they are."
        )

    def handle(self, *args, paths: list[Path], project: str, create_project: bool, batch_size: int, **options):
        annotations, annotator = options.get("annotations"), options.get("annotator")
        if bool(annotations) != bool(annotator):
            raise CommandError("--annotations brat and --as USERNAME go together.")
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        target = Project.objects.filter(slug=project).first()
        if target is None:
            if not create_project:
                raise CommandError(f"No project with the slug {project!r}; add --create-project to create it.")
            target = create_project_named(project)
            self.stderr.write(f"created project {target.slug!r}")
        brat = None
        if annotations:
            try:
                brat = BratImport(annotator=annotations_author(project=target, username=annotator).username)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        bar = tqdm(desc="articles", unit=" records", file=self.stderr._out, mininterval=1.0, disable=None)

        def progress(summary: ImportSummary) -> None:
            bar.update(len(summary.ids) - bar.n)
            bar.set_postfix(added=summary.added, duplicates=summary.duplicates, rejected=len(summary.rejected))

        items = read_paths(paths) if brat is None else read_brat_paths(paths, tally=brat)
        summary = import_articles(project=target, actor=None, items=items, batch_size=batch_size, progress=progress)
        progress(summary)
        bar.close()
        if summary.added:
            self.stderr.write(f"indexed {index_for_search(project=target)} articles for search")
        if summary.suggestions.articles:
            self.stderr.write(summary.suggestions.line())
            for failure in summary.suggestions.failures:
                self.stderr.write(f"suggester failed: {failure}")
        for skipped in summary.skipped[:SKIPPED_SHOWN]:
            self.stderr.write(f"passed over {skipped.where}: {skipped.reason}")
        if len(summary.skipped) > SKIPPED_SHOWN:
            self.stderr.write(f"passed over {len(summary.skipped) - SKIPPED_SHOWN} more files")
        if brat is not None:
            self.stderr.write(brat.line())
        for rejection in summary.rejected:
            self.stderr.write(f"rejected {rejection.where}: {rejection.reason}")
        self.stdout.write(summary.line())
        if summary.rejected:
            raise CommandError(f"{len(summary.rejected)} record(s) rejected (listed above)", returncode=1)


def create_project_named(slug: str) -> Project:
    return create_project(actor=None, name=slug, slug=slug)
