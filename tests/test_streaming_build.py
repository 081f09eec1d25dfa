"""The build streams: it reads a records file an entry at a time, keeps records compact, writes
each table as its rows are made, and still writes the very database it always wrote."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_data.building.compact import compact, model_of
from sco_data.building.digest import DIGEST_TABLE
from sco_data.building.load import load_articles
from sco_data.building.pipeline import STAGES, TABLES, Inputs, build
from sco_data.building.progress import NO_PROGRESS, Progress, TerminalProgress, progress_for
from sco_data.building.yaml_lines import YamlSyntaxError, stream_yaml
from sco_data.models import RECORD_KINDS
from sco_data.paths import RECORDS_DIR, REGISTRY_FILE, ROOT, SEEDS_DIR

from .conftest import Workspace, line_of

# Each table's digest, as the build wrote it before it streamed (the same function of the
# inputs, so any change to a row shows); see the file's header to refresh it on purpose.
DIGESTS_FILE = Path(__file__).parent / "data" / "table-digests.yml"
REFRESH = os.environ.get("SCO_REFRESH_DIGESTS") == "1"


def _corpus_builder() -> Any:
    spec = importlib.util.spec_from_file_location("build_benchmark",
                                                  ROOT / "benchmarks" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table_digests(database: Path) -> dict[str, str]:
    """SHA-256 of every table's rows in key order (the inputs' digest aside, which names the
    code): two builds of the same inputs agree table for table, whatever order they wrote in."""
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in connection.execute(
            "select name from sqlite_master where type = 'table' and name != ? "
            "and name not like 'sqlite_%' order by name", (DIGEST_TABLE,))]
        digests = {}
        for table in tables:
            digest = hashlib.sha256()
            # Rows in the order of every column: a table without a key has one order still.
            columns = [row[1] for row in connection.execute(f"pragma table_info([{table}])")]
            order = ", ".join(f"[{column}]" for column in columns)
            for row in connection.execute(f"select * from [{table}] order by {order}"):
                digest.update(repr(row).encode())
            digests[table] = digest.hexdigest()
        return digests
    finally:
        connection.close()


def _pinned_tables(digests: dict[str, str]) -> dict[str, str]:
    # The full-text indexes' own tables hold SQLite's binary segments, whose layout is
    # SQLite's to change: their text is pinned through the tables they index.
    return {table: digest for table, digest in digests.items() if "_fts" not in table}


@pytest.mark.parametrize("copies", [1, 10])
def test_the_database_is_the_one_built_before_streaming_table_for_table(
        tmp_path: Path, copies: int):
    if copies == 1:
        inputs = Inputs(REGISTRY_FILE, SEEDS_DIR, RECORDS_DIR)
    else:
        registry, seeds, records = _corpus_builder().make_corpus(copies, tmp_path / "corpus")
        inputs = Inputs(registry, seeds, records, allow_shrink=True)
    report = build(tmp_path / "sco.db", inputs)
    found = _pinned_tables(table_digests(tmp_path / "sco.db"))
    pinned = yaml.safe_load(DIGESTS_FILE.read_text(encoding="utf-8"))
    if REFRESH:
        pinned[f"{copies}x"] = found
        header = DIGESTS_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
        DIGESTS_FILE.write_text(header + "\n\n" + yaml.safe_dump(pinned, sort_keys=True),
                                encoding="utf-8")
    changed = sorted(table for table in found.keys() | pinned[f"{copies}x"].keys()
                     if found.get(table) != pinned[f"{copies}x"].get(table))
    assert not changed, (f"{copies}× corpus: rows differ in {', '.join(changed)} (if on purpose, "
                         "SCO_REFRESH_DIGESTS=1 pytest tests/test_streaming_build.py)")
    assert set(report.counts) == set(TABLES)


def test_the_schema_is_the_migrations_and_sqlite_utils_full_text_indexes(tmp_path: Path):
    """The build makes its full-text indexes without sqlite-utils, by the statements
    sqlite-utils runs: Datasette sees the same schema as a database indexed by sqlite-utils."""
    import sqlite3

    import sqlite_utils

    from sco_data.building.database import SEARCHABLE, create_schema

    build(tmp_path / "sco.db")
    create_schema(tmp_path / "reference.db")
    reference = sqlite_utils.Database(tmp_path / "reference.db")
    for table, columns in SEARCHABLE.items():
        reference[table].enable_fts(columns, create_triggers=False, replace=True)
    reference.close()

    def schema(path: Path) -> list[tuple[str, ...]]:
        with sqlite3.connect(path) as connection:
            return sorted(connection.execute(
                "select type, name, tbl_name, coalesce(sql, '') from sqlite_master"))

    assert schema(tmp_path / "sco.db") == schema(tmp_path / "reference.db")


def test_every_stage_is_told_in_order_and_counted(tmp_path: Path):
    class Stages(Progress):
        def __init__(self) -> None:
            self.names: list[str] = []

        def stage(self, name: str) -> None:
            self.names.append(name)

    told = Stages()
    build(tmp_path / "sco.db", progress=told)
    assert len(told.names) == STAGES
    assert told.names[0] == "reading the articles"
    assert [name.removeprefix("reading ") for name in told.names[1:1 + len(RECORD_KINDS)]] == [
        f"{kind.table}.yml" for kind in RECORD_KINDS]
    written = [name.removeprefix("writing ") for name in told.names
               if name.startswith("writing ")]
    assert written == list(TABLES)
    assert told.names[-1] == "indexing the text and checking keys"


def test_progress_is_shown_on_a_terminal_only_and_never_under_ci(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert progress_for(io.StringIO(), STAGES) is NO_PROGRESS
    shown = progress_for(Terminal(), STAGES)
    assert isinstance(shown, TerminalProgress)
    shown.close()
    monkeypatch.setenv("CI", "true")
    assert progress_for(Terminal(), STAGES) is NO_PROGRESS


def test_a_terminal_sees_the_stage_the_build_is_in():
    screen = io.StringIO()
    shown = TerminalProgress(STAGES, stream=screen, delay=0)
    shown.stage("reading meetings.yml")
    shown.stage("writing citations")
    shown.close()
    assert "build: writing citations" in screen.getvalue()
    assert f"[1/{STAGES} stages" in screen.getvalue()


def test_a_short_build_shows_no_progress():
    screen = io.StringIO()
    shown = TerminalProgress(STAGES, stream=screen, delay=60)
    for table in TABLES:
        shown.stage(f"writing {table}")
    shown.close()
    assert "build:" not in screen.getvalue()


def test_entries_are_read_one_at_a_time(tmp_path: Path):
    """The entries before a broken one are read before the parser reaches it: the file is
    never parsed whole first."""
    path = tmp_path / "records.yml"
    path.write_text("- id: first\n- id: second\n- id: [unclosed\n", encoding="utf-8")
    _, items = stream_yaml(path)
    assert next(items) == (0, {"id": "first"})
    assert next(items) == (1, {"id": "second"})
    with pytest.raises(YamlSyntaxError):
        next(items)


# Values of every kind a records file may hold, nested as records nest them.
_SCALARS = (st.text(max_size=12) | st.integers(-10**12, 10**12) | st.booleans() | st.none()
            | st.floats(allow_nan=False) | st.sampled_from(["yes", "no", "on", "~", "null", "0x1F",
                                                          "1_000", "=", "<<", "2024-07-03",
                                                          ".inf", "True", "'", '"', ""]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8) | st.sampled_from(["id", "yes", "=", "1", "null"]), inner, max_size=3),
    max_leaves=12)


@given(st.lists(st.dictionaries(st.text(max_size=8), _VALUES, max_size=4), max_size=3),
       st.sampled_from([None, '"', "'"]), st.booleans())
@settings(deadline=None)
def test_entries_read_one_at_a_time_are_the_values_yaml_reads(
        entries: list[dict[str, Any]], style: str | None, flow: bool):
    """Entry by entry, the parser's events make the values PyYAML's safe loader makes of the
    same file (plain, quoted or flow; dates stay text), so reading them faster changes none."""
    import tempfile

    text = yaml.safe_dump(entries, default_style=style, default_flow_style=flow,
                          allow_unicode=True)
    expected = yaml.load(text, Loader=_DatesAsText)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.yml"
        path.write_text(text, encoding="utf-8")
        try:
            _, items = stream_yaml(path)
            read = [entry for _, entry in items]
        except YamlSyntaxError as error:  # only what the records never hold is refused
            assert "merge keys" in error.message or "control character" in error.message, (
                error.message)
            return
    assert read == (expected or [])


class _DatesAsText(yaml.SafeLoader):
    """PyYAML's safe loader, but a date is the text written, as the records keep it."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def test_a_broken_entry_refuses_the_whole_file(workspace: Workspace, capsys):
    """What a file's first entries held is not used when a later one is no YAML."""
    path = workspace.records / "observers.yml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: [unclosed\n", encoding="utf-8")
    assert workspace.build() == 1
    error = capsys.readouterr().err
    about_the_file = [line for line in error.splitlines() if "observers.yml:" in line]
    assert len(about_the_file) == 1 and "not valid YAML" in about_the_file[0], error


def test_a_compact_record_dumps_as_its_model_does():
    """Every curated record, kept compact, gives the build the values Pydantic gave."""
    from sco_data.building.yaml_lines import load_yaml

    checked = 0
    for kind in RECORD_KINDS:
        document = load_yaml(RECORDS_DIR / f"{kind.table}.yml")
        for raw in document.data:
            record = kind.record.model_validate(raw)
            kept = compact(record)
            assert model_of(kept) is kind.record
            for mode in ("python", "json"):
                assert kept.model_dump(mode=mode) == record.model_dump(mode=mode)
            checked += 1
    articles, problems = load_articles(REGISTRY_FILE, SEEDS_DIR)
    assert not problems and all(model_of(entry.record).__name__ == "ArticleRecord"
                                for entry in articles.entries)
    assert checked == sum(
        len(yaml.safe_load((RECORDS_DIR / f"{kind.table}.yml").read_text(encoding="utf-8")))
        for kind in RECORD_KINDS)


def test_nothing_changed_reads_no_input_again(workspace: Workspace, capsys, monkeypatch):
    """The second run with nothing changed answers from the inputs' signature alone: it must
    not hash a byte (at 1,000 times the corpus, hashing is most of a second)."""
    assert workspace.build() == 0
    capsys.readouterr()

    def hashing(*args, **kwargs):
        raise AssertionError("the inputs were hashed again")

    monkeypatch.setattr("sco_data.building.digest.inputs_digest", hashing)
    assert workspace.build() == 0
    assert "is up to date" in capsys.readouterr().out


def test_an_input_written_to_is_hashed_again_even_with_its_old_size_and_time(
        workspace: Workspace, capsys):
    """A file rewritten with its size and modification time put back still rebuilds: the
    signature holds the change time, which no tool sets back."""
    assert workspace.build() == 0
    path = workspace.records / "observers.yml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "Turkey" in text
    path.write_text(text.replace("Turkey", "Turkei", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    capsys.readouterr()
    assert workspace.build() == 1  # the changed name no longer stands in the article
    assert "is up to date" not in capsys.readouterr().out


def test_a_damaged_note_of_the_inputs_only_costs_a_hash(workspace: Workspace, capsys):
    from sco_data.building.digest import signature_file

    assert workspace.build() == 0
    signature_file(workspace.output).write_text("{not json", encoding="utf-8")
    capsys.readouterr()
    assert workspace.build() == 0
    assert "is up to date" in capsys.readouterr().out
    assert '"digest"' in signature_file(workspace.output).read_text(encoding="utf-8")


def test_a_merge_key_is_refused_by_name(workspace: Workspace, capsys):
    """``<<:`` would copy one mapping's values into another unseen; records write values out."""
    path = workspace.records / "observers.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: ", "- <<: {note: merged}\n  id: ", 1), encoding="utf-8")
    assert workspace.build() == 1
    error = capsys.readouterr().err
    line = line_of(path, "<<:")
    assert (f"{path}:{line}: -: -: not valid YAML: merge keys (<<) are not allowed: write the "
            "values out in full") in error, error
