"""The leakage notebook runs clean, headless, on the demo book and on other books (nbclient, the Debian
python3 kernel): nothing in it names the demo's clients, and the book comes from one cell or from
the environment variable KONTINGENT_BOOK."""

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import DEMO_BOOK, SOURCE, SPEC_EXAMPLES

NOTEBOOK = SOURCE / "examples" / "notebooks" / "leakage.ipynb"
DEMO_CLIENTS = ("Möbelhaus", "Nordlicht", "Grünwerk", "gruenwerk", "Kranich")


def run(notebook, monkeypatch, *, book=None, demo=None):
    """Executes the notebook in its own folder; `book`: $KONTINGENT_BOOK, `demo`: $KONTINGENT_DEMO_BOOK."""
    for name, value in (("KONTINGENT_BOOK", book), ("KONTINGENT_DEMO_BOOK", demo)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel shows figures inline
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr" and "Warning" in o.text]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    return text, html, images


def test_the_leakage_notebook_executes_clean_on_the_demo_book(monkeypatch):
    text, html, images = run(NOTEBOOK, monkeypatch, demo=DEMO_BOOK)
    assert len(images) >= 4  # leakage by client, effective rate, burn-down, triage quadrant
    assert text.startswith("studio.book.json: 7 clients, 12 engagements, as of 2026-12-31; amounts in EUR\n")
    assert "Leaked in total: EUR 27,957.17" in text and "Quatschpauschale" in text
    assert "Möbelhaus Krüger & Söhne: let_go" in text  # the client with the most drain reasons
    assert "Grünwerk Energie eG: 22.1 h of calls without a call fee." in text  # found, not named, by the notebook
    assert "Recoverable: EUR 27,957.17 net" in text
    # Money columns are amounts with the currency in the header, never cents under a cents header.
    assert "billable (EUR)" in html and "unbilled (EUR)" in html and "_cents" not in html


@pytest.mark.parametrize("book, first_line, leaked", [
    (SPEC_EXAMPLES / "a-fixed.book.json", "a-fixed.book.json: 1 clients, 1 engagements, as of 2026-03-10", "EUR 668.75"),
    (SPEC_EXAMPLES / "b-retainer.book.json", "b-retainer.book.json: 1 clients, 1 engagements, as of 2026-03-31",
     "EUR 250.00"),
    (SOURCE / "examples" / "books" / "retainer.book.json",
     "retainer.book.json: 1 clients, 1 engagements, as of 2026-01-01", "EUR 990.00"),
], ids=["fixed-without-owner", "retainer", "starter-book-without-entries"])
def test_the_leakage_notebook_runs_on_another_book_from_the_environment(monkeypatch, book, first_line, leaked):
    text, html, _ = run(NOTEBOOK, monkeypatch, book=book, demo=DEMO_BOOK)  # KONTINGENT_BOOK wins
    assert text.startswith(first_line)
    assert f"Leaked in total: {leaked}" in text
    assert not [name for name in DEMO_CLIENTS if name in text or name in html]


def test_a_copied_notebook_takes_its_book_from_its_first_code_cell(tmp_path, monkeypatch):
    copy = tmp_path / "mine.ipynb"
    shutil.copy(NOTEBOOK, copy)
    nb = nbformat.read(copy, as_version=4)
    (parameters,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert parameters.source.splitlines()[-1] == "BOOK = None"
    parameters.source = f"BOOK = {str(SPEC_EXAMPLES / 'b-retainer.book.json')!r}"
    nbformat.write(nb, copy)
    text, _, _ = run(copy, monkeypatch)
    assert text.startswith("b-retainer.book.json: 1 clients")


def test_a_copied_notebook_without_a_book_says_how_to_give_it_one(tmp_path, monkeypatch):
    copy = tmp_path / "mine.ipynb"
    shutil.copy(NOTEBOOK, copy)
    with pytest.raises(Exception, match="Set BOOK in the cell above to its path, or the environment variable "
                                        "KONTINGENT_BOOK"):
        run(copy, monkeypatch)
