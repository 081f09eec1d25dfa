"""The build: from the seed articles and the curated records to one SQLite database.

The steps, in the order ``pipeline`` runs them:

- ``sources``: the articles' verified text, line by line; ``yaml_lines``: YAML with line marks;
  ``load``: the registry and the records, validated by ``sco_data.models``;
- ``validate``: references, citations, quotes, aliases, kinds; ``citing``: which rows a record
  holds and what each cites;
- syndication: ``sentences`` (each line's sentences, grouped across articles by the rules of
  ``line_groups``), ``partners`` (lines printing one another's sentences), ``source_groups``
  (articles printing one story), ``corroboration`` (independent sources per record);
- completeness: ``folding`` (house style), ``repeats`` (cited clauses standing elsewhere, and the
  partner check, with ``alignment`` carrying evidence into a partner's words), ``quoted_spans``
  (every span in quotation marks accounted for);
- ``pipeline``: assembles the rows and writes them with ``database`` (Alembic schema,
  sqlite-utils inserts), checked against ``sco_data/expectations.yml``; ``leftovers`` clears
  what killed runs left.
"""
