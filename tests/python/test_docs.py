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


FORMATS = SOURCE / "docs" / "formats.md"


def _section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", text[start + len(heading):], flags=re.M)]
    return text[start: start + len(heading) + (ends[0] if ends else len(text))]


def test_the_first_book_of_docs_formats_md_gives_the_report_printed_under_it():
    import kontingent as k

    section = _section(FORMATS.read_text(), "### A first book")
    (book_text,) = re.findall(r"^```json\n(.*?)^```", section, flags=re.S | re.M)
    book = k.Book.from_json(book_text)
    report = book.evaluate()
    assert f"as of {report.as_of.isoformat()}" in section
    (engagement,) = report
    rows = re.findall(r"^\| (\w+) \| ([\d.]+) \| ([\d.]+) \| (-?[\d.]+) \|", section, flags=re.M)
    assert [row[0] for row in rows] == list(k.CATEGORIES)
    for category, billable, invoiced, leakage in rows:
        assert (str(engagement.billable[category]), str(engagement.invoiced[category]),
                str(engagement.leakage[category])) == (billable, invoiced, leakage), category
    assert f"Unbilled {engagement.unbilled}." in section
    assert f"Worked {engagement.worked_seconds} seconds" in section
    assert f"= {engagement.effective_rate} per hour" in section
    rounds = engagement.rounds
    assert f"Rounds: {rounds.included} included, {rounds.used} used, {rounds.extra} extra." in section
    assert f"Alerts: {', '.join(engagement.alerts)}." in section


def test_every_book_printed_in_docs_formats_md_is_valid():
    import kontingent as k

    blocks = re.findall(r"^```json\n(\{\"format\": \"kontingent-book/.*?)^```", FORMATS.read_text(), flags=re.S | re.M)
    assert len(blocks) == 2  # the first book (version 1) and the parties of version 2
    versions = [k.Book.from_json(text).format_version for text in blocks]
    assert versions == [1, 2]


def test_the_docs_send_no_reader_to_a_file_outside_the_project():
    # The book format, the billing rules and the report are documented in docs/ itself.
    pages = [SOURCE / "README.md", FORMATS, SOURCE / "docs" / "concepts.md", *sorted((SOURCE / "examples").rglob("*.md")),
             *sorted((SOURCE / "examples").rglob("*.ipynb"))]
    for page in pages:
        text = page.read_text()
        assert not re.search(r"\bSPEC\b|\.\./shared|shared/SPEC", text), page
