"""Validate a W3C Web Annotation export against the W3C test suite's JSON schemas.

Runs the MUST assertions of `annotations/annotationMusts.test` (54) on every annotation of the
collection, and those of `collections/collectionMusts.test` and `collections/pages/pageMusts.test` on
the collection with its embedded page, with jsonschema (draft 4) and format checking (`uri`,
`date-time`: rfc3986-validator and rfc3339-validator, from requirements-dev.txt). The schemas are the
vendored copy in ../shared/vendor/wpt-annotation-model/ (see its README), outside this repository.

    .venv/bin/python bench/w3c_validate.py EXPORT.w3c.jsonld
    .venv/bin/python bench/w3c_validate.py --project SLUG [--status all]   # exports it first

Exits 1 when any MUST assertion fails, naming the annotation and the assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(os.environ.get("W3C_SUITE", REPO_ROOT.parent / "shared" / "vendor" / "wpt-annotation-model"))


def load_suite():
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    definitions = [json.loads(p.read_text()) for p in sorted((SUITE / "definitions").glob("*.json"))]
    registry = Registry().with_resources((d["id"], Resource(contents=d, specification=DRAFT4)) for d in definitions)

    def assertions(manifest: str) -> list[dict]:
        found: list[dict] = []

        def walk(entries):
            for entry in entries:
                if isinstance(entry, list):
                    walk(entry)
                elif isinstance(entry, str):
                    found.append(json.loads((SUITE / entry).read_text()) | {"file": entry})
                elif "assertions" in entry:
                    raise SystemExit(f"{manifest}: condition objects are not supported here")
                else:
                    found.append(entry)

        walk(json.loads((SUITE / manifest).read_text())["assertions"])
        return [a for a in found if a.get("assertionType", "must") == "must"]

    def failures(instance, manifest_assertions) -> list[str]:
        failed = []
        for assertion in manifest_assertions:
            schema = {k: v for k, v in assertion.items() if k != "file"}
            validator = Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)
            if validator.is_valid(instance) != (assertion.get("expectedResult", "valid") == "valid"):
                failed.append(assertion.get("file") or assertion.get("title", "?"))
        return failed

    return assertions, failures


def export_project(slug: str, status: str) -> bytes:
    sys.path.insert(0, str(REPO_ROOT))
    from bench import harness

    harness.set_up_django()
    from annotator.articles.models import Project
    from annotator.exports.services import export_dataset

    project = Project.objects.get(slug=slug)
    return b"".join(export_dataset(project=project, format="w3c", status=status, actor=None).chunks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="A W3C export (AnnotationCollection).")
    parser.add_argument("--project", help="Export this project first (the database of the settings).")
    parser.add_argument("--status", default="approved")
    args = parser.parse_args()
    if not SUITE.is_dir():
        print(f"The W3C schemas are not at {SUITE} (set W3C_SUITE).", file=sys.stderr)
        return 2
    if args.file:
        content = args.file.read_bytes()
    elif args.project:
        content = export_project(args.project, args.status)
    else:
        parser.error("give a file or --project")
    collection = json.loads(content)
    assertions, failures = load_suite()
    annotation_musts = assertions("annotations/annotationMusts.test")
    collection_musts = assertions("collections/collectionMusts.test")
    page_musts = assertions("collections/pages/pageMusts.test")
    failed = Counter()
    report = []
    for name, manifest in (("collection", collection_musts), ("page", page_musts)):
        for failure in failures(collection, manifest):
            failed[failure] += 1
            report.append(f"{name}: {failure}")
    items = collection["first"]["items"]
    for item in items:
        for failure in failures(item, annotation_musts):
            failed[failure] += 1
            report.append(f"{item['id']}: {failure}")
    kinds = Counter(b["value"] for item in items for b in item["body"][:1])
    print(
        f"{len(items)} annotations ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}): "
        f"{len(annotation_musts)} MUST assertions each (annotationMusts.test); the collection: "
        f"{len(collection_musts)} (collectionMusts.test) + {len(page_musts)} (pageMusts.test)"
    )
    for line in report[:50]:
        print("FAIL", line)
    checks = len(items) * len(annotation_musts) + len(collection_musts) + len(page_musts)
    print(f"{checks - sum(failed.values())} of {checks} assertion checks passed; {sum(failed.values())} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
