"""Charts: one spec per chart (what it shows, its data table and alt text), drawn with
matplotlib into one SVG that follows the light and dark scheme, through a content-addressed
cache.

* :func:`chart_specs` (:mod:`.specs`): what each chart shows; no matplotlib needed;
* :func:`render_charts` (:mod:`.cache`): draws what the cache does not hold yet, in worker
  processes, and writes ``<id>.svg`` and ``<id>.png``;
* :func:`inline_svg` (:mod:`.svg`): a chart's SVG made fit to inline into a page.
"""

from cardsite.charts.cache import RenderReport, render_charts
from cardsite.charts.specs import ChartSpec, chart_specs
from cardsite.charts.svg import inline_svg

__all__ = ["ChartSpec", "RenderReport", "chart_specs", "inline_svg", "render_charts"]
