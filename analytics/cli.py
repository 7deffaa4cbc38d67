"""The command line (docs/DATA.md, commands and the commune report): python -m analytics {demo,boundaries,referral,ingest,rebuild,report,password}.

Every message, help text included, comes from core.i18n in Vietnamese (``--lang en`` or ISPEED_LANG=en for
English). A refusal is one line on stderr and exit status 2; an unexpected failure is one line too (exit 1,
``--debug`` shows the traceback); the store is left as it was either way.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from core import config, i18n
from core.errors import UserError
from core.formats import date_time, month_label, number, percent
from core.i18n import Msg, t
from core.settings import REGISTRY, Setting, Settings, parse_setting
from store.folder import MONTH_RE
from store.placement import reason_words

_MAX_LISTED = 40
_MAX_MOVES = 15
_WRITE_WAIT_SECONDS = 600.0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language(argv)
    i18n.set_default_language(lang)
    parser = _parser(lang)
    args = parser.parse_args(argv)
    try:
        return args.run(args, lang)
    except UserError as exc:
        _fail(t("cli_error", lang, message=exc.text(lang)))
        return 2
    except KeyboardInterrupt:
        _fail(t("cli_interrupted", lang))
        return 130
    except Exception as exc:  # never a traceback for the person at the terminal, unless asked for
        if args.debug:
            raise
        _fail(t("cli_unexpected", lang, kind=type(exc).__name__, detail=_first_line(exc)))
        return 1


def _fail(line: str) -> None:
    print(line.replace("\n", " "), file=sys.stderr)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else ""


def _language(argv: list[str]) -> str:
    for i, item in enumerate(argv):
        if item.startswith("--lang="):
            return "en" if item.split("=", 1)[1].startswith("en") else "vi"
        if item == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1].startswith("en") else "vi"
    return config.cli_language()


# ---- the parser, in the user's language ----------------------------------------------------------------

_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.+)", "cli_arg_required"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", "cli_arg_choice"),
    (r"argument (\S+): expected one argument", "cli_arg_expected"),
    (r"argument (\S+): invalid \S+ value: (.+)", "cli_arg_invalid"),
    (r"unrecognized arguments: (.+)", "cli_arg_unknown"),
    (r"ambiguous option: (\S+) could match (.+)", "cli_arg_ambiguous"),
    (r"argument (\S+): (.+)", "cli_arg_other"),
]


class _Formatter(argparse.HelpFormatter):
    lang = "vi"

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's own signature
        super().add_usage(usage, actions, groups, t("cli_usage", self.lang) + " " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its headings, help and errors in the user's language."""

    def __init__(self, *args, lang: str = "vi", **kwargs) -> None:
        formatter = type("Formatter", (_Formatter,), {"lang": lang})
        super().__init__(*args, add_help=False, formatter_class=formatter, **kwargs)
        self.lang = lang
        self._positionals.title = t("cli_positionals", lang)
        self._optionals.title = t("cli_options", lang)
        self.add_argument("-h", "--help", action="help", help=t("cli_help_help", lang))
        self.add_argument("--lang", choices=["vi", "en"], default=lang, help=t("cli_help_lang", lang))
        self.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    def error(self, message: str):  # noqa: ANN201 - argparse's own signature
        for pattern, key in _ARGPARSE_MESSAGES:
            match = re.fullmatch(pattern, message)
            if match:
                message = t(key, self.lang, **{f"a{i}": g for i, g in enumerate(match.groups(), start=1)})
                break
        self.print_usage(sys.stderr)
        _fail(t("cli_error", self.lang, message=message))
        sys.exit(2)


def _parser(lang: str) -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description=t("cli_description", lang), lang=lang)
    sub = parser.add_subparsers(required=True, metavar="COMMAND", parser_class=_Parser, title=t("cli_commands", lang))

    def command(name: str, run: Callable) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name, help=t(f"cli_{name}_help", lang), description=t(f"cli_{name}_description", lang), lang=lang
        )
        p.set_defaults(run=run)
        return p

    p = command("demo", _demo)
    _store_arg(p, lang)

    p = command("boundaries", _boundaries)
    p.add_argument("file", type=Path, metavar=t("cli_file", lang))
    _store_arg(p, lang)
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN", help=t("cli_help_map", lang))
    p.add_argument("--crs", help=t("cli_help_crs", lang))
    p.add_argument("--replace", action="store_true", help=t("cli_help_replace", lang))
    p.add_argument(
        "--effective-from", metavar="YYYY-MM", type=_month_type(lang), help=t("cli_help_effective_from", lang)
    )
    _wait_arg(p, lang)

    p = command("referral", _referral)
    p.add_argument("file", type=Path, metavar=t("cli_file", lang))
    _store_arg(p, lang)
    _wait_arg(p, lang)

    p = command("ingest", _ingest)
    p.add_argument("files", type=Path, nargs="+", metavar=t("cli_file", lang))
    _store_arg(p, lang)
    _wait_arg(p, lang)

    p = command("rebuild", _rebuild)
    _store_arg(p, lang)
    _wait_arg(p, lang)

    p = command("report", _report)
    _store_arg(p, lang)
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--network", action="append", default=[], help=t("cli_help_network", lang))
    p.add_argument("--carrier", action="append", default=[], help=t("cli_help_carrier", lang))
    p.add_argument("--district", action="append", default=[], help=t("cli_help_district", lang))
    p.add_argument("--format", choices=["csv", "xlsx", "pptx"], required=True, help=t("cli_help_format", lang))
    p.add_argument("--out", type=Path, required=True, help=t("cli_help_out", lang))
    for setting in REGISTRY:
        p.add_argument(
            setting.flag,
            dest=setting.name,
            type=_setting_type(setting, lang),
            default=setting.default,
            metavar=setting.unit.upper() or "N",
            help=t(setting.help, lang) + " " + t("cli_default", lang, value=number(setting.default, 0, lang)),
        )

    p = command("password", _password)
    return parser


def _store_arg(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--store", type=Path, default=config.default_store_path(), help=t("cli_help_store", lang))


def _wait_arg(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--wait",
        type=float,
        default=_WRITE_WAIT_SECONDS,
        metavar="SECONDS",
        help=t("cli_help_wait", lang, seconds=int(_WRITE_WAIT_SECONDS)),
    )


def _setting_type(setting: Setting, lang: str) -> Callable[[str], float | int]:
    def parse(text: str) -> float | int:
        value = parse_setting(setting, text)
        if value is None:
            raise argparse.ArgumentTypeError(
                t(
                    "cli_setting_range",
                    lang,
                    value=text,
                    low=number(setting.minimum, 0, lang),
                    high=number(setting.maximum, 0, lang),
                )
            )
        return value

    parse.__name__ = setting.kind.__name__
    return parse


# ---- commands ---------------------------------------------------------------------------------------


def _waiting(lang: str) -> Callable[[dict], None]:
    def tell(holder: dict) -> None:
        action = holder.get("action")
        print(
            t(
                "cli_waiting",
                lang,
                action=Msg(f"action_{action}") if f"action_{action}" in i18n.TEXT else "?",
                actor=holder.get("actor", "?"),
                since=date_time(holder.get("since", ""), lang),
            ),
            file=sys.stderr,
        )

    return tell


def _demo(args: argparse.Namespace, lang: str) -> int:
    from ingest.demo import build_demo

    store = build_demo(args.store, _demo_progress(lang))
    print(t("cli_demo_done", lang, store=store.root, months=", ".join(store.months())))
    return 0


def _boundaries(args: argparse.Namespace, lang: str) -> int:
    from ingest.boundaries import import_boundaries
    from store.transaction import open_store

    mapping = {}
    for item in args.map:
        if "=" not in item:
            raise UserError("err_map_syntax", item=item)
        field_name, column = item.split("=", 1)
        mapping[field_name.strip()] = column.strip()
    store = open_store(args.store, create=True)
    change = import_boundaries(
        store,
        args.file,
        mapping,
        args.crs,
        args.replace,
        effective_from=args.effective_from,
        wait=args.wait,
        on_wait=_waiting(lang),
    )
    result, frame = change.result, change.result.frame
    print(
        t(
            "cli_boundaries_done",
            lang,
            file=args.file.name,
            communes=number(len(frame), 0, lang),
            provinces=frame["province_code"].nunique(),
            districts=t("cli_districts", lang, n=frame["district_code"].nunique())
            if result.has_districts
            else t("cli_no_districts", lang),
            crs=_crs_name(result.source_crs),
            repaired=result.repaired,
            dropped=len(result.dropped),
        )
    )
    for item in result.dropped:
        print("  " + t("cli_left_out", lang, item=item.render(lang)))
    if not args.replace:
        return 0
    since = change.entry.get("effective_from")
    print(
        "  "
        + (t("cli_effective_from", lang, month=month_label(since, lang)) if since else t("cli_effective_always", lang))
    )
    area = change.entry.get("area_change", {})
    if area.get("changed"):
        print(
            "  "
            + t(
                "cli_area_changed",
                lang,
                after=percent(100 * area["only_after"], 1, lang),
                before=percent(100 * area["only_before"], 1, lang),
                covered=change.entry.get("covered_before", 0),
                communes=len(frame),
            )
        )
    if change.referral is not None:
        ref = change.referral
        lineage = int((ref.table["match_method"] == "lineage").sum())
        print(t("cli_referral_rematched", lang, matched=ref.matched, codes=ref.codes, lineage=lineage))
        _print_problems(ref.problems, lang)
    if change.moves is not None:
        _print_moves(change.moves, lang)
    return 0


def _print_moves(moves, lang: str) -> None:
    print(moves.summary(lang))
    for line in moves.lines(_MAX_MOVES):
        print("  " + line.render(lang))
    if len(moves.pairs) > _MAX_MOVES:
        print("  " + t("cli_more", lang, n=len(moves.pairs) - _MAX_MOVES))


def _print_problems(problems: list, lang: str) -> None:
    for problem in problems[:_MAX_LISTED]:
        print("  " + problem.render(lang))
    if len(problems) > _MAX_LISTED:
        print("  " + t("cli_more", lang, n=len(problems) - _MAX_LISTED))


def _month_type(lang: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not MONTH_RE.match(text.strip()):
            raise argparse.ArgumentTypeError(t("cli_month_syntax", lang, month=text))
        return text.strip()

    parse.__name__ = "month"
    return parse


def _crs_name(crs: str) -> str:
    from pyproj import CRS

    try:
        c = CRS.from_user_input(crs)
        epsg = c.to_epsg()
        return f"EPSG:{epsg}" if epsg else c.name
    except Exception:
        return crs[:40]


def _referral(args: argparse.Namespace, lang: str) -> int:
    from ingest.referral import import_referral
    from store.transaction import open_store

    result = import_referral(open_store(args.store), args.file, wait=args.wait, on_wait=_waiting(lang))
    print(
        t(
            "cli_referral_done",
            lang,
            file=args.file.name,
            codes=result.codes,
            matched=result.matched,
            unmatched=result.codes - result.matched,
            problems=len(result.problems),
        )
    )
    _print_problems(result.problems, lang)
    if result.kept_former:
        print(t("cli_referral_kept_former", lang, n=result.kept_former))
    if result.moves is not None and result.moves.changed:
        _print_moves(result.moves, lang)
    return 0


def _ingest(args: argparse.Namespace, lang: str) -> int:
    from ingest.measurements import ingest_files
    from store.transaction import open_store

    store = open_store(args.store)
    summaries = ingest_files(store, args.files, _progress_printer(lang), wait=args.wait, on_wait=_waiting(lang))
    for s in summaries:
        print(_ingest_line(s, lang))
        for note in s.notes:
            print("  " + t(note["key"], lang, **{k: v for k, v in note.items() if k != "key"}))
        for reason, n in sorted(s.unassigned_reasons.items(), key=lambda item: -item[1]):
            print(t("cli_unassigned_reason", lang, reason=reason_words(reason), n=number(n, 0, lang)))
        if s.rejects_file:
            print("  " + t("cli_rejects_at", lang, path=store.root / s.rejects_file))
    if len(summaries) > 1:
        total = {
            k: sum(getattr(s, k) for s in summaries)
            for k in ("read", "accepted", "rejected", "duplicate", "unassigned")
        }
        print(t("cli_ingest_total", lang, **{k: number(v, 0, lang) for k, v in total.items()}))
    return 0


def _ingest_line(s, lang: str) -> str:
    line = t(
        "cli_ingest_line",
        lang,
        file=Path(s.source).name,
        **{k: number(getattr(s, k), 0, lang) for k in ("read", "accepted", "rejected", "duplicate", "unassigned")},
    )
    if s.already_ingested:
        line += " " + t("cli_already_ingested", lang, batch=s.already_ingested)
    return line


def _rebuild(args: argparse.Namespace, lang: str) -> int:
    from ingest.reassign import rebuild
    from store.transaction import open_store

    moves = rebuild(
        open_store(args.store), wait=args.wait, on_wait=_waiting(lang), progress=_fraction_bar(t("stage_rebuild", lang))
    )
    print(t("cli_rebuild_done", lang, store=args.store))
    if moves.changed:
        _print_moves(moves, lang)
    else:
        print(moves.summary(lang))
    return 0


def _report(args: argparse.Namespace, lang: str) -> int:
    from analytics.report import account_lines, write_report

    report = write_report(
        args.store,
        args.month,
        args.format,
        args.out,
        networks=args.network or None,
        carriers=args.carrier,
        districts=args.district,
        settings=Settings(**{setting.name: getattr(args, setting.name) for setting in REGISTRY}),
        lang=lang,
        progress=_fraction_bar(t("stage_derive", lang)),
        on_wait=_waiting(lang),
    )
    print(t("cli_report_done", lang, out=report.path))
    print(t("account_title", lang) + ":")
    for line in account_lines(report.account, lang):
        print(line)
    return 0


def _password(args: argparse.Namespace, lang: str) -> int:
    import getpass

    from core.passwords import hash_password

    first = getpass.getpass(t("cli_password_prompt", lang))
    second = getpass.getpass(t("cli_password_again", lang))
    if first != second:
        raise UserError("err_password_mismatch")
    if len(first) < 10:
        raise UserError("err_password_short", n=10)
    print(hash_password(first))
    print(t("cli_password_where", lang), file=sys.stderr)
    return 0


def _progress_printer(lang: str) -> Callable[[str, float], None]:
    """A tqdm bar per stage on a terminal; silent otherwise."""
    bars: dict[str, Callable[[float], None]] = {}

    def update(stage: str, fraction: float) -> None:
        if stage not in bars:
            bars[stage] = _fraction_bar(t(f"stage_{stage}", lang))
        bars[stage](fraction)

    return update


def _demo_progress(lang: str) -> Callable[[float, str], None]:
    update = _fraction_bar(t("building_demo_short", lang))
    return lambda fraction, _stage: update(fraction)


def _fraction_bar(label: str) -> Callable[[float], None]:
    """A tqdm bar in percent on a terminal's stderr (silent elsewhere), drawn from the first call on."""
    from tqdm import tqdm

    bars: list[tqdm] = []

    def update(fraction: float) -> None:
        if not bars:
            bars.append(tqdm(total=100, desc=label, unit="%", leave=False, disable=None, file=sys.stderr))
        bars[0].n = int(fraction * 100)
        bars[0].refresh()
        if fraction >= 1.0:
            bars[0].close()

    return update
