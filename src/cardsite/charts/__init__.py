"""Charts: one spec per chart (what it shows, its data table and alt text), drawn with
matplotlib through a content-addressed cache."""

from cardsite.charts.specs import (
    MISSING_TEXT,
    ChartSpec,
    RenderReport,
    chart_specs,
    render_bytes,
    render_charts,
)

__all__ = [
    "MISSING_TEXT",
    "ChartSpec",
    "RenderReport",
    "chart_specs",
    "render_bytes",
    "render_charts",
]
