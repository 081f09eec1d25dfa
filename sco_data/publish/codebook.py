"""The release's README.md: what the dataset is, every table and column, how to cite it.

Generated from the same descriptions Datasette shows (``sco_data.publish.metadata``), so the
codebook cannot drift from the schema.
"""

from __future__ import annotations

from sco_data.errors import ReleaseRefused
from sco_data.lock import LockError, locked_versions
from sco_data.paths import DATASETTE_1_LOCK_FILE, LOCK_FILE
from sco_data.publish.bibliography import ArticleRef, SourceRef, record_citation
from sco_data.publish.metadata import SITE, table_metadata

# The one command serving the release on each line of Datasette (``datasette_compat.LINES``).
SERVE_COMMANDS = {
    "0.65": "datasette sco.db -m metadata.json",
    "1.0": "datasette sco.db -m metadata.json -c datasette.yaml",
}

FILES = [
    ("sco.db", "the whole database in one SQLite file; Datasette serves it with every "
     "description, label, facet and saved query (the commands below)"),
    ("metadata.json", "Datasette's metadata for `sco.db`: titles, descriptions, licence, "
     "facets, the saved queries (all Datasette 0.65 needs)"),
    ("datasette.yaml", "Datasette 1.0's configuration for `sco.db`: facets, sorts, label "
     "columns, hidden tables and the saved queries, which 1.0 reads only from here"),
    ("csv/<table>.csv", "one CSV per table: UTF-8, a header row, RFC 4180 quoting, CRLF, "
     "`true`/`false` for booleans, an empty field for NULL"),
    ("json/<table>.json", "one array of objects per table"),
    ("parquet/<table>.parquet", "one Parquet file per table, typed as the data package says "
     "(for DuckDB, Polars, pandas, Arrow)"),
    ("annotations.jsonld", "every citation as a W3C Web Annotation (TextQuoteSelector and "
     "TextPositionSelector on the article's text)"),
    ("datapackage.json", "a Frictionless Data Package describing the CSVs"),
    ("sco-data-<version>-csv.zip", "the CSVs with datapackage.json, metadata.json, "
     "datasette.yaml, this README, the licences and the citation file, in one download"),
    ("README.md", "this codebook"),
    ("LICENSE, LICENSE-DATA", "the licences of the code and of the curated data"),
    ("CITATION.cff", "how to cite the dataset, in the Citation File Format"),
    ("requirements-lock.txt", "the exact versions of every package the release was built "
     "with; `datapackage.json` records its SHA-256 (`lock`)"),
    ("SHA256SUMS", "the SHA-256 of every other file: `sha256sum -c SHA256SUMS`"),
]


# The README's example of a record's citation ("How to cite a row"), written by the function
# that writes every record's citation.
EXAMPLE_SOURCE = SourceRef(
    ArticleRef("ap-leaders-attend-2024-07-04", "Leaders of Russia, China attend summit of "
               "regional security grouping", "The Associated Press", None, "2024-07-04", "day"),
    7, "Belarus, joined the SCO on Thursday.")


def tested_datasette() -> dict[str, str]:
    """The Datasette release of each line the site's tests run on, from the two locks."""
    try:
        return {line: locked_versions(lock)["datasette"][0]
                for line, lock in (("0.65", LOCK_FILE), ("1.0", DATASETTE_1_LOCK_FILE))}
    except (LockError, KeyError) as error:
        raise ReleaseRefused(f"the locks name no Datasette to recommend ({error}): run "
                             "`make lock`") from None


def render_codebook(version: str) -> str:
    """The README.md of release ``version``."""
    tested = tested_datasette()
    out = [
        f"# sco-data {version}: {SITE['title']}",
        "",
        SITE["description"],
        "",
        "## Files",
        "",
        "| file | what it is |",
        "|---|---|",
        *(f"| `{name}` | {about} |" for name, about in FILES),
        "",
        "## Browse it",
        "",
        "With Datasette 0.65:",
        "",
        "```",
        f"pip install datasette=={tested['0.65']}",
        f"{SERVE_COMMANDS['0.65']}",
        "```",
        "",
        "With Datasette 1.0 (an alpha until its release):",
        "",
        "```",
        f"pip install datasette=={tested['1.0']}",
        f"{SERVE_COMMANDS['1.0']}",
        "```",
        "",
        "Either shows every table with its descriptions, labelled links and facets, and the "
        "saved questions. `pip install sco-data` adds the source viewer to that same command: "
        "every article line by line at `/-/articles`, each record's sources highlighted on its "
        "page.",
        "",
        "## Rebuild it",
        "",
        "At the release's commit, `pip install -c requirements-lock.txt -e '.[release]' && "
        "python build.py release` (with the lock shipped here) writes the same files, byte for "
        "byte.",
        "",
        "## The citation rules",
        "",
        "Every row of every record table cites the article line that states it: `citations` "
        "holds one row per citation (`record_table`, `record_id`, `article_id`, `line`), with "
        "the exact words (`evidence`) at `char_start`–`char_end` of that line of `lines`. A "
        "record's own `article_id` and `line` are its primary source. Articles that print one "
        "story (a wire report and its copies) form one source group; `corroboration` counts, "
        "per record, its citations, articles and independent sources.",
        "",
        "## Dates",
        "",
        "Dates are ISO 8601 at the precision the text gives (`2022`, `2024-05`, `2024-07-03`). "
        "Each date column has a sibling `<column>_precision` (`year`, `month` or `day`). In "
        "pandas: `pd.to_datetime(df.start_date.where(df.start_date_precision == \"day\"))` "
        "keeps the exact days, and `pd.Period(value, freq={\"year\": \"Y\", \"month\": \"M\", "
        "\"day\": \"D\"}[precision])` keeps each date at its precision.",
        "",
        "## How to cite",
        "",
        "Cite the dataset, the record and its source line, for example:",
        "",
        f"> {record_citation(version, 'members', 'sco-belarus', [EXAMPLE_SOURCE])}",
        "",
        "A record with several sources lists them all, in order, separated by `; `. "
        "`CITATION.cff` gives the dataset's citation.",
        "",
        "## Licences",
        "",
        "The curated records are licensed under CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/; see `LICENSE-DATA`); the code under "
        "MIT (`LICENSE`). The article texts (the `lines` table) remain their publishers'.",
        "",
        "## Tables and columns",
        "",
    ]
    for name, table in table_metadata().items():
        if table.get("hidden"):
            continue
        out += [f"### `{name}`", "", table["description"], "", "| column | description |",
                "|---|---|"]
        out += [f"| `{column}` | {description} |"
                for column, description in table["columns"].items()]
        out.append("")
    return "\n".join(out)
