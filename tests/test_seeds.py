"""The seeds are the articles byte for byte; a changed byte stops the build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from sco_data.expectations import dataset
from sco_data.paths import ROOT, SEEDS_DIR

from .conftest import Workspace, line_of

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

EXPECTED = dataset()


def _sums(folder: Path) -> dict[str, str]:
    pairs = (line.split() for line in (folder / "SHA256SUMS").read_text().splitlines() if line)
    return {name: digest for digest, name in pairs}


def test_seeds_match_their_checksums():
    sums = _sums(SEEDS_DIR)
    assert len(sums) == EXPECTED["articles"]
    for name, digest in sums.items():
        assert hashlib.sha256((SEEDS_DIR / name).read_bytes()).hexdigest() == digest


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="no shared seed folder beside the clone")
def test_seeds_are_the_shared_originals():
    for name in _sums(SHARED_SEEDS):
        assert (SEEDS_DIR / name).read_bytes() == (SHARED_SEEDS / name).read_bytes()


def test_registry_pins_every_seed_with_its_checksum():
    registry = yaml.safe_load((SEEDS_DIR / "articles.yml").read_text(encoding="utf-8"))
    assert {entry["file"]: entry["sha256"] for entry in registry} == _sums(SEEDS_DIR)


def test_changed_seed_byte_stops_the_build(workspace: Workspace, capsys):
    workspace.build()
    before = workspace.output.read_bytes()
    seed = workspace.seeds / "001_4c3a095d842103b2.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Wednesday", b"Thursday", 1))

    assert workspace.build() == 1

    error = capsys.readouterr().err
    line = line_of(workspace.registry, "sha256: a87622151f1fa7c2")
    assert f"{workspace.registry}:{line}: voa-xi-putin-talks-2024-07-03: sha256: " in error
    assert "line numbers can no longer be trusted" in error
    assert workspace.output.read_bytes() == before
