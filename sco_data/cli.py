"""``python build.py``: the command line, and the one place errors become messages and exit codes.

Exit codes: 0 success, 1 invalid data (nothing written), 2 usage or a refused release, 69 a
dependency is not installed, 70 an internal error (a bug: the message says where its traceback
was saved), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from sco_data.errors import CurationRefused, DatabaseError, InvalidData, ReleaseRefused
from sco_data.paths import (
    CONFIG_FILE,
    DATABASE_FILE,
    DIST_DIR,
    METADATA_FILE,
    RECORDS_DIR,
    REGISTRY_FILE,
    SEEDS_DIR,
    display_path,
)

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_UNAVAILABLE, EXIT_INTERNAL, EXIT_INTERRUPTED = (
    0, 1, 2, 69, 70, 130)
# Packages that only an extra installs, and which extra: a missing one is named with it.
_EXTRAS = {"pyarrow": "release", "pandas": "notebook"}
DEFAULT_PORT = 8001
SQL_TIME_LIMIT_MS = 2000


class UsageError(Exception):
    """An option names a place the command cannot use."""


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    command = arguments.command or "build"
    try:
        return _run(command, arguments)
    except UsageError as error:
        print(f"build.py {command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ModuleNotFoundError as error:  # an installation, not a bug
        extra = _EXTRAS.get(error.name or "")
        how = (f"pip install 'sco-data[{extra}]' (pip install -e '.[{extra}]' in a checkout)"
               if extra else "install sco_data with its dependencies (pip install -e . in a "
               "checkout)")
        print(f"the package {error.name!r} is not installed for {sys.executable}: {how}",
              file=sys.stderr)
        return EXIT_UNAVAILABLE
    except BrokenPipeError:
        # The reader stopped reading (`coverage | head`): not an error. Python would complain
        # again when it flushes stdout at exit, so point stdout at nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a bug: say so, and where its details are, never a bare traceback
        saved = _save_traceback(error)
        print(f"internal error: {type(error).__name__}: {error}. This is a bug in sco_data, not "
              f"in your data; the traceback is saved in {saved}. Any previous output is "
              "unchanged.", file=sys.stderr)
        return EXIT_INTERNAL


def _run(command: str, arguments: argparse.Namespace) -> int:
    _check_places(command, arguments)
    try:
        _check_curator_arguments(command, arguments)
        if command == "metadata":
            return _write_metadata()
        if command == "check":
            return _check(arguments)
        if command == "release":
            return _release(arguments)
        if command == "add-article":
            return _add_article(arguments)
        if command == "find":
            return _find(arguments)
        if command == "cite-copies":
            return _cite_copies(arguments)
        if command == "fix":
            return _fix(arguments)
        if command == "propose":
            return _propose(arguments)
        if command == "states":
            return _states(arguments)
        database = _build(arguments)
        if command == "coverage":
            return _coverage(database, arguments.article)
        if command == "serve":
            return _serve(database, arguments.host, arguments.port)
        return EXIT_OK
    except InvalidData as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        written = "nothing was written" if command in ("check", "cite-copies") else (
            f"{display_path(arguments.output)} was not written; any previous one is unchanged"
        )
        print(f"{len(error.problems)} problem(s): {written}", file=sys.stderr)
        return EXIT_INVALID
    except DatabaseError as error:
        print(f"the database failed its own checks: {error}", file=sys.stderr)
        return EXIT_INVALID
    except ReleaseRefused as error:
        print(f"release refused: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CurationRefused as error:
        print(f"{command} refused, nothing was written: {error}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Validate the curated records against the articles and build sco.db.",
        parents=[_input_options(with_defaults=True)],
    )
    # Options may also follow the command; there they must not reset what came before it.
    after = _input_options(with_defaults=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("build", parents=[after], help="validate and write sco.db (default)")
    check = commands.add_parser("check", parents=[after], help="validate only; write nothing")
    check.add_argument("--drafts", action="store_true",
                       help="list every entry marked draft: true (a tool's proposal no person "
                       "has reviewed), then stop")
    serve = commands.add_parser("serve", parents=[after],
                                help="build, then browse sco.db with Datasette")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default: %(default)s)")
    release = commands.add_parser(
        "release", parents=[after],
        help="build, then write the downloadable files (SQLite, CSV, JSON, datapackage.json)")
    release.add_argument("--dist", type=Path, default=DIST_DIR,
                         help=f"the release folder (default: {display_path(DIST_DIR)})")
    release.add_argument("--force", action="store_true",
                         help="replace a release of another version, or a folder holding none")
    coverage = commands.add_parser(
        "coverage", parents=[after],
        help="build, then print per article how much the records cite and list uncited lines")
    coverage.add_argument("--article", help="only this article (its id)")
    add = commands.add_parser(
        "add-article", parents=[after],
        help="copy an article into the seeds and write its registry entry, with proposals")
    add.add_argument("path", type=Path, help="the article, as UTF-8 text")
    add.add_argument("--id", help="its id (default: from the title and the date)")
    add.add_argument("--publisher", help="who published it, as the text names them")
    add.add_argument("--published", help="its date, YYYY, YYYY-MM or YYYY-MM-DD (default: a "
                     "date in the text)")
    add.add_argument("--label", help="a short name for lists of sources (default: the id)")
    add.add_argument("--title", help="its headline (default: its first line of four words or "
                     "more)")
    find = commands.add_parser(
        "find", parents=[after],
        help="every line where words stand, as sources entries ready to paste")
    find.add_argument("words", help="the words, as the article prints them or in any house style")
    find.add_argument("--article", help="only this article (its id)")
    copies = commands.add_parser(
        "cite-copies", parents=[after],
        help="write into the records the citations an article's partner lines are owed")
    copies.add_argument("article", help="the article's id (a copy of articles in the seeds)")
    commands.add_parser(
        "fix", parents=[after],
        help="write every citation the build's problems offer ready to paste")
    propose = commands.add_parser(
        "propose", parents=[after],
        help="list what the tools find in an article: known names and near misses, quotes with "
        "their speakers, dates; each with its line")
    propose.add_argument("article", help="the article's id")
    propose.add_argument("--write", action="store_true",
                         help="write the proposals that can be drafts (draft: true) into the "
                         "records: the build refuses them until a person reviews each")
    states = commands.add_parser(
        "states", parents=[after],
        help="list the claims a rule finds in each citation's evidence that it does not state "
        "yet")
    states.add_argument("target", nargs="?",
                        help="only this article (its id) or record (table/id)")
    states.add_argument("--write", action="store_true",
                        help="add them to the citations' states, each citation marked draft: "
                        "true until a person reviews it")
    commands.add_parser("metadata",
                        help="regenerate metadata.yml and datasette.yaml from the models")
    return parser


def _input_options(with_defaults: bool) -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    for flag, default, about in [
        ("--records", RECORDS_DIR, "folder of curated YAML records"),
        ("--seeds", SEEDS_DIR, "folder of the article texts"),
        ("--registry", REGISTRY_FILE, "the article registry"),
        ("--output", DATABASE_FILE, "the database to write"),
    ]:
        options.add_argument(
            flag, type=Path, default=default if with_defaults else argparse.SUPPRESS,
            help=f"{about} (default: {display_path(default)})",
        )
    options.add_argument(
        "--allow-shrink", action="store_true",
        default=False if with_defaults else argparse.SUPPRESS,
        help="build even when a table has fewer rows than curated, or a records file is empty",
    )
    options.add_argument(
        "--rebuild", action="store_true", default=False if with_defaults else argparse.SUPPRESS,
        help="build even when the database is up to date with its inputs",
    )
    return options


def _inputs(arguments: argparse.Namespace):
    from sco_data.building.pipeline import Inputs

    return Inputs(registry=arguments.registry, seeds_dir=arguments.seeds,
                  records_dir=arguments.records, allow_shrink=arguments.allow_shrink)


def _check_places(command: str, arguments: argparse.Namespace) -> None:
    """Refuse input folders that are none, and an output or a release folder the command
    cannot write, before any work."""
    for option, attribute in (("--records", "records"), ("--seeds", "seeds")):
        folder = getattr(arguments, attribute, None)
        if folder is not None and (problem := _folder_problem(folder)):
            raise UsageError(f"{option} {folder} {problem}")
    if command in ("build", "serve", "coverage"):
        output: Path = arguments.output
        if not str(output) or output.name in ("", ".", ".."):
            raise UsageError(f"--output {str(output)!r} names no file: give a path like sco.db")
        if problem := _path_problem(output):
            raise UsageError(f"--output {output} {problem}")
        if output.is_dir():
            raise UsageError(f"--output {output} is a folder: give a file name inside it")
        if not output.resolve().parent.is_dir():
            raise UsageError(f"--output {output}: the folder {output.resolve().parent} does not "
                             "exist: create it first")
    if command == "release":
        dist: Path = arguments.dist.resolve()
        if dist.exists() and not dist.is_dir():
            raise UsageError(f"--dist {arguments.dist} is a file, not a folder")
        protected = [Path.cwd(), arguments.records, arguments.seeds, arguments.registry]
        for place in protected:
            place = place.resolve()
            if dist == place or dist in place.parents:
                raise UsageError(
                    f"--dist {arguments.dist} would replace {place}, which it holds: give a "
                    "folder of its own, such as dist/")


def _folder_problem(folder: Path) -> str | None:
    """Why ``folder`` is no folder the command can read; None when it is one."""
    if problem := _path_problem(folder):
        return problem
    if not folder.is_dir():
        return "is no folder" + (": create it" if not folder.exists() else "")
    return None


def _path_problem(path: Path) -> str | None:
    """Why the system refuses to even look at ``path`` (a name too long, a link that loops)."""
    try:
        path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be used: {error.strerror or error}"
    return None


# The text arguments of the curator's commands, by the name the messages give them; add-article
# checks its own (``curate.add_article``), with its file.
_CURATOR_ARGUMENTS = {
    "find": (("--article", "article"),),
    "coverage": (("--article", "article"),),
    "cite-copies": (("article", "article"),),
    "propose": (("article", "article"),),
    "states": (("target", "target"),),
}


def _check_curator_arguments(command: str, arguments: argparse.Namespace) -> None:
    """Refuse, before any work, a curator's argument that is no text, too long, or holds a
    hidden character (CurationRefused: exit 2, nothing written)."""
    from sco_data.curate import check_options, check_words

    if command == "find":
        check_words("WORDS", arguments.words)
    check_options({option: getattr(arguments, attribute, None)
                   for option, attribute in _CURATOR_ARGUMENTS.get(command, ())})


def _save_traceback(error: BaseException) -> str:
    import tempfile
    import traceback

    handle, name = tempfile.mkstemp(prefix="sco-data-internal-error-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write("".join(traceback.format_exception(error)))
    return name


def _check(arguments: argparse.Namespace) -> int:
    from sco_data.building.pipeline import count_rows, refuse_shrinking, validate

    inputs = _inputs(arguments)
    if arguments.drafts:
        return _list_drafts(inputs)
    counts = count_rows(validate(inputs))
    for warning in refuse_shrinking(counts, inputs):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"valid: {_summary(counts)}")
    return EXIT_OK


def _list_drafts(inputs) -> int:
    from sco_data.building.drafts import find_drafts
    from sco_data.building.load import LoadRules, load_records

    records, problems = load_records(inputs.records_dir, LoadRules(allow_empty=True))
    if problems:
        raise InvalidData(problems)
    drafts = find_drafts(records)
    for draft in drafts:
        print(draft.problem())
    print(f"{len(drafts)} draft(s) to review" if drafts else "no drafts: every entry is reviewed")
    return EXIT_OK


def _build(arguments: argparse.Namespace) -> Path:
    from sco_data.building.digest import (
        inputs_digest,
        inputs_signature,
        known_digest,
        note_digest,
        recorded_digest,
    )

    started = time.perf_counter()
    sources = (arguments.registry, arguments.seeds, arguments.records)
    # Inputs no one wrote to since the last run hash as they did then: no byte is read again.
    signature = inputs_signature(*sources)
    digest = known_digest(arguments.output, signature) or inputs_digest(*sources)
    if not arguments.rebuild and recorded_digest(arguments.output) == digest:
        note_digest(arguments.output, signature, digest)
        from sco_data.building.leftovers import remove_build_leftovers

        remove_build_leftovers(arguments.output)  # what killed builds left, as a build would
        print(f"{display_path(arguments.output)} is up to date: nothing changed in its inputs "
              "since it was built (--rebuild builds it anyway)")
        return arguments.output

    from sco_data.building import yaml_lines
    from sco_data.building.pipeline import STAGES, build
    from sco_data.building.progress import progress_for

    if yaml_lines.CParser is None:
        print("note: PyYAML has no libyaml here, so the records are read by pure Python, "
              "several times slower; a PyYAML wheel from PyPI brings libyaml "
              "(pip install --force-reinstall pyyaml)", file=sys.stderr)

    progress = progress_for(sys.stderr, STAGES)
    try:
        report = build(arguments.output, _inputs(arguments), digest, progress)
    finally:
        progress.close()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    note_digest(arguments.output, signature, digest)
    print(f"wrote {display_path(arguments.output)} in {elapsed:.1f} s: {_summary(report.counts)}")
    return arguments.output


def _serve(database: Path, host: str, port: int) -> int:
    from sco_data.publish.datasette_compat import server_options

    inspect_file = _inspect(database)
    command = [
        sys.executable, "-m", "datasette", "serve", "-i", str(database),
        "--inspect-file", str(inspect_file),
        *server_options(METADATA_FILE, CONFIG_FILE), "--host", host, "--port", str(port),
        "--setting", "sql_time_limit_ms", str(SQL_TIME_LIMIT_MS),
    ]
    print(f"serving {display_path(database)} at http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    # Datasette takes this process's place, so SIGTERM or SIGINT to it stop the server itself:
    # no server is left running behind a killed parent.
    os.execv(sys.executable, command)
    return EXIT_OK  # not reached


def _inspect(database: Path) -> Path:
    """Datasette's inspect data (row counts) for the immutable database, so no page counts
    rows per request. Written beside the database, named after it."""
    inspect_file = database.with_name(f"{database.name}.inspect.json")
    subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(database),
         "--inspect-file", str(inspect_file)],
        check=True, stdout=subprocess.DEVNULL,
    )
    return inspect_file


def _coverage(database: Path, article: str | None) -> int:
    from sco_data.api.reader import open_read_only
    from sco_data.publish.coverage import read_coverage, render_text

    connection = open_read_only(database)
    try:
        report = read_coverage(connection)
    finally:
        connection.close()
    if article is not None:
        known = [entry.id for entry in report]
        report = [entry for entry in report if entry.id == article]
        if not report:
            raise UsageError(f"--article {article!r} is no article: one of {', '.join(known)}")
    print(render_text(report))
    return EXIT_OK


def _add_article(arguments: argparse.Namespace) -> int:
    from sco_data.curate import add_article

    new = add_article(arguments.path, arguments.seeds, arguments.registry, arguments.id,
                      arguments.publisher, arguments.published, arguments.label,
                      arguments.title)
    print(f"copied {arguments.path} to {display_path(new.file)} ({new.line_count} lines, "
          f"sha256 {new.sha256}) and added {new.id!r} to {display_path(arguments.registry)}:")
    print(new.entry)
    print("Confirm each proposed line against the article, then cite its facts:")
    print(f'  python build.py find "WORDS" --article {new.id}   (ready-to-paste sources)')
    print(f"  python build.py coverage --article {new.id}        (what is left uncited)")
    if new.origin is None:
        print("No byline or copyright line was found: unless the article shares three sentences "
              "with a story already in the seeds, give it an origin (see docs/curating.md).")
    return EXIT_OK


def _cite_copies(arguments: argparse.Namespace) -> int:
    from sco_data.copies import cite_copies

    report = cite_copies(arguments.article, _inputs(arguments))
    written = report.written
    print(f"{report.article}: {report.partner_lines} lines print sentences of other articles; "
          f"wrote {written.count} citation(s) into {written.records()} record(s)"
          + (f", {len(written.present)} already there" if written.present else ""))
    _print_written(written)
    if report.split:
        print(f"{len(report.split)} of them carry part of an evidence the copy splits over "
              "lines: check that each part states its record's fact, else replace it with a "
              "not_cited declaration:")
        for fix in report.split:
            print(f"  {fix.record}: {fix.article} line {fix.line}: {_clip(fix.evidence)!r}")
    if report.undecided:
        print(f"{len(report.undecided)} partner line(s) left for you to decide:")
        for left in report.undecided:
            print(f"  {left.path}:{left.line}: {left.record}: {left.article} line "
                  f"{left.partner_line} {left.why}")
    print("Review the change (git diff), then run python build.py; python build.py states "
          f"{report.article} --write proposes the claims the new citations state.")
    return EXIT_OK


def _fix(arguments: argparse.Namespace) -> int:
    from sco_data.copies import fix

    report = fix(_inputs(arguments))
    for number, written in enumerate(report.written, 1):
        print(f"round {number}: wrote {written.count} citation(s) into {written.records()} "
              "record(s)")
        _print_written(written)
    if not report.written:
        print("nothing to apply: no problem of the build offers a citation ready to paste")
    if report.left:
        print(f"{len(report.left)} problem(s) left, with no ready fix (a person decides):",
              file=sys.stderr)
        for problem in report.left:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    print("Review the change (git diff); the build's checks now pass.")
    return EXIT_OK


def _propose(arguments: argparse.Namespace) -> int:
    from sco_data.building.load import LoadRules, load_articles, load_records
    from sco_data.propose import (
        Lexicon,
        known_names,
        propose,
        render,
        stale_records,
        write_drafts,
    )

    articles, problems = load_articles(arguments.registry, arguments.seeds)
    records, record_problems = load_records(arguments.records, LoadRules(allow_empty=True))
    if problems or record_problems:
        raise InvalidData(problems + record_problems)
    entry = next((entry for entry in articles.entries if entry.record.id == arguments.article),
                 None)
    if entry is None or arguments.article not in articles.texts:
        known = ", ".join(entry.record.id for entry in articles.entries)
        raise UsageError(f"no article {arguments.article!r} in the registry: one of {known}")
    lines = articles.texts[arguments.article].lines
    found = propose(arguments.article, lines, str(entry.record.published),
                    Lexicon(known_names(records)))
    found.stale = stale_records(found, lines, records)
    print(render(found))
    if arguments.write:
        written = write_drafts(found, lines, records, arguments.records / "quotes.yml")
        from sco_data.stating import propose_states, write_states

        stated = propose_states(arguments.registry, arguments.seeds, arguments.records,
                                arguments.article)
        write_states(stated)
        print(f"wrote {written.citations} draft citation(s) and {written.quotes} draft quote(s), "
              f"with the {len(stated)} claim(s) a rule finds in their words (states): python "
              "build.py check --drafts lists them; review each against its line, then delete its "
              "draft: true")
    return EXIT_OK


def _states(arguments: argparse.Namespace) -> int:
    from sco_data.stating import propose_states, render, write_states

    found = propose_states(arguments.registry, arguments.seeds, arguments.records,
                           arguments.target)
    print(render(found))
    if arguments.write and found:
        written = write_states(found)
        for path, fixes in written.items():
            print(f"  {path}: states added to {len(fixes)} citation(s), each marked draft: true")
        print("python build.py check --drafts lists them; read each line, agree it states each "
              "value, then delete its draft: true and proposal")
    return EXIT_OK


def _print_written(written) -> None:
    for path, fixes in written.added.items():
        print(f"  {path}: {len(fixes)} citation(s)")
        for fix in fixes:
            print(f"    {fix.record or f'record {fix.index + 1}'}: + {fix.article} line "
                  f"{fix.line}: {_clip(fix.evidence)!r}")


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _find(arguments: argparse.Namespace) -> int:
    from sco_data.building.citing import cited_sources
    from sco_data.building.load import load_articles, load_records
    from sco_data.curate import find_words

    articles, problems = load_articles(arguments.registry, arguments.seeds)
    if problems:
        raise InvalidData(problems)
    records, _ = load_records(arguments.records)  # a half-curated record still shows its cites
    cited: dict[tuple[str, int], list[str]] = {}
    for table, loaded in records.items():
        for item in loaded:
            for source in cited_sources(table, item):
                names = cited.setdefault((source.article, source.line), [])
                if f"{source.record_table}/{source.record_id}" not in names:
                    names.append(f"{source.record_table}/{source.record_id}")
    texts = {entry.record.id: articles.texts[entry.record.id].lines
             for entry in articles.entries}
    found = find_words(arguments.words, texts, cited, arguments.article)
    for place in found:
        print(place.as_yaml())
    exact = sum(1 for place in found if place.exact)
    print(f"# {len(found)} places: {exact} exact, {len(found) - exact} after house-style folding",
          file=sys.stderr)
    return EXIT_OK


def _release(arguments: argparse.Namespace) -> int:
    from sco_data.publish.release import release

    started = time.perf_counter()
    report = release(arguments.dist, _inputs(arguments), force=arguments.force)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"released sco-data {report.version} into {display_path(report.folder)} "
          f"in {elapsed:.1f} s: {len(report.files)} files, listed with their SHA-256 in "
          f"{display_path(report.folder / 'SHA256SUMS')}")
    return EXIT_OK


def _write_metadata() -> int:
    from sco_data.publish.metadata import config_yaml, metadata_yaml

    METADATA_FILE.write_text(metadata_yaml(), encoding="utf-8")
    CONFIG_FILE.write_text(config_yaml(), encoding="utf-8")
    print(f"wrote {display_path(METADATA_FILE)} and {display_path(CONFIG_FILE)}")
    return EXIT_OK


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {table}" for table, count in counts.items())
