"""The Python code in docs/python.md runs, block after block, as a reader would type it."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from conftest import SOURCE  # noqa: E402


def test_the_python_blocks_of_docs_python_md_run(monkeypatch):
    monkeypatch.chdir(SOURCE)
    text = (SOURCE / "docs" / "python.md").read_text()
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        if block.lstrip().startswith(">"):
            continue
        exec(compile(block, "docs/python.md", "exec"), namespace)  # noqa: S102 - our own docs
    plt.close("all")
    assert str(namespace["report"]["krueger-relaunch"].leakage["call"]) == "5220.00"
    assert str(namespace["k"].cents_to_decimal(namespace["frame"].leakage_cents.sum())) == "27957.17"
