"""The plots draw what the report says, headless (Agg)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import kontingent as k  # noqa: E402
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
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["keep", "renegotiate", "let go"]
    share = plots.triage_quadrant(triage, level="engagement", y="share")
    assert len(share.collections[0].get_offsets()) == len(triage.engagements)
    with pytest.raises(ValueError):
        plots.triage_quadrant(triage, y="money")
