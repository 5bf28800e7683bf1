"""The notebooks run top to bottom on the samples, in this venv's Python, and draw Japanese.

Each notebook is executed with nbclient by a kernel started from ``sys.executable`` (a kernel
spec written to a temporary folder), so a user-level ``python3`` kernel elsewhere cannot be
picked up by mistake. Notebooks are stored without outputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
NAMES = ["01_overview", "02_copy_paste", "03_covid", "04_terms"]


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> KernelSpecManager:
    """A kernel spec folder holding one ``python3`` kernel: this venv's interpreter."""
    folder = tmp_path_factory.mktemp("kernels") / "python3"
    folder.mkdir()
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "hyoka venv",
        "language": "python",
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return KernelSpecManager(kernel_dirs=[str(folder.parent)])


def run(name: str, specs: KernelSpecManager) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=120,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    return client.execute()


def outputs(notebook: nbformat.NotebookNode) -> list[dict]:  # type: ignore[type-arg]
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.cells[0].cell_type == "markdown" and "/" in notebook.cells[0].source


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebooks_execute_with_japanese_plots(name: str, kernel_specs: KernelSpecManager) -> None:
    executed = run(name, kernel_specs)
    found = outputs(executed)
    assert not [output for output in found if output["output_type"] == "error"]
    streams = "".join(
        output.get("text", "") for output in found if output["output_type"] == "stream"
    )
    assert "Glyph" not in streams and "missing from font" not in streams
    images = [output for output in found if "image/png" in output.get("data", {})]
    assert len(images) >= 2, f"{name} drew {len(images)} plots"


def test_notebooks_kernel_is_this_venv(kernel_specs: KernelSpecManager) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")]
    )
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=kernel_specs)
    executed = NotebookClient(notebook, km=manager, timeout=60).execute()
    assert executed.cells[0].outputs[0]["text"].strip() == sys.executable
