"""The ``cardsite`` command: argument parsing and exit codes, nothing else.

Exit codes: 0 success, 1 bad card data or failed build, 2 usage error (a malformed option),
130 interrupted (Ctrl-C). Bad input never shows a traceback: every command that reads a card
goes through :func:`cardsite.card.loader.load_card`, whose
:class:`~cardsite.card.problems.CardError` is reported here, and every other failure a user can
cause (a file that cannot be read or written, a closed pipe, Ctrl-C) is one line on stderr.
Messages go through :mod:`logging` to stderr; data (exports, the schema) goes to stdout.

This module imports little at its top and the rest inside :func:`main`'s error handling, and
the console command starts in :mod:`cardsite.__main__`: a Ctrl-C while the libraries load is
reported like one at any later moment.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cardsite.card.urls import check_web_url
from cardsite.paths import DEFAULT_CARD_DIR

if TYPE_CHECKING:
    from cardsite.card.problems import Problem

log = logging.getLogger("cardsite")

TARGETS = ("hosted", "offline", "embed", "all")
USER_TEMPLATES = Path("templates")
"""A project's template overrides, beside its mkdocs.yml."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    try:
        _setup_logging()
        args = _parser().parse_args(argv)
        return _run(args)
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    except BrokenPipeError:
        _drop_stdout()
        log.error("cardsite: the output was closed before all of it was written")
        return 1


def _run(args: argparse.Namespace) -> int:
    from jinja2 import TemplateError

    from cardsite.card.problems import CardError, describe_os_error
    from cardsite.output.archive import EpochError, build_epoch

    command: Callable[[argparse.Namespace], int] = args.run
    try:
        if args.command in {"build", "serve", "generate"}:
            build_epoch()  # a bad SOURCE_DATE_EPOCH is refused before any work
        return command(args)
    except EpochError as err:
        log.error("cardsite %s: %s", args.command, err)
        return 1
    except TemplateError as err:  # a project's template override
        log.error("cardsite %s: template error: %s", args.command, err)
        return 1
    except CardError as err:
        report_problems(err.problems)
        return 1
    except BrokenPipeError:
        raise  # see main
    except OSError as err:  # a file or folder the command needs and cannot use
        log.error("cardsite %s: %s", args.command, describe_os_error(err))
        return 1


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (tests and callers may swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def _setup_logging() -> None:
    """Plain lines on stderr: a located problem is one line a script can parse."""
    if log.handlers:
        return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cardsite", description="Turn a model card kept as YAML into a documentation site."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a card; problems go to stderr")
    add_card_dir_argument(p)
    p.set_defaults(run=_validate)

    p = sub.add_parser("build", help="build the hosted site, offline bundle and embeds")
    add_card_dir_argument(p, several=True)
    p.add_argument("--target", choices=TARGETS, default="all")
    p.add_argument(
        "--site-url",
        type=_site_url,
        default=None,
        metavar="URL",
        help="where the hosted site will live: an absolute http(s) address",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where site/ and dist/ go (default: the current folder)",
    )
    add_jobs_argument(p)
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="with several cards: build the valid ones and list the others",
    )
    p.set_defaults(run=_build)

    p = sub.add_parser("serve", help="live preview that reloads on data or template changes")
    add_card_dir_argument(p, several=True)
    p.add_argument("--dev-addr", type=_address, default="127.0.0.1:8000", metavar="HOST:PORT")
    p.set_defaults(run=_serve)

    p = sub.add_parser("export", help="card data for other tools")
    add_card_dir_argument(p, several=True)
    p.add_argument("--format", choices=("json", "csv", "hf"), required=True)
    p.add_argument("-o", "--output", type=Path, default=None, metavar="PATH")
    p.add_argument(
        "--hub-org",
        default=None,
        metavar="ORG",
        help="hf: write base_model as the Hub repo id ORG/<base-variant-id>",
    )
    p.add_argument(
        "--source-url",
        default=None,
        metavar="URL",
        help="hf: where the results come from (default: the card's results_url)",
    )
    p.set_defaults(run=_export)

    p = sub.add_parser("schema", help="print the JSON Schema of the card format")
    p.set_defaults(run=_schema)

    p = sub.add_parser("new", help="start a project around the example card")
    p.add_argument("directory", type=Path, metavar="DIR")
    p.set_defaults(run=_new)

    p = sub.add_parser(
        "generate", help="write the pages, charts and a plain mkdocs.yml for any builder"
    )
    add_card_dir_argument(p)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    add_jobs_argument(p)
    p.set_defaults(run=_generate)

    p = sub.add_parser("import", help="turn a published model card document into a card folder")
    p.add_argument("source", type=Path, metavar="SOURCE", help="README.md or MODEL_CARD.md")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="CARD_DIR")
    p.add_argument("--force", action="store_true", help="replace CARD_DIR if it exists")
    p.add_argument("--report", type=Path, default=None, metavar="FILE", help="also write JSON")
    p.set_defaults(run=_import)
    return parser


def add_card_dir_argument(parser: argparse.ArgumentParser, *, several: bool = False) -> None:
    """The optional ``CARD_DIR`` every command that reads a card takes."""
    parser.add_argument(
        "card_dir",
        nargs="*" if several else "?",
        type=Path,
        default=[] if several else DEFAULT_CARD_DIR,
        metavar="CARD_DIR",
        help=f"card folder (default: mkdocs.yml's card, else {DEFAULT_CARD_DIR})",
    )


def add_jobs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        help="worker processes drawing charts (default: one per CPU)",
    )


def _site_url(text: str) -> str:
    try:
        return check_web_url(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err}") from None


def _address(text: str) -> str:
    """``HOST:PORT`` with a port from 1 to 65535 (the host is checked when it is bound)."""
    host, colon, port = text.rpartition(":")
    if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected HOST:PORT with a port from 1 to 65535, e.g. 127.0.0.1:8000"
        )
    return text


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def report_problems(problems: list[Problem]) -> None:
    for problem in problems:
        log.error(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        log.error("%d error(s); the card was not used", errors)


def _validate(args: argparse.Namespace) -> int:
    from cardsite.card.loader import load_card
    from cardsite.generate import check_buildable

    card, warnings = load_card(args.card_dir)
    warnings += check_buildable(card, args.card_dir, _user_templates())
    report_problems(warnings)
    log.info(
        "%s: valid (%d variants, %d benchmarks, %d published scores, %d warning(s))",
        args.card_dir,
        len(card.own_variants),
        len(card.benchmarks),
        sum(r.value is not None for r in card.results),
        len(warnings),
    )
    return 0


def _user_templates() -> list[Path]:
    return [USER_TEMPLATES] if USER_TEMPLATES.is_dir() else []


def _build(args: argparse.Namespace) -> int:
    from cardsite.output.build import BuildError, build, default_card_dirs

    targets = ("hosted", "offline", "embed") if args.target == "all" else (args.target,)
    try:
        card_dirs = args.card_dir or default_card_dirs()
        written, skipped = build(
            card_dirs,
            targets=targets,
            site_url=args.site_url,
            out_dir=args.out,
            jobs=args.jobs,
            skip_invalid=args.skip_invalid,
        )
    except BuildError as err:
        log.error("build failed: %s", err)
        log.error("%s", err.outputs)
        return 1
    for card_dir, problems in skipped:
        report_problems(problems)
        log.warning("cardsite: skipped %s (--skip-invalid): the card has errors", card_dir)
    names = ", ".join(f"{path}/" if path.suffix != ".zip" else str(path) for path in written)
    log.info("cardsite: built %s", names)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from cardsite.card.loader import load_card
    from cardsite.output.build import BuildError, default_card_dirs, serve

    try:
        card_dirs = args.card_dir or default_card_dirs()
        for card_dir in card_dirs:
            load_card(card_dir)  # refuse a bad card before starting a server
        serve(card_dirs, dev_addr=args.dev_addr)
    except BuildError as err:
        log.error("serve failed: %s", err)
        return 1
    return 0


def _export(args: argparse.Namespace) -> int:
    from cardsite.collect import SiteError, find_cards, load_cards
    from cardsite.exports import hf, tables

    card_dirs = find_cards(args.card_dir or [DEFAULT_CARD_DIR])
    try:
        cards = [card for card, _dir in load_cards(card_dirs)[0]]
    except SiteError as err:
        log.error("cardsite export: %s", err)
        return 1
    several = len(cards) > 1
    if args.format == "hf":
        if args.output is None:
            log.error("cardsite export: --format hf needs -o DIR")
            return 2
        written = [
            path
            for card in cards
            for path in hf.write_hf_cards(
                card,
                args.output / card.id if several else args.output,
                hub_org=args.hub_org,
                source_url=args.source_url,
                template_dirs=_user_templates(),
            )
        ]
        log.info("wrote %d model cards under %s", len(written), args.output)
        return 0
    if args.format == "json":
        text = tables.catalogue_json(cards) if several else tables.to_json(cards[0])
    else:
        text = tables.catalogue_csv(cards) if several else tables.to_csv(cards[0])
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()  # a closed pipe shows here, inside main's error handling
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="")
    return 0


def _schema(args: argparse.Namespace) -> int:
    import json

    from cardsite.card.schema import card_schema

    sys.stdout.write(json.dumps(card_schema(), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


def _new(args: argparse.Namespace) -> int:
    import shutil

    from cardsite.paths import EXAMPLE_CARD, SCAFFOLD

    target: Path = args.directory
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        log.error("cardsite new: %s exists and is not an empty folder; nothing was written", target)
        return 1
    shutil.copytree(SCAFFOLD, target, dirs_exist_ok=True)
    shutil.copytree(EXAMPLE_CARD, target / "data" / EXAMPLE_CARD.name)
    (target / "templates").mkdir(exist_ok=True)
    log.info(
        "cardsite: started a project in %s; `cd %s` and run `cardsite build` (README.md says more)",
        target,
        target,
    )
    return 0


def _generate(args: argparse.Namespace) -> int:
    from cardsite.card.loader import load_card
    from cardsite.plugin.standalone import GenerateError, write_standalone

    card, warnings = load_card(args.card_dir)
    report_problems(warnings)
    try:
        write_standalone(card, args.card_dir, args.output, jobs=args.jobs)
    except GenerateError as err:
        log.error("cardsite generate: %s", err)
        return 1
    log.info(
        "cardsite: wrote %s/mkdocs.yml and %s/docs/; build them with "
        "`mkdocs build -f %s/mkdocs.yml`",
        args.output,
        args.output,
        args.output,
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from cardsite.importer.run import ImportFailed, import_card

    try:
        report = import_card(args.source, args.output, force=args.force)
    except ImportFailed as err:
        log.error("cardsite import: %s", err)
        return 1
    lines = report.lines()
    for line in lines:
        log.info("%s", line)
    if args.report is not None:
        try:
            report.write_json(args.report)
        except OSError as err:
            log.error(
                "cardsite import: the card is in %s, but the report cannot be written to %s: %s",
                args.output,
                args.report,
                err.strerror or err,
            )
            return 1
    return 0


if __name__ == "__main__":
    from cardsite.__main__ import run

    run()
