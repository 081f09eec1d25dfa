"""Fuzzing the build: whatever the bytes of the records, the registry or a seed, the build exits
0, 1 or 2, never with a traceback, and a failed build leaves the previous database as it was.

Runs the same 200 mutated inputs by default (about half a minute); ``SCO_FUZZ_EXAMPLES=1500
pytest tests/test_fuzz.py`` runs 1,500 new ones.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_data import cli
from sco_data.paths import RECORDS_DIR, SEEDS_DIR

EXAMPLES = int(os.environ.get("SCO_FUZZ_EXAMPLES", "200"))
# CI runs the same 200 inputs every time; a longer run explores new ones.
DERANDOMIZE = "SCO_FUZZ_EXAMPLES" not in os.environ

# Inputs a fuzzer may touch: every record file, the registry, and one seed.
TARGETS = [f"records/{path.name}" for path in sorted(RECORDS_DIR.glob("*.yml"))] + [
    "seeds/articles.yml", "seeds/004_03271e99830618a1.txt"]

# Pieces that mean something to YAML, to the models or to the checks.
TOKENS = [
    b"&a ", b"*a", b"[", b"]", b"{", b"}", b": ", b"- ", b"? ", b"|", b">", b"'", b'"', b"\n",
    b"  ", b"\t", b"#", b"!!binary ", b"!!python/object:os.system ", b"<<: *a", b"\x00",
    b"\xff", b"\xe9", b"\xef\xbb\xbf", b'"\\ud800"', b'"\\u202e"', b"\xe2\x80\x8b", b"id: ",
    b"sources: []", b"line: 0", b"line: 99999", b"article: nope", b"person_id: nope",
    b"evidence: ", b"null", b"~", b"2024-02-30", b"-1", b"1e999", b"true", b"[a, b, b]",
    b"not_cited: [{article: nope, line: 1, reason: x}]",
]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[tuple[str, float, float, bytes]]]:
    target = draw(st.sampled_from(TARGETS))
    steps = draw(st.lists(st.tuples(
        st.sampled_from(["insert", "delete", "replace", "duplicate", "truncate"]),
        st.floats(0, 1), st.floats(0, 0.05),
        st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8)),
    ), min_size=1, max_size=3))
    return target, steps


def mutate(data: bytes, steps: list[tuple[str, float, float, bytes]]) -> bytes:
    for kind, where, share, payload in steps:
        at = int(where * len(data))
        span = max(1, int(share * len(data)))
        if kind == "insert":
            data = data[:at] + payload + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + span:]
        elif kind == "replace":
            data = data[:at] + payload + data[at + len(payload):]
        elif kind == "duplicate":
            data = data[:at] + data[at:at + span] + data[at:]
        else:
            data = data[:at]
    return data


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(RECORDS_DIR, root / "records")
    shutil.copytree(SEEDS_DIR, root / "seeds")
    assert cli.main(_arguments(root, root / "sco.db")) == 0
    return root


def _arguments(inputs: Path, output: Path) -> list[str]:
    return ["--records", str(inputs / "records"), "--seeds", str(inputs / "seeds"),
            "--registry", str(inputs / "seeds" / "articles.yml"), "--output", str(output)]


@settings(max_examples=EXAMPLES, deadline=timedelta(seconds=20), derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=mutations())
def test_any_bytes_give_a_clean_exit(pristine: Path, tmp_path_factory, mutation):
    target, steps = mutation
    case = tmp_path_factory.mktemp("case")
    shutil.copytree(pristine / "records", case / "records")
    shutil.copytree(pristine / "seeds", case / "seeds")
    path = case / target
    path.write_bytes(mutate(path.read_bytes(), steps))
    output = case / "sco.db"
    shutil.copyfile(pristine / "sco.db", output)
    before = output.read_bytes()
    errors, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(out):
        code = cli.main(_arguments(case, output))
    message = errors.getvalue()
    assert code in (0, 1, 2), message
    assert "Traceback" not in message and "internal error" not in message, message
    if code != 0:
        assert output.read_bytes() == before
        assert message.strip(), "a refusal says why"
    assert sorted(p.name for p in case.iterdir()) == ["records", "sco.db", "seeds"]
    shutil.rmtree(case)
