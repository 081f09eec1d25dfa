"""The build: from the seed articles and the curated records to one SQLite database.

The steps, in the order ``pipeline`` runs them:

- ``sources``: the articles' verified text, line by line; ``yaml_lines``: YAML with line marks;
  ``load``: the registry and the records, validated by ``sco_data.models``;
- ``validate``: references, citations, quotes, aliases, kinds; ``citing``: which rows a record
  holds and what each cites;
- completeness: ``folding`` (house style), ``repeats`` (cited clauses standing elsewhere),
  ``quoted_spans`` (every span in quotation marks accounted for);
- syndication: ``line_groups`` (lines printing one sentence), ``source_groups`` (articles printing
  one story), ``corroboration`` (independent sources per record);
- ``pipeline``: assembles the rows and writes them with ``database`` (Alembic schema,
  sqlite-utils inserts), checked against ``bounds``; ``leftovers`` clears what killed runs left.
"""
