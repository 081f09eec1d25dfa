"""The build: from the seed articles and the curated records to one SQLite database.

The steps, in the order ``pipeline`` runs them:

- ``sources``: the articles' verified text, line by line; ``yaml_lines``: YAML read an entry
  at a time, with line marks; ``load``: the registry and the records, validated by
  ``sco_data.models`` and kept small by ``compact``;
- ``validate``: references, citations, quotes, aliases, kinds; ``citing``: which rows a record
  holds and what each cites;
- syndication: ``sentences`` (each line's sentences, grouped across articles by the rules of
  ``line_groups``), ``partners`` (lines printing one another's sentences), ``source_groups``
  (articles printing one story), ``corroboration`` (independent sources per record);
- completeness: ``folding`` (house style), ``repeats`` (cited clauses standing elsewhere, and the
  partner check, with ``alignment`` carrying evidence into a partner's words), ``quoted_spans``
  (every span in quotation marks accounted for);
- ``pipeline``: makes each table's rows as ``database`` writes them (Alembic schema, prepared
  inserts, full-text indexes), checked against ``sco_data/expectations.yml``; ``progress``
  shows the stages on a terminal; ``leftovers`` clears what killed runs left.
  ``docs/building.md`` says which check runs where.
"""
