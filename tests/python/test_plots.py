"""The plots draw what the report says, headless (Agg)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import kontingent as k  # noqa: E402
from conftest import SOURCE  # noqa: E402
from kontingent import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_leakage_by_client_stacks_the_report(demo_book):
    report = demo_book.evaluate()
    ax = plots.leakage_by_client(report, demo_book)
    frame = report.to_frame()
    positive = frame[frame.leakage_cents > 0].groupby("client", observed=True).leakage_cents.sum()
    heights = {}
    for bar in ax.patches:
        x = round(bar.get_x() + bar.get_width() / 2)
        if bar.get_height() > 0:
            heights[x] = heights.get(x, 0) + bar.get_height()
    assert sorted(round(h * 100) for h in heights.values()) == sorted(positive.tolist())
    names = [t.get_text() for t in ax.get_xticklabels()]
    assert names[0] == "Möbelhaus Krüger & Söhne"  # the client that drains comes first
    assert {t.get_text() for t in ax.get_legend().get_texts()} <= set(k.CATEGORIES)


def test_burndown_shades_the_overage(book_b):
    ax = plots.contingent_burndown(book_b.engagements[0])
    lines = ax.get_lines()
    assert len(lines) >= 3  # one step line per retainer month (plus the zero line)
    february = lines[1].get_ydata()
    assert february[0] == pytest.approx(11.5) and february[-1] == pytest.approx(-2.5)  # SPEC §9
    assert any(c.get_label() == "overage" for c in ax.collections)


def test_burndown_of_a_book_has_a_panel_per_contingent(demo_book):
    fig = plots.contingent_burndown(demo_book)
    wanted = [e for e in demo_book.engagements if e.terms.pricing in ("contingent", "retainer")]
    assert len(fig.axes) == len(wanted)
    with pytest.raises(ValueError, match="no contingent"):
        plots.contingent_burndown(demo_book.engagements[0])


def test_effective_rate_per_client(book_a):
    ax = plots.effective_rate(book_a.evaluate(), book_a)
    (bar,) = ax.patches
    assert bar.get_height() == pytest.approx(409.27, abs=0.01)  # SPEC §8 effective_rate
    listed = ax.collections[0].get_offsets()[0][1]
    assert listed == pytest.approx(95)


def test_plots_save_to_png(demo_book, tmp_path):
    ax = plots.effective_rate(demo_book.evaluate(), demo_book)
    ax.figure.savefig(tmp_path / "rate.png")
    assert (tmp_path / "rate.png").stat().st_size > 1000


def test_triage_quadrant_draws_one_bubble_per_client(demo_book):
    triage = demo_book.triage()
    ax = plots.triage_quadrant(triage)
    bubbles = ax.collections[0]
    assert len(bubbles.get_offsets()) == len(triage.clients)
    frame = triage.to_frame()
    clients = frame[frame.level == "client"]
    assert sorted(bubbles.get_offsets()[:, 0]) == pytest.approx(sorted(clients.rate_percent / 100))
    assert sorted(bubbles.get_offsets()[:, 1]) == pytest.approx(sorted(clients.reason_count))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["keep", "renegotiate", "let go", "too early"]
    share = plots.triage_quadrant(triage, level="engagement", y="share")
    assert len(share.collections[0].get_offsets()) == len(triage.engagements)
    with pytest.raises(ValueError):
        plots.triage_quadrant(triage, y="money")


def _boxes_overlap(a, b) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


@pytest.mark.parametrize("level, y", [("client", "drains"), ("engagement", "share"), ("engagement", "drains")])
def test_triage_quadrant_labels_overlap_neither_each_other_nor_the_axes_edge(demo_book, level, y):
    # In the demo book Grünwerk (85 %, 4 drains) and Hafenkino (86 %, 4 drains) sit on one spot: their
    # labels used to be printed over each other.
    triage = demo_book.triage()
    ax = plots.triage_quadrant(triage, level=level, y=y)
    ax.figure.canvas.draw()
    labels = [t for t in ax.texts if t.get_text() != "list rate"]
    frame = triage.to_frame()
    assert sorted(t.get_text() for t in labels) == sorted(frame[frame.level == level]
                                                          ["client_name" if level == "client" else "engagement"])
    boxes = [t.get_window_extent() for t in labels]
    inside = ax.get_window_extent()
    for i, box in enumerate(boxes):
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1, labels[i]
        for j in range(i):
            assert not _boxes_overlap(box, boxes[j]), (labels[i].get_text(), labels[j].get_text())


def test_legends_outside_the_axes_lie_inside_the_figure(demo_book):
    report = demo_book.evaluate()
    for ax in (plots.effective_rate(report, demo_book), plots.triage_quadrant(demo_book.triage())):
        figure = ax.figure
        figure.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        assert legend.x0 > ax.get_window_extent().x1  # beside the plot, not over it
        assert figure.bbox.x0 <= legend.x0 and legend.x1 <= figure.bbox.x1, "the legend is cut off"
        assert figure.bbox.y0 <= legend.y0 and legend.y1 <= figure.bbox.y1
        frame = ax.get_legend().get_frame().get_window_extent()
        for marker in [h for h in ax.get_legend().legendHandles if hasattr(h, "get_sizes")]:
            # The list rate's marker is 30 points wide on the plot: drawn as is, it stuck out of the legend.
            half = np.sqrt(marker.get_sizes()[0]) * figure.dpi / 72 / 2
            x, y = marker.get_offset_transform().transform(marker.get_offsets()[0])
            assert frame.x0 <= x - half and x + half <= frame.x1 and frame.y0 <= y - half and y + half <= frame.y1


def test_effective_rate_colours_the_bars_by_the_share_of_the_list_rate(demo_book):
    ax = plots.effective_rate(demo_book.evaluate(), demo_book)
    shares = {t.get_text().split("(")[1].rstrip(")"): bar.get_facecolor()
              for t, bar in zip(ax.texts, ax.patches)}
    krueger, gruenwerk, nordlicht = shares["48%"], shares["85%"], shares["106%"]
    assert np.abs(np.subtract(krueger, gruenwerk)).max() > 0.2  # both used to be the same red
    redness = [c[0] - c[1] for c in (krueger, gruenwerk, nordlicht)]
    assert redness == sorted(redness, reverse=True)  # the further below the list rate, the redder
    assert nordlicht[1] > nordlicht[0]  # above the list rate: green
    assert plots.RATE_COLOURS(plots.RATE_SHARE_RANGE(0.85)) == pytest.approx(gruenwerk, abs=0.02)


def test_burndown_dates_are_months_with_their_year_slanted_apart(book_b, demo_book):
    ax = plots.contingent_burndown(book_b.engagements[0])
    ax.figure.canvas.draw()
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert [t.get_text() for t in labels] == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    assert all(t.get_rotation() == 30 and t.get_horizontalalignment() == "right" for t in labels)
    figure = plots.contingent_burndown(demo_book)
    figure.canvas.draw()
    for panel in figure.axes:
        shown = [t for t in panel.get_xticklabels() if t.get_text()]
        assert 3 <= len(shown) <= 9
        boxes = [t.get_window_extent() for t in shown]
        assert not any(_boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[:i])


def test_plots_of_a_book_without_hours_draw_without_failing(recwarn):
    book = k.Book.load(SOURCE / "examples" / "books" / "retainer.book.json")  # no entries yet
    report = book.evaluate()
    ax = plots.effective_rate(report, book)
    assert not ax.patches and ax.texts[0].get_text() == "no hours worked yet"
    empty = k.Book.from_json('{"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}], "engagements": '
                             '[{"id": "e", "client": "c", "currency": "EUR", "start": "2026-01-05", '
                             '"terms": {"pricing": "hourly", "rate": "95"}}]}')
    assert plots.leakage_by_client(empty.evaluate(), empty).get_legend() is None
    assert not [w for w in recwarn if "legend" in str(w.message)]


def test_triage_quadrant_draws_a_client_too_early_to_judge():
    # A client with work but no invoice yet gets no verdict ("too_early"): grey, not a crash.
    book = k.Book.from_json('{"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}], "engagements": '
                            '[{"id": "e", "client": "c", "currency": "EUR", "start": "2026-01-05", '
                            '"terms": {"pricing": "hourly", "rate": "95"}, '
                            '"entries": [{"start": "2026-01-05T09:00", "minutes": 600, "kind": "scope"}]}]}')
    triage = book.triage()
    assert [row.verdict for row in triage.clients] == ["too_early"]
    ax = plots.triage_quadrant(triage, level="engagement")
    assert "too early" in [t.get_text() for t in ax.get_legend().get_texts()]
