"""Addresses: the one check for every URL cardsite takes, from card data or from an option.

A URL is parsed, not matched by eye: it must be an absolute ``http``/``https`` address with a
host name (or, where a link may send mail, ``mailto:``), written only in the characters RFC 3986
allows (so no space, quote, ``<``, ``>``, backslash or ``|``: percent-encode them, ``%20``). No
other scheme (``javascript:``, ``data:``, ``file:``) and no ``user:password@`` part.

Accepted addresses may still hold characters that mean something in Markdown (``(``, ``)``,
``'``); :func:`cardsite.pages.escape.link_target` percent-encodes those where a link is written.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")

_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]")
"""What RFC 3986 allows in a URI, less ``[`` and ``]`` (only an IPv6 host needs them)."""
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*\.?")
_MAILBOX = re.compile(rf"[A-Za-z0-9.!$&'*+=^_`{{|}}~%-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+")
# A JSON Schema hint for editors; :func:`check_url` is the rule.
PATTERN = r"^(?:https?://|mailto:)\S+$"


def check_url(text: str, *, mailto: bool = False) -> str:
    """``text`` if it is an address cardsite links to; else :class:`ValueError` saying why."""
    if not text:
        raise ValueError("an address is needed here")
    for char in text:
        if not _URI_CHARACTERS.fullmatch(char):
            shown = "a space" if char == " " else repr(char)
            raise ValueError(
                f"{shown} is not allowed in an address; percent-encode it (a space is %20)"
            )
    if _BAD_PERCENT.search(text):
        raise ValueError("a % must start a percent-encoded byte such as %20")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        if "@" in parts.netloc:
            raise ValueError("an address with a user name or password (user@host) is refused")
        host = parts.hostname or ""
        if not _HOST.fullmatch(host):
            raise ValueError(f"an {scheme} address needs a host name, as in https://example.org/")
        try:
            port = parts.port
        except ValueError:
            port = 0
        if port == 0:
            raise ValueError("the port must be a number from 1 to 65535")
        return text
    if scheme == "mailto" and mailto:
        if not _MAILBOX.fullmatch(text[len("mailto:") :]):
            raise ValueError("a mailto: address must be mailto:name@example.org")
        return text
    allowed = "http(s) or mailto:" if mailto else "http(s)"
    found = f"a {parts.scheme}: address" if parts.scheme else "no scheme"
    raise ValueError(f"must be an absolute {allowed} address (found {found})")


def check_web_url(text: str) -> str:
    """:func:`check_url` for addresses that must be web pages (``mailto:`` refused)."""
    return check_url(text)


def check_link_url(text: str) -> str:
    """:func:`check_url` for links a reader follows (``mailto:`` allowed)."""
    return check_url(text, mailto=True)
