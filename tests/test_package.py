"""`import sco_data` stays light: the libraries load only when a function needs them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import sco_data

HEAVY = ["sqlite_utils", "sqlmodel", "sqlalchemy", "datasette", "pandas", "alembic", "yaml",
         "pydantic", "networkx", "rapidfuzz", "numpy"]


def _loaded_after(code: str) -> list[str]:
    program = (f"import sys\n{code}\n"
               f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    output = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True).stdout.strip()
    return output.split(",") if output else []


def test_import_loads_no_heavy_library():
    assert _loaded_after("import sco_data") == []


def test_reading_records_loads_pydantic_but_not_the_build_or_datasette():
    sco_data.db_path()  # built (which needs the heavy libraries) before the process starts
    assert _loaded_after("import sco_data; sco_data.quotes()") == ["pydantic"]


def test_version_is_the_distributions():
    from importlib.metadata import version

    assert sco_data.__version__ == version("sco-data")


@pytest.mark.parametrize("name", [name for name in sco_data.__all__ if name != "__version__"])
def test_every_public_name_resolves_and_is_documented(name: str):
    value = getattr(sco_data, name)
    assert value.__doc__ and value.__doc__.strip(), name
    assert name in dir(sco_data)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'quotation'"):
        sco_data.quotation  # noqa: B018


def _imports(path: Path, module: str, modules: set[str]) -> set[str]:
    """The package's modules ``module`` imports anywhere in its file: at the top, inside
    functions, under ``TYPE_CHECKING``; ``from package import module`` names the module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return (found & modules) - {module}


def _import_graph() -> dict[str, set[str]]:
    package = Path(sco_data.__file__).parent
    files = {
        ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(
            ".__init__"): path
        for path in package.rglob("*.py")}
    graph = {module: _imports(path, module, set(files)) for module, path in files.items()}
    # A module may import what its own package's __init__ defines (``__version__``).
    return {module: {other for other in imported if not module.startswith(f"{other}.")}
            for module, imported in graph.items()}


def test_no_module_imports_itself_round_a_circle():
    """Each module's imports lead away from it: no module needs one that needs it back, even
    inside a function or for types only (the layout reads as the order things happen)."""
    import networkx

    graph = networkx.DiGraph([(module, other) for module, imported in _import_graph().items()
                              for other in imported])
    assert ("sco_data.api.objects", "sco_data.api.display") in graph.edges  # the check sees
    assert ("sco_data.api.functions", "sco_data.api.frames") in graph.edges  # lazy imports
    assert sorted(networkx.simple_cycles(graph)) == []
