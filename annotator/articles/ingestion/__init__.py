"""Reading articles from files: the formats (`formats`), and the normalisation of each record's fields
(`records`). Nothing here writes to the database: `articles.services.import_articles` does, for
`load_articles`, the upload page and the API alike."""

from annotator.articles.ingestion.formats import (
    FORMATS,
    ReadLimits,
    read_named_file,
    read_paths,
    upload_refusal,
)
from annotator.articles.ingestion.records import (
    ArticleRecord,
    Item,
    RecordError,
    Rejection,
    Skipped,
    clean_fields,
    content_hash,
    is_http_url,
    normalize_body,
)

__all__ = [
    "FORMATS",
    "ArticleRecord",
    "Item",
    "ReadLimits",
    "RecordError",
    "Rejection",
    "Skipped",
    "clean_fields",
    "content_hash",
    "is_http_url",
    "normalize_body",
    "read_named_file",
    "read_paths",
    "upload_refusal",
]
