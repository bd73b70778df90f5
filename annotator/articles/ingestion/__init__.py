"""Reading articles from files: the formats (`formats`), and the normalisation of each record's fields
(`records`). Nothing here writes to the database: `articles.services.import_articles` does, for
`load_articles`, the upload page and the API alike.

The package's names are its modules' public names (their `__all__`)."""

from annotator.articles.ingestion.formats import *  # noqa: F403
from annotator.articles.ingestion.records import *  # noqa: F403
