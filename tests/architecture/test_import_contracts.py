"""The apps' boundaries hold: the import contracts of `.importlinter` are kept by the code, and the contracts would
catch the breaks that issue 14 found (a cross-app import of internals, an import cycle between apps)."""

import subprocess
import sys
from pathlib import Path

import grimp
from importlinter.contracts.layers import LayersContract

from tools.import_contracts import ApiOnlyContract

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "orgs", "people", "learning", "monitoring"]


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    return graph


def _api_only(graph):
    contract = ApiOnlyContract(
        name="api only",
        session_options={"root_packages": ["kynangso"]},
        contract_options={"container": "kynangso", "apps": APPS},
    )
    return contract.check(graph, verbose=False)


def test_the_code_keeps_every_contract():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_importing_another_apps_models_breaks_the_api_contract():
    check = _api_only(
        _graph(
            ("kynangso.learning.models", "kynangso.people.models"), ("kynangso.learning.paths", "kynangso.people.api")
        )
    )
    assert not check.kept
    assert [(row["importer"], row["imported"]) for row in check.metadata["illegal"]] == [
        ("kynangso.learning.models", "kynangso.people.models")
    ]


def test_api_modules_shared_modules_and_own_internals_are_allowed():
    check = _api_only(
        _graph(
            ("kynangso.learning.paths", "kynangso.people.api"),
            ("kynangso.learning.paths", "kynangso.learning.models"),
            ("kynangso.learning.paths", "kynangso.errors"),
            ("kynangso.rest", "kynangso.people.rest"),
        )
    )
    assert check.kept


def test_a_lower_app_importing_a_higher_one_breaks_the_layers():
    contract = LayersContract(
        name="layers",
        session_options={"root_packages": ["kynangso"]},
        contract_options={"containers": ["kynangso"], "layers": ["people", "orgs", "accounts"]},
    )
    apps = [("kynangso", "kynangso.people"), ("kynangso", "kynangso.orgs"), ("kynangso", "kynangso.accounts")]
    graph = _graph(
        *apps, ("kynangso.people.api", "kynangso.accounts.api"), ("kynangso.accounts.backends", "kynangso.people.api")
    )  # the cycle issue 14 found
    assert not contract.check(graph, verbose=False).kept
    graph = _graph(*apps, ("kynangso.people.api", "kynangso.accounts.api"))
    assert contract.check(graph, verbose=False).kept


def test_no_test_module_imports_another_test_module():
    """Shared helpers live in conftest.py, tests/support/ or an app's helper module, never in a test module."""
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("from tests.") and any(
                part.startswith("test_") for part in stripped.split()[1].split(".")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {stripped}")
    assert offenders == []
