from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.articles.models import Project
from annotator.exports.services import DEFAULT_STATUS, FORMATS, STATUSES, build_manifest, export_dataset


class Command(BaseCommand):
    help = (
        f"Export a project's annotations as a labelled dataset ({', '.join(FORMATS)}), to stdout "
        "or to --output FILE with FILE.manifest.json beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="Slug of the project.")
        parser.add_argument("--format", required=True, choices=list(FORMATS), help="The dataset format.")
        parser.add_argument(
            "--status", default=DEFAULT_STATUS, choices=list(STATUSES), help="Which annotations (default approved)."
        )
        parser.add_argument("--kind", action="append", default=[], help="Only this kind (repeat for several).")
        parser.add_argument("--since", help="Annotations changed on or after this date (YYYY-MM-DD) or time.")
        parser.add_argument("--until", help="Annotations changed on or before this date (YYYY-MM-DD) or time.")
        parser.add_argument("--output", type=Path, help="Write here, with a manifest beside it (default: stdout).")

    def handle(self, *args, project: str, format: str, status: str, kind: list[str], since, until, output, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(f"No project with the slug {project!r}.")
        try:
            export = export_dataset(
                project=target, format=format, status=status, kinds=kind, since=since, until=until, actor=None
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        if output is None:
            stream = sys.stdout.buffer
            for chunk in export.chunks:
                stream.write(chunk)
            stream.flush()
            return
        output = Path(output)
        digest, size = hashlib.sha256(), 0
        partial = output.with_name(output.name + ".part")
        with partial.open("wb") as file:
            for chunk in export.chunks:
                digest.update(chunk)
                size += len(chunk)
                file.write(chunk)
        os.replace(partial, output)
        counts = export.chunks.streamed.as_dict()
        manifest = build_manifest(
            project=target,
            format=format,
            filters=export.chunks.filters.as_dict(),
            counts=counts,
            file={
                "name": output.name,
                "bytes": size,
                "sha256": digest.hexdigest(),
                "content_type": export.content_type,
            },
        )
        manifest_path = output.with_name(output.name + ".manifest.json")
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stderr.write(
            f"exported {counts['annotations']} annotations of {counts['articles']} articles to {output} "
            f"(manifest: {manifest_path})"
        )
