"""What readers meet: the Datasette site and the downloads.

- ``metadata``: Datasette's metadata.yml, from the models; ``canned_queries``: the questions;
- ``datasette_plugin``: the source viewer (article pages, comparisons, row-page sources, cells);
- ``coverage``: what the records cite of each article (the CLI and the site share its SQL);
- ``release`` and ``datapackage``: the CSV, JSON and SQLite release with its data package.
"""
