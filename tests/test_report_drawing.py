"""What the drawings show a reader: series of one date side by side, every label inside
its figure, links within a level drawn large enough to see."""

from __future__ import annotations

import sys
from datetime import date
from itertools import pairwise
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg

from toc_engine.formats.report.charts import DODGE, dodge_offsets, draw_chart
from toc_engine.formats.report.inputs import prepare
from toc_engine.formats.report.series import ChartData, Point, Series

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import tiny

ROOT = Path(__file__).resolve().parent.parent


def _series(label: str, kind: str, *points: tuple[date, float]) -> Series:
    return Series(label, kind, tuple(Point(d, v, str(d.year)) for d, v in points))


Y2011, Y2012 = date(2011, 12, 31), date(2012, 12, 31)
SEX_CHART = ChartData(
    indicator="feel-safe", title="Share of women who feel safe after dark", unit="%",
    measure="percentage", scale=(),
    series=(
        _series("baseline", "baseline", (Y2011, 38)),
        _series("target", "target", (Y2012, 60)),
        _series("actual (total)", "actual", (Y2012, 60)),
        _series("sex: female", "breakdown", (Y2012, 60)),
        _series("sex: male", "breakdown", (Y2012, 60)),
    ),
)


def test_series_of_one_date_are_drawn_side_by_side() -> None:
    offsets = dodge_offsets(SEX_CHART)
    assert offsets == [0.0, -1.5 * DODGE, -0.5 * DODGE, 0.5 * DODGE, 1.5 * DODGE]
    figure = draw_chart(SEX_CHART)
    FigureCanvasAgg(figure).draw()
    ax = figure.axes[0]
    xs = []
    for line in ax.get_lines():
        if line.get_label().startswith("_"):
            continue
        (x, _), = line.get_transform().transform(line.get_xydata())
        xs.append((line.get_label(), round(float(x), 1)))
    at_2012 = sorted(x for label, x in xs if label != "baseline")
    assert len(at_2012) == 4
    gaps = [b - a for a, b in pairwise(at_2012)]
    assert min(gaps) >= DODGE * figure.dpi / 72 - 0.5  # pixels apart, none on top of another


def test_a_series_alone_at_its_dates_is_not_moved() -> None:
    chart = ChartData("x", "x", "", "unit", (), (
        _series("baseline", "baseline", (Y2011, 1)), _series("target", "target", (Y2012, 2))))
    assert dodge_offsets(chart) == [0.0, 0.0]


def test_every_label_stays_inside_the_chart() -> None:
    scale = ("disused", "roof-rebuilt", "equipped", "classes-running-every-day-of-the-week")
    chart = ChartData(
        indicator="classroom-readiness",
        title="Readiness of the Manthali IT classroom, as judged by the working group on its "
              "quarterly visits to the community centre, with the teacher present",
        unit="", measure="ordinal", scale=scale,
        series=(_series("baseline", "baseline", (Y2011, 0)),
                _series("actual (total)", "actual", (Y2011, 1), (Y2012, 3))))
    figure = draw_chart(chart)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    frame = figure.bbox
    ax = figure.axes[0]
    texts = [*ax.get_yticklabels(), *ax.get_xticklabels(), ax.title,
             *ax.get_legend().get_texts()]
    assert any(t.get_text().startswith("classes-running") for t in texts)
    for text in texts:
        if not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, text.get_text()
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()


def test_links_within_a_level_run_above_the_row_and_stand_out(tmp_path: Path) -> None:
    from toc_engine.formats.report.layout import layout
    from toc_engine.formats.report.tocgraph import FOOT, LIFT, draw_graph, edge_route, labels

    prepared = prepare(ROOT / "examples" / "nepal" / "programme.yaml")
    items = labels(prepared.programme, prepared.score)
    nodes = layout(prepared.programme, {i.id: i.lines for i in items}).nodes
    a, b = nodes["youth-it-skills"], nodes["households-reached"]
    assert a.row == b.row
    points, _ = edge_route(a, b, {})
    top = max(a.y + a.height / 2, b.y + b.height / 2)
    assert points[0] == (a.x + FOOT * a.width, a.y + a.height / 2)
    assert points[-1] == (b.x - FOOT * b.width, b.y + b.height / 2)
    assert all(y >= min(a.y + a.height / 2, b.y + b.height / 2) for _, y in points)
    assert points[1][1] == points[2][1] == top + LIFT
    # As long as the distance between the boxes, not a stub in the gap between them.
    assert points[2][0] - points[1][0] >= (b.x - a.x) - 2 * FOOT * a.width - 1e-9

    assert {prepared.score.link("youth-it-skills", "households-reached").verdict,
            prepared.score.link("cswgs-functioning", "authorities-respond").verdict} == {
        "theory_held"}
    figure = draw_graph(prepared.programme, prepared.score)
    patches = {p.get_gid(): p for p in figure.axes[0].patches}
    lateral = patches["edge-youth-it-skills--households-reached"]
    upward = patches["edge-cswgs-functioning--authorities-respond"]  # the same verdict
    assert lateral.get_linewidth() > upward.get_linewidth()
    assert lateral.get_zorder() > patches["node-youth-it-skills"].get_zorder()
    assert lateral.get_mutation_scale() > upward.get_mutation_scale()


def test_tiny_programme_still_draws(tmp_path: Path) -> None:
    """Charts of a real programme keep their content after dodging and fitting."""
    from toc_engine.formats.report.series import chart_data

    prepared = prepare(tiny(tmp_path))
    scores = {i.id: i for r in prepared.score.results for i in r.indicators}
    model = {i.id: i for _, i in prepared.programme.indicators()}
    figure = draw_chart(chart_data(prepared.programme, model["feel-safe"], scores["feel-safe"]))
    assert figure.axes[0].get_ylim() == (0.0, 100.0)
