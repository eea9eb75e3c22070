"""Documented limits of the card format, checked when a card is read (``cardsite validate``).

Real cards are far inside them (the largest of the examples: 48 variants, 210 rows); a card
past them is refused up front with a message naming the file, line and field, so that any card
that validates builds in bounded time and memory.
"""

from __future__ import annotations

from decimal import Decimal

MAX_FILE_BYTES = 8 * 1024 * 1024
"""One YAML file of a card (a 1,000-variant x 40-benchmark results file is about 1.2 MB)."""
MAX_VALUES = 400_000
"""Values in one YAML file, counted with aliases expanded (bounds "billion laughs")."""
MAX_DEPTH = 40
"""Nesting depth of a YAML file (the card format needs 8)."""

MAX_NAME = 300
"""Characters in a name, heading, label, cell or score."""
MAX_TEXT = 5_000
"""Characters in a description, note, fact value or footnote."""
MAX_URL = 2_000
MAX_PROSE = 100_000
"""Characters of Markdown in one prose section."""
MAX_SECTIONS = 500
MAX_VARIANTS = 2_000
MAX_ROWS = 5_000
"""Rows of one table."""
MAX_SUBSETS = 200
MAX_TABLES = 200
MAX_COLUMNS = 50
"""Columns of a generic table."""
MAX_BENCHMARKS = 5_000
"""Benchmark rows in the whole card."""
MAX_CELLS = 200_000
"""Score cells in the whole card (variants x benchmarks, as published)."""

MAX_MAGNITUDE = Decimal("1e15")
"""Largest number a chart draws and a range may name."""
