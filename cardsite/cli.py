"""The ``cardsite`` command: argument parsing and exit codes, nothing else.

Exit codes (see INTERFACE.md): 0 success, 1 bad card data or failed build, 2 usage error.
Bad input never shows a traceback: every command that reads a card goes through
:func:`cardsite.loader.load_card`, whose :class:`~cardsite.problems.CardError` is printed here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cardsite.loader import DEFAULT_CARD_DIR, load_card
from cardsite.problems import CardError, Problem

TARGETS = ("hosted", "offline", "embed", "all")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.run
    try:
        return command(args)
    except CardError as err:
        _print_problems(err.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cardsite", description="Turn a model card kept as YAML into a documentation site."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    card_dir = add_card_dir_argument
    p = sub.add_parser("validate", help="check a card; problems go to stderr")
    card_dir(p)
    p.set_defaults(run=_validate)

    p = sub.add_parser("build", help="build the hosted site, offline bundle and embeds")
    card_dir(p)
    p.add_argument("--target", choices=TARGETS, default="all")
    p.add_argument("--site-url", default=None, help="where the hosted site will live")
    p.set_defaults(run=_build)

    p = sub.add_parser("serve", help="live preview that reloads on data or template changes")
    card_dir(p)
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    p.set_defaults(run=_serve)

    p = sub.add_parser("export", help="card data for other tools")
    card_dir(p)
    p.add_argument("--format", choices=("json", "csv", "hf"), required=True)
    p.add_argument("-o", "--output", type=Path, default=None, metavar="PATH")
    p.add_argument(
        "--hub-org",
        default=None,
        metavar="ORG",
        help="hf: write base_model as the Hub repo id ORG/<base-variant-id>",
    )
    p.set_defaults(run=_export)

    p = sub.add_parser("schema", help="print the JSON Schema of the card format")
    p.set_defaults(run=_schema)
    return parser


def add_card_dir_argument(parser: argparse.ArgumentParser) -> None:
    """The optional ``CARD_DIR`` every command that reads a card takes."""
    parser.add_argument(
        "card_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_CARD_DIR,
        metavar="CARD_DIR",
        help=f"card folder (default: {DEFAULT_CARD_DIR})",
    )


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"{errors} error(s); the card was not used", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    card, warnings = load_card(args.card_dir)
    _print_problems(warnings)
    print(
        f"{args.card_dir}: valid ({len(card.own_variants)} variants, "
        f"{len(card.benchmarks)} benchmarks, "
        f"{sum(r.value is not None for r in card.results)} published scores, "
        f"{len(warnings)} warning(s))",
        file=sys.stderr,
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    from cardsite.build import BuildError, build

    targets = ("hosted", "offline", "embed") if args.target == "all" else (args.target,)
    try:
        written = build(args.card_dir, targets=targets, site_url=args.site_url)
    except BuildError as err:
        print(f"build failed: {err}", file=sys.stderr)
        print("earlier outputs were left as they were", file=sys.stderr)
        return 1
    names = ", ".join(f"{path}/" if path.suffix != ".zip" else str(path) for path in written)
    print(f"cardsite: built {names}", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from cardsite.build import serve

    load_card(args.card_dir)  # refuse a bad card before starting a server
    serve(args.card_dir, dev_addr=args.dev_addr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from cardsite import export

    card, warnings = load_card(args.card_dir)
    _print_problems(warnings)
    if args.format == "hf":
        if args.output is None:
            print("cardsite export: --format hf needs -o DIR", file=sys.stderr)
            return 2
        try:
            written = export.write_hf_cards(card, args.output, hub_org=args.hub_org)
        except OSError as err:
            print(
                f"cardsite export: cannot write {args.output}: {err.strerror or err}",
                file=sys.stderr,
            )
            return 1
        print(f"wrote {len(written)} model cards under {args.output}", file=sys.stderr)
        return 0
    text = export.to_json(card) if args.format == "json" else export.to_csv(card)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8", newline="")
        except OSError as err:
            print(
                f"cardsite export: cannot write {args.output}: {err.strerror or err}",
                file=sys.stderr,
            )
            return 1
    return 0


def _schema(args: argparse.Namespace) -> int:
    from cardsite.schema import card_schema

    print(json.dumps(card_schema(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
