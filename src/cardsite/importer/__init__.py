"""``cardsite import``: turn a published model card document into a cardsite card folder.

The work is split so that each step can be tested and changed on its own:

* :mod:`.document` reads the file (refusing what is not a model card document) and its YAML
  front matter;
* :mod:`.tables` parses the Markdown (markdown-it-py) and its HTML (lxml) into an outline of
  headings, prose and tables, each table a grid of cells with spans expanded;
* :mod:`.interpret` decides what each table, column and row is, and which models are the card's
  own; every decision it is not sure of becomes a guess to review;
* :mod:`.writer` writes the card's YAML files, each guess as a ``# review:`` comment beside the
  line it concerns, into a temporary folder that is renamed into place only once it validates;
* :mod:`.report` says what was imported and what was not.
"""

from __future__ import annotations
