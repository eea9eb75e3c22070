"""Documented limits of the card format, checked when a card is read (``cardsite validate``).

Real cards are far inside them (the largest of the examples: 48 variants, 210 rows; the largest
card the project builds as a matter of course: 1,000 variants x 40 benchmarks). They are for
pathological input: a card past them is refused up front with a message naming the file, line
and field, so that any card that validates builds in bounded time and memory (see the README's
reliability section for the times measured at the limits).

Three kinds of limit:

* the YAML files themselves: size, values, nesting, and text with aliases expanded (a 300 KB
  string reused through ``&alias``/``*alias`` counts each time it is used);
* each field and list: lengths of names, texts, prose, and how many entries a list holds;
* the card as a whole: variants, benchmarks, score cells, cells of the Compare table, prose,
  and (:data:`MAX_SITE_MARKDOWN`) the size of all pages together, measured by rendering them;
  the last catches whatever multiplies card text across pages (facts repeated on every variant
  page, a long glossary title on every row), however it comes about.
"""

from __future__ import annotations

from decimal import Decimal

# ---------------------------------------------------------------------------- YAML files

MAX_FILE_BYTES = 8 * 1024 * 1024
"""One YAML file of a card (a 1,000-variant x 40-benchmark results file is about 1.2 MB)."""
MAX_VALUES = 400_000
"""Values in one YAML file, counted with aliases expanded (bounds "billion laughs")."""
MAX_EXPANDED_CHARS = 8 * 1024 * 1024
"""Characters of text in one YAML file with aliases expanded (a long string reused through
aliases counts every time it is used)."""
MAX_DEPTH = 40
"""Nesting depth of a YAML file (the card format needs 8)."""

# ---------------------------------------------------------------------------- fields

MAX_NAME = 300
"""Characters in a name, heading, label, cell or score."""
MAX_TEXT = 5_000
"""Characters in a description, note, fact value or footnote."""
MAX_URL = 2_000
MAX_PROSE = 50_000
"""Characters of Markdown in one prose section."""

# ---------------------------------------------------------------------------- lists

MAX_LIST = 200
"""Entries of a short list: facts, languages, links, notes, footnotes, subsets of a row."""
MAX_ENTRIES = 1_000
"""Entries of a long list: glossary terms, metrics, pages, prose sections."""
MAX_CATEGORIES = 200
"""Benchmark categories: each is a page with charts of its own (real cards have a dozen; 1,000
one-row categories made a 45-variant card take five minutes to build)."""
MAX_SECTIONS = MAX_ENTRIES
MAX_SUBSETS = MAX_LIST
MAX_TABLES = 200
"""Results tables, and other tables."""
MAX_COLUMNS = 50
"""Columns of a generic table."""
MAX_ROWS = 1_000
"""Rows of one table."""

# ---------------------------------------------------------------------------- the whole card

MAX_VARIANTS = 1_000
"""Variants, comparison models included. Each own variant is a page listed in every variant
page's navigation, so the site grows with the square of this number."""
MAX_BENCHMARKS = 1_000
"""Benchmark rows in the whole card."""
MAX_CELLS = 45_000
"""Score cells in the whole card, as published (a 1,000 x 40 card has 40,000)."""
MAX_COMPARE_CELLS = 45_000
"""Cells of the Compare table: every variant against every benchmark row and subset."""
MAX_PROSE_TOTAL = 400_000
"""Characters of Markdown in all prose sections together."""
MAX_SITE_MARKDOWN = 20_000_000
"""Characters of Markdown in all generated pages together (12.3 million for the 1,000 x 40
card of ``benchmarks/synthetic_card.py``, 130,000 for Llama 3.1); measured by ``cardsite
validate`` and by every build before MkDocs runs."""

MAX_PAGES = 1_200
"""Generated pages of one card (910 for the 1,000 x 40 card, 19 for Llama 3.1): with
:data:`MAX_CHARTS`, what keeps a build of any card that validates within a few minutes."""
MAX_CHARTS = 1_200
"""Charts of one card (916 for the 1,000 x 40 card, 20 for Llama 3.1); each takes about 0.15 s
to draw."""

MAX_MAGNITUDE = Decimal("1e15")
"""Largest number a chart draws and a range may name."""
