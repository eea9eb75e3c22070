"""The plugin's options, as MkDocs validates them (``plugins: [{cardsite: {...}}]``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CardsiteConfig(base.Config):
    card = c.Optional(c.Type(str))
    """The card folder, relative to ``mkdocs.yml`` (e.g. ``data/my-card``)."""
    cards = c.ListOfItems(c.Type(str), default=[])
    """Several card folders (a catalogue); a folder whose sub-folders are cards also works."""
    prefix = c.Optional(c.Type(str))
    """Where the card's pages (or the catalogue's) go in the site: ``""`` for the root; by
    default a folder named after the card's id (a catalogue: ``models/``), so the site's own
    pages keep their places."""
    nav_section = c.Optional(c.Type(str))
    """The nav section holding the card's pages: ``""`` puts the card's own sections at the top
    of the nav; by default the family's name (a catalogue: ``Models``)."""
    templates = c.Optional(c.Type(str))
    """A folder of template overrides, relative to ``mkdocs.yml``; ``templates`` when it exists."""
    cache_dir = c.Type(str, default=".cache/cardsite")
    """Chart cache and generated files, relative to ``mkdocs.yml``."""
    chart_png = c.Type(bool, default=False)
    """Also draw each chart as PNG, offered beside its SVG on the Downloads page (for tools that
    take no SVG). Off by default: drawing the PNGs doubles a cold build's drawing time."""
    jobs = c.Optional(c.Type(int))
    """Worker processes drawing charts; by default one per CPU."""
    aliases = c.Optional(c.Type(str))
    """A catalogue's YAML file of benchmark names that mean the same (name -> other names)."""
    skip_invalid = c.Type(bool, default=False)
    """In a catalogue, leave out a card with errors (and say so) instead of failing."""
