"""Plots are checked for content: series, points, labels; and the ToC graph for overlaps."""

from __future__ import annotations

import sys
from itertools import combinations, pairwise
from pathlib import Path

from toc_engine.formats.report.inputs import prepare

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import big, tiny


def _chart(tmp_path: Path, indicator: str):  # type: ignore[no-untyped-def]
    from toc_engine.formats.report.series import chart_data

    prepared = prepare(tiny(tmp_path))
    scores = {i.id: i for r in prepared.score.results for i in r.indicators}
    model = {i.id: i for _, i in prepared.programme.indicators()}
    return chart_data(prepared.programme, model[indicator], scores[indicator])


def test_chart_series_for_cumulative_indicator_with_revision(tmp_path: Path) -> None:
    from toc_engine.formats.report.charts import draw_chart

    data = _chart(tmp_path, "toilets-built")
    found = {s.label: [p.value for p in s.points] for s in data.series}
    assert found == {
        "baseline": [0.0],
        "target": [150.0],
        "target before revision": [200.0],
        "actual (total)": [60.0, 150.0],  # running totals: 0 + 60, then + 90
    }
    figure = draw_chart(data)
    ax = figure.axes[0]
    lines = {line.get_label(): len(line.get_xdata()) for line in ax.get_lines()}
    assert lines == {"baseline": 1, "target": 1, "target before revision": 1,
                     "actual (total)": 2}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["baseline", "target", "target before revision", "actual (total)"]
    assert ax.get_title(loc="left") == "Households with a toilet"
    assert ax.get_ylabel() == "household"
    assert any(t.get_text() == "revised" for t in ax.texts)


def test_chart_survey_intervals_and_sex(tmp_path: Path) -> None:
    from toc_engine.formats.report.charts import draw_chart

    data = _chart(tmp_path, "feel-safe")
    labels = [s.label for s in data.series]
    assert labels == ["baseline", "target", "actual (total)", "sex: female", "sex: male"]
    actual = data.get("actual")[0].points[0]
    assert actual.low is not None and actual.high is not None
    assert actual.low < 57 < actual.high
    figure = draw_chart(data)
    ax = figure.axes[0]
    plotted = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert plotted == labels
    # Error bars: one collection per series that has an interval (baseline, actual, 2 x sex).
    intervals = [c for c in ax.collections if (c.get_gid() or "").startswith("interval-")]
    assert len(intervals) == 4
    assert ax.get_ylim() == (0.0, 100.0)


def test_chart_svg_is_deterministic(tmp_path: Path) -> None:
    from toc_engine.formats.report.charts import draw_chart
    from toc_engine.formats.report.mpl import render

    data = _chart(tmp_path, "feel-safe")
    first, second = render(draw_chart(data)), render(draw_chart(data))
    assert first == second
    assert b"<dc:date>" not in first
    text = first.decode()
    assert "Share of women who feel safe after dark" in text  # text stays text


def test_graph_labels_do_not_overlap_on_40_results(tmp_path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from toc_engine.formats.report.palette import VERDICT_STYLES
    from toc_engine.formats.report.tocgraph import draw_graph

    prepared = prepare(big(tmp_path))
    assert len(prepared.programme.results) >= 40
    figure = draw_graph(prepared.programme, prepared.score)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = figure.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label-")]
    assert len(labels) == len(prepared.programme.results)
    boxes = [t.get_window_extent(renderer) for t in labels]
    for (i, a), (j, b) in combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), f"{labels[i].get_gid()} overlaps {labels[j].get_gid()}"
    # Each label fits inside its own box.
    patches = {p.get_gid(): p.get_window_extent(renderer) for p in ax.patches
               if (p.get_gid() or "").startswith("node-")}
    for text, box in zip(labels, boxes, strict=True):
        node = patches["node-" + text.get_gid()[len("label-"):]]
        assert node.x0 <= box.x0 and box.x1 <= node.x1 and node.y0 <= box.y0
        assert box.y1 <= node.y1
    # The legend names every band, and the verdicts the graph shows (with untested).
    legend_text = {t.get_text() for legend in ax.findobj(lambda a: hasattr(a, "get_texts"))
                   for t in legend.get_texts()}
    assert {"A", "C", "untested"} <= legend_text
    shown = {VERDICT_STYLES[link.verdict][3] for link in prepared.score.links}
    assert shown <= legend_text
    hidden = {style[3] for style in VERDICT_STYLES.values()} - shown - {"untested"}
    assert not hidden & legend_text


def _inside(point: tuple[float, float], node) -> bool:  # type: ignore[no-untyped-def]
    x, y = point
    return (abs(x - node.x) < node.width / 2 - 1e-9) and (abs(y - node.y) < node.height / 2 - 1e-9)


def test_graph_edges_never_pass_behind_a_box(tmp_path: Path) -> None:
    from toc_engine.formats.report.layout import layout
    from toc_engine.formats.report.tocgraph import edge_route, labels

    root = Path(__file__).resolve().parent.parent
    paths = [root / "examples" / c / "programme.yaml" for c in ("nepal", "bangladesh", "kosovo")]
    bent = 0
    for path in [*paths, big(tmp_path)]:
        prepared = prepare(path)
        items = labels(prepared.programme, prepared.score)
        nodes = layout(prepared.programme, {i.id: i.lines for i in items}).nodes
        rows: dict[int, list] = {}  # type: ignore[type-arg]
        for node in nodes.values():
            rows.setdefault(node.row, []).append(node)
        for result in prepared.programme.results:
            for link in result.contributes_to:
                a, b = nodes[result.id], nodes[link.to]
                points, _ = edge_route(a, b, rows)
                bent += len(points) > 2
                others = [n for n in nodes.values() if n.id not in (a.id, b.id)]
                for (x0, y0), (x1, y1) in pairwise(points):
                    for k in range(101):  # the drawn segment, finely sampled
                        p = (x0 + (x1 - x0) * k / 100, y0 + (y1 - y0) * k / 100)
                        hit = [n.id for n in others if _inside(p, n)]
                        assert not hit, f"{result.id} -> {link.to} passes behind {hit}"
    assert bent >= 4  # Nepal and Bangladesh each have two links that skip a level


def test_graph_colours_and_edge_styles(tmp_path: Path) -> None:
    from toc_engine.formats.report.palette import VERDICT_STYLES, band_colour
    from toc_engine.formats.report.tocgraph import draw_graph

    prepared = prepare(tiny(tmp_path))
    figure = draw_graph(prepared.programme, prepared.score)
    ax = figure.axes[0]
    nodes = {p.get_gid(): p for p in ax.patches}
    band = prepared.score.result("toilets").delivery.band
    from matplotlib.colors import to_hex

    assert to_hex(nodes["node-toilets"].get_facecolor()) == band_colour(band)
    edge = nodes["edge-toilets--safer"]
    verdict = prepared.score.link("toilets", "safer").verdict
    assert to_hex(edge.get_edgecolor()) == VERDICT_STYLES[verdict][0]


def test_graph_command_formats(tmp_path: Path) -> None:
    import io

    from toc_engine.cli import run

    path = tiny(tmp_path)
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        out = tmp_path / f"g.{fmt}"
        assert run(["graph", str(path), "-o", str(out)], io.StringIO()) == 0
        first = out.read_bytes()
        assert first.startswith(magic)
        assert run(["graph", str(path), "-o", str(out)], io.StringIO()) == 0
        assert out.read_bytes() == first, f"{fmt} output is not deterministic"
