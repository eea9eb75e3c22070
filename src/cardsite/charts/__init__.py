"""Charts (placeholder while the charts are rebuilt for the general card format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class RenderReport:
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def chart_specs(card: Any) -> list[Any]:
    return []


def render_charts(
    specs: list[Any], out_dir: Path, cache_dir: Path, *, jobs: int | None = None, png: bool = True
) -> RenderReport:
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    return RenderReport()


ChartSpec = Any


def inline_svg(svg_text: str, chart_id: str, alt: str) -> str:
    return svg_text
