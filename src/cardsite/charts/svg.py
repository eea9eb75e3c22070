"""The SVG text of a chart: colours that follow the light and dark scheme, compact markup, and
the inlined form pages embed.

matplotlib draws every chart once, with *sentinel* colours for text, muted text, grid and
background (:data:`SENTINELS`): the light scheme's colours, each one unit off in its last
channel, so a PNG saved from the same figure looks exactly like the light chart, and each
sentinel is a string found nowhere else in the file. :func:`standalone` then

* replaces each sentinel by a CSS custom property (``var(--cs-chart-text, #1f2328)``, with the
  light colour as fallback), always inside a ``style`` attribute, where ``var()`` works;
* adds a ``<style>`` defining the properties for light and, under
  ``@media (prefers-color-scheme: dark)``, for dark, so the file looks right on its own (a
  download, a wiki page);
* makes the markup compact: no comments, metadata or unused ids, no indentation, path data and
  coordinates to two decimals (0.01 pt), default styles dropped.

Pages show the file as an ``<img>``: a browser that gives an SVG image the ``color-scheme`` of
its page (Chromium does: tests/test_browser.py) then follows Material's scheme toggle too, which
sets ``color-scheme`` per scheme. :func:`inline_svg` turns the file into markup a page can inline
(the wiki embeds), where ``charts.css`` sets the properties per scheme.

All of it is text processing on matplotlib's own, regular output, never a parse through an
HTML parser, which would lowercase SVG's camelCase names (``viewBox``, ``clipPath``).
"""

from __future__ import annotations

import html
import re

LIGHT: dict[str, str] = {
    "text": "#1f2328",
    "muted": "#57606a",
    "grid": "#d0d7de",
    "bg": "#ffffff",
}
"""Light scheme: text 15.8:1 and muted text 6.4:1 on white (WCAG AA asks 4.5:1)."""
DARK: dict[str, str] = {
    "text": "#e6edf3",
    "muted": "#aab3bf",
    "grid": "#3d4451",
    "bg": "#1e2129",
}
"""Dark scheme, on Material's slate background (#1e2129): text 13.6:1, muted text 7.6:1."""

SENTINELS: dict[str, str] = {
    "text": "#1f2329",
    "muted": "#57606b",
    "grid": "#d0d7df",
    "bg": "#fffffe",
}
"""What :mod:`cardsite.charts.draw` paints with: :data:`LIGHT`, one unit off in blue."""


def prop(role: str) -> str:
    """``--cs-chart-text``: the custom property of a colour role."""
    return f"--cs-chart-{role}"


def _declarations(colours: dict[str, str]) -> str:
    return ";".join(f"{prop(role)}:{colour}" for role, colour in colours.items())


STYLE = (
    f"<style>svg{{{_declarations(LIGHT)}}}"
    f"@media (prefers-color-scheme:dark){{svg{{{_declarations(DARK)}}}}}</style>"
)
"""The standalone file's own style: light defaults, dark when the reader's system is dark."""

# ------------------------------------------------------------------------------ standalone

_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BLOCK = re.compile(r"<(metadata|style|title|desc)\b[^>]*>.*?</\1>", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")
_GEOMETRY = re.compile(r'\b(d|x|y|width|height|transform)="([^"]*)"')
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
_TRANSLATE = re.compile(r"translate\([^)]*\)")
_PATH_SPACE = re.compile(r"\s*([MLQCZz])\s*")
_STYLE = re.compile(r'style="([^"]*)"')
_STYLE_DEFAULTS = frozenset({"stroke-linejoin:miter", "stroke-linecap:butt", "opacity:1"})
_ID = re.compile(r'\sid="([^"]+)"')
_REFERENCE = re.compile(r'url\(#([^)]+)\)|href="#([^"]+)"')
_TAG = re.compile(r"<(/?)g(\s[^>]*)?>")
_GLYPH_OFFSET = re.compile(r'(<use xlink:href="#[^"]+") transform="translate\((\S+) (\S+)\)"')
_INVISIBLE = re.compile(r'<path d="[^"]*" style="fill:none"/>')


def standalone(raw: str, title: str, alt: str) -> str:
    """matplotlib's SVG as the chart's file: scheme colours, own style, compact, titled."""
    text = _PROLOG.sub("", raw)
    text = _COMMENT.sub("", text)
    text = _BLOCK.sub("", text)  # matplotlib's metadata and its global `*` style rule
    text = _BETWEEN_TAGS.sub("><", text).strip()
    text = _GLYPH_OFFSET.sub(_glyph_offset, text)
    text = _GEOMETRY.sub(_round_geometry, text)
    text = _STYLE.sub(_tidy_style, text)
    text = _INVISIBLE.sub("", text)
    text = _short_ids(text)
    text = _unwrap_bare_groups(text)
    text = text.replace("<defs></defs>", "").replace("xlink:href=", "href=")
    text = text.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    text = _scheme_colours(text)
    head = text.index(">") + 1
    about = f"<title>{_escape(title)}</title><desc>{_escape(alt)}</desc>"
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text[:head]}{about}{STYLE}{text[head:]}\n'


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _round_number(match: re.Match[str]) -> str:
    """Two decimals (0.01 pt, far below a screen pixel), trailing zeros dropped."""
    text = f"{float(match[0]):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _round_geometry(match: re.Match[str]) -> str:
    """Positions to two decimals; a transform's scale factors are left exact."""
    name, value = match[1], match[2]
    if name == "transform":
        value = _TRANSLATE.sub(lambda m: _LONG_NUMBER.sub(_round_number, m[0]), value)
    else:
        value = _LONG_NUMBER.sub(_round_number, value)
    if name == "d":
        value = _PATH_SPACE.sub(r"\1", value).strip()
    return f'{name}="{value}"'


def _tidy_style(match: re.Match[str]) -> str:
    """``fill: #fff; stroke-linejoin: miter`` -> ``fill:#fff``: no spaces, no SVG defaults.

    matplotlib leaves round joins to a global ``* {stroke-linejoin: round}`` rule, which an
    inlined SVG must not carry (it would apply to the whole page): the rule is dropped and the
    join written where it applies, on stroked paths that name no join of their own.
    """
    declarations = [d.replace(": ", ":").strip() for d in match[1].split(";") if d.strip()]
    stroked = any(d.startswith("stroke:") and d != "stroke:none" for d in declarations)
    if stroked and not any(d.startswith("stroke-linejoin:") for d in declarations):
        declarations.append("stroke-linejoin:round")
    kept = [_LONG_NUMBER.sub(_round_number, d) for d in declarations if d not in _STYLE_DEFAULTS]
    return f'style="{";".join(kept)}"'


def _glyph_offset(match: re.Match[str]) -> str:
    """A glyph placed with ``transform="translate(57.203125 0)"`` is placed the same by
    ``x="57.2"`` (in glyph units, a tenth is far below a pixel)."""
    x, y = (f"{float(n):.1f}".rstrip("0").rstrip(".") for n in (match[2], match[3]))
    return f'{match[1]} x="{x}"' + (f' y="{y}"' if y not in {"0", "-0"} else "")


def _short_ids(text: str) -> str:
    """matplotlib names every group (``patch_3``, ``text_9``) and glyph
    (``NotoSans-Regular-2b``, used hundreds of times): unreferenced ids go, the others become
    short ones (``a``, ``b``, ... ``a0``), numbered in order of appearance."""
    used = {a or b for a, b in _REFERENCE.findall(text)}
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        if match[1] not in used:
            return ""
        names[match[1]] = _short_name(len(names))
        return f' id="{names[match[1]]}"'

    text = _ID.sub(rename, text)
    return _REFERENCE.sub(
        lambda m: f"url(#{names[m[1]]})" if m[1] else f'href="#{names[m[2]]}"', text
    )


def _short_name(n: int) -> str:
    """0 -> ``a``, 25 -> ``z``, 26 -> ``a0``: a letter first, so it is a valid id."""
    letters, rest = "abcdefghijklmnopqrstuvwxyz", ""
    head, n = letters[n % 26], n // 26
    while n:
        n, digit = divmod(n - 1, 36)
        rest = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + rest
    return head + rest


def _unwrap_bare_groups(text: str) -> str:
    """Remove ``<g>`` wrappers without attributes (left once their ids are gone), keeping
    their content; groups with attributes (transforms, styles, clips) stay."""
    out: list[str] = []
    bare: list[bool] = []
    last = 0
    for match in _TAG.finditer(text):
        out.append(text[last : match.start()])
        last = match.end()
        if match[1]:  # a closing tag
            if not bare.pop():
                out.append(match[0])
        elif match[0].endswith("/>"):  # an empty <g .../>: nothing to unwrap
            if match[2] and match[2].strip() != "/":
                out.append(match[0])
        else:
            is_bare = not (match[2] or "").strip()
            bare.append(is_bare)
            if not is_bare:
                out.append(match[0])
    out.append(text[last:])
    return "".join(out)


def _scheme_colours(text: str) -> str:
    """Each sentinel colour becomes its custom property, inside a ``style`` attribute."""
    replacements = {
        sentinel: f"var({prop(role)},{LIGHT[role]})" for role, sentinel in SENTINELS.items()
    }

    def in_style(match: re.Match[str]) -> str:
        value = match[1]
        for sentinel, variable in replacements.items():
            value = value.replace(sentinel, variable)
        return f'style="{value}"'

    text = _STYLE.sub(in_style, text)
    for role, sentinel in SENTINELS.items():
        if sentinel in text:  # a presentation attribute, where var() does not work
            raise ValueError(f"the {role} colour is used outside a style attribute")
    return text


# ---------------------------------------------------------------------------------- inline

_ROOT_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_ID_OR_REFERENCE = re.compile(r'(\sid="|href="#|url\(#)([^")]+)')


def inline_svg(svg_text: str, chart_id: str, alt: str) -> str:
    """A chart's SVG file as markup to inline into an HTML page.

    No XML prolog, comments, metadata, title or ``<style>`` (a style in an inlined SVG applies
    to the whole page; the page's ``charts.css`` sets the colours instead). Every id, and every
    ``url(#...)`` and ``href="#..."`` pointing at one, is prefixed with the chart id, so two
    charts on one page never clash (matplotlib names glyphs the same in every chart). The root
    keeps its ``viewBox`` but loses its fixed width and height, so it scales with the page, and
    is named for screen readers by ``role="img"`` and ``aria-label``.
    """
    text = _PROLOG.sub("", svg_text)
    text = _COMMENT.sub("", text)
    text = _BLOCK.sub("", text)
    prefix = f"{chart_id}-"
    text = _ID_OR_REFERENCE.sub(lambda m: f"{m[1]}{prefix}{m[2]}", text)
    start = text.index("<svg")
    end = text.index(">", start)
    root = _ROOT_SIZE.sub("", text[start:end]).rstrip("/ ")
    label = html.escape(alt, quote=True)
    return f'{root} role="img" aria-label="{label}">{text[end + 1 :]}'.strip()


__all__ = ["DARK", "LIGHT", "SENTINELS", "STYLE", "inline_svg", "prop", "standalone"]
