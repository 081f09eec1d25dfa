"""docs/examples/explore.ipynb runs top to bottom, from outside the repository, and its saved
outputs are the ones it produces today (`make notebook` saves them again)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sco_data.paths import ROOT

NOTEBOOK = ROOT / "docs" / "examples" / "explore.ipynb"


def execute(path: Path, folder: Path) -> Any:
    """The notebook at ``path``, executed with ``folder`` as its working directory."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


def texts(notebook: Any) -> list[list[str]]:
    """What each code cell printed or showed, as text."""
    return [
        [output.get("text") or output.get("data", {}).get("text/plain", "")
         for output in cell.outputs]
        for cell in notebook.cells if cell.cell_type == "code"
    ]


def refresh() -> None:
    """Run the notebook and save its outputs (make notebook)."""
    import nbformat

    notebook = execute(NOTEBOOK, ROOT)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, NOTEBOOK)


def test_notebook_runs_and_its_saved_outputs_are_current(tmp_path: Path):
    import nbformat

    copy = tmp_path / "explore.ipynb"
    shutil.copy(NOTEBOOK, copy)
    executed = execute(copy, tmp_path)
    errors = [output for cell in executed.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert errors == []
    produced = texts(executed)
    assert produced == texts(nbformat.read(NOTEBOOK, as_version=4)), (
        "the notebook's saved outputs are out of date: run `make notebook`")
    printed = "".join(text for cell in produced for text in cell)
    assert "Narendra Modi did not come; represented by: Subrahmanyam Jaishankar" in printed
    assert "“one of the key pillars of a fair, multipolar world order”" in printed
    assert '(2024-07-03), line 51' in printed
