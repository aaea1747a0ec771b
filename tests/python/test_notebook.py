"""The leakage notebook runs clean, headless, on the demo book (nbclient, the Debian python3 kernel)."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import DEMO_BOOK, SOURCE

NOTEBOOK = SOURCE / "examples" / "notebooks" / "leakage.ipynb"


def test_the_leakage_notebook_executes_clean(tmp_path, monkeypatch):
    monkeypatch.setenv("KONTINGENT_DEMO_BOOK", str(DEMO_BOOK))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel shows figures inline
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr" and "Warning" in o.text]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # leakage by client, effective rate, burn-down, triage quadrant
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Leaked in total: EUR" in text and "Quatschpauschale" in text
    assert "let_go" in text  # the client with the most drain reasons
