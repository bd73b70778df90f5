from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotator.articles.ingestion import read_paths
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

    def handle(self, *args, paths: list[Path], project: str, create_project: bool, batch_size: int, **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        target = Project.objects.filter(slug=project).first()
        if target is None:
            if not create_project:
                raise CommandError(f"No project with the slug {project!r}; add --create-project to create it.")
            target = create_project_named(project)
            self.stderr.write(f"created project {target.slug!r}")
        bar = tqdm(desc="articles", unit=" records", file=self.stderr._out, mininterval=1.0, disable=None)

        def progress(summary: ImportSummary) -> None:
            bar.update(len(summary.ids) - bar.n)
            bar.set_postfix(added=summary.added, duplicates=summary.duplicates, rejected=len(summary.rejected))

        summary = import_articles(
            project=target, actor=None, items=read_paths(paths), batch_size=batch_size, progress=progress
        )
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
            self.stderr.write(
                f"passed over {len(summary.skipped) - SKIPPED_SHOWN} more files not in a supported format"
            )
        for rejection in summary.rejected:
            self.stderr.write(f"rejected {rejection.where}: {rejection.reason}")
        self.stdout.write(summary.line())
        if summary.rejected:
            raise CommandError(f"{len(summary.rejected)} record(s) rejected (listed above)", returncode=1)


def create_project_named(slug: str) -> Project:
    return create_project(actor=None, name=slug, slug=slug)
