"""``vfa reliability``, ``vfa agreement``, ``vfa assign``, ``vfa assignments``,
``vfa reliability-report``, ``vfa certification`` and ``vfa criterion``: coder agreement
from CSV files and from the workspace's blind double coding."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from vfa.cli.common import (
    Add,
    Group,
    add_force,
    emit,
    emit_rows,
    load_scheme,
    open_workspace,
    scheme_library,
)
from vfa.cli.types import count, finite, fraction, milliseconds, positive_ms, seed
from vfa.errors import InvalidInputError

if TYPE_CHECKING:
    from vfa.domain.event_results import EventsAgreement
    from vfa.domain.ratings_agreement import RatingsAgreement


def _fmt(value: Any) -> str:
    from vfa.reports.statistic_text import statistic_text

    return statistic_text(value)


def _ratings_text(report: RatingsAgreement) -> str:
    from vfa.domain.rating_statistics import statistics

    shown = statistics("cli")
    widths = [max(6, len(s.column)) for s in shown]
    lines = [f"coders: {', '.join(report.coders)}"]
    head = " ".join(f"{s.column:>{w}}" for s, w in zip(shown, widths, strict=True))
    lines.append(f"{'item':<32} {'n':>4} {head}")
    for item in report.rows():
        values = " ".join(
            f"{_fmt(item.get(s.key).value):>{w}}" for s, w in zip(shown, widths, strict=True)
        )
        lines.append(f"{item.item:<32} {item.n_units:>4} {values}")
    return "\n".join(lines)


def _events_text(report: EventsAgreement) -> str:
    from vfa.reports.statistic_text import event_statistic

    t, e = report.time_unit, report.event
    return "\n".join(
        [
            f"time units ({t.unit_ms} ms): {t.n_units} units, agreement "
            f"{event_statistic(t, t.percent_agreement)}, kappa {event_statistic(t, t.kappa)} "
            f"(max {event_statistic(t, t.kappa_max)})",
            f"events: {e.n_tallies} tallies, {e.matched} matched, agreement "
            f"{event_statistic(e, e.percent_agreement)}, kappa {event_statistic(e, e.kappa)} "
            f"(max {event_statistic(e, e.kappa_max)})",
        ]
    )


def cmd_reliability(args: argparse.Namespace) -> int:
    from vfa.services.reliability import ratings_report

    scheme = load_scheme(args, args.scheme) if args.scheme else None
    special = _names(args.special) if args.special is not None else None
    report = ratings_report(args.ratings, scheme, args.reference, special)
    emit(args, report.as_dict(), lambda _data: _ratings_text(report))
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from vfa.services.reliability import events_report

    overlap = args.overlap if args.overlap is not None else 0.6
    report = events_report(args.events, args.unit_ms, overlap, args.tolerance_ms)
    emit(args, report.as_dict(), lambda _data: _events_text(report))
    return 0


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInputError(f"--clips: {text!r} is not a list of clip ids (1,2,3)") from None


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",")]


def cmd_assign(args: argparse.Namespace) -> int:
    from vfa.services.assignments import assign, assign_share

    with open_workspace(args) as ws:
        coders = _names(args.coders)
        blind = not args.not_blind
        find = scheme_library(args).get
        if args.clips is not None:
            runs = assign(
                ws, _ids(args.clips), args.scheme, coders, blind=blind, by=args.by, find_scheme=find
            )
            clips = list(dict.fromkeys(r.clip_id for r in runs))
        else:
            clips = assign_share(
                ws,
                args.scheme,
                coders,
                every=args.every,
                fraction=args.share,
                seed=args.seed,
                blind=blind,
                by=args.by,
                find_scheme=find,
            )
    data = {"scheme": args.scheme, "coders": coders, "blind": blind, "clips": clips}
    emit(
        args,
        data,
        lambda d: (
            f"{len(d['clips'])} clip(s) assigned to {', '.join(d['coders'])}"
            + (" (blind)" if d["blind"] else "")
            + (f": {', '.join(map(str, d['clips']))}" if d["clips"] else "")
        ),
    )
    return 0


def cmd_assignments(args: argparse.Namespace) -> int:
    from vfa.services.assignments import assignments

    with open_workspace(args) as ws:
        found = assignments(ws, coder=args.coder, scheme=args.scheme)
    data = [
        {
            "run_id": a.run_id,
            "clip_id": a.clip_id,
            "clip": a.clip_name,
            "case": a.case,
            "session": a.session,
            "scheme": a.scheme_id,
            "coder": a.coder,
            "status": a.status.value,
            "blind": a.blind,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
        }
        for a in found
    ]
    emit_rows(
        args,
        data,
        lambda r: (
            f"{r['run_id']:>5}  clip {r['clip_id']:>4}  {r['scheme']:<12} {r['coder']:<16} "
            f"{r['status']:<12}{' blind' if r['blind'] else ''}"
        ),
        "no assignments",
    )
    return 0


def cmd_reliability_report(args: argparse.Namespace) -> int:
    from vfa.outputs import check_target
    from vfa.services.reliability_report import REPORT_SUFFIXES, build_report, write_report
    from vfa.services.viewer import current_viewer

    out = args.output  # refused before any work: a link, a device, an existing file
    check_target(out, force=args.force, suffixes=REPORT_SUFFIXES)
    coders = tuple(_names(args.coders)) if args.coders else None
    if coders is not None and len(coders) != 2:
        raise InvalidInputError("--coders: name exactly two coders for event agreement")
    with open_workspace(args) as ws:
        result = build_report(
            ws,
            args.scheme,
            current_viewer(),
            reference=args.reference,
            coders=(coders[0], coders[1]) if coders else None,
            unit_ms=args.unit_ms,
            overlap=args.overlap,
            tolerance_ms=args.tolerance_ms,
            title=args.title,
            find_scheme=scheme_library(args).get,
        )
    written = write_report(result, out, force=args.force)
    data = {
        "path": str(written),
        "clips": list(result.clips),
        "pending": result.pending,
    }
    emit(args, data, lambda d: f"{len(d['clips'])} clip(s) -> {d['path']}")
    return 0


def cmd_certification(args: argparse.Namespace) -> int:
    from vfa.services.certification import track

    with open_workspace(args) as ws:
        result = track(
            ws, args.scheme, args.coder, args.reference, find_scheme=scheme_library(args).get
        )
    data = result.as_dict()

    def text(d: dict[str, Any]) -> str:
        c = d["criterion"]
        lines = [
            f"{d['coder']} against {d['reference']} on {d['scheme']}: {d['status']}",
            f"criterion: {c['statistic']} >= {c['threshold']} over {c['window']} clips"
            + (f" on {c['item']}" if c["item"] else "")
            + ("" if c["stored"] else " (default)"),
        ]
        lines += [
            f"  {p['date'] or '-':<26} clip {p['clip_id']:>4}  {_fmt(p['value']):>6}  "
            f"rolling {_fmt(p['rolling'])}"
            for p in d["points"]
        ] or ["  no clip coded by both"]
        return "\n".join(lines)

    emit(args, data, text)
    return 0


def cmd_criterion_set(args: argparse.Namespace) -> int:
    from vfa.services.certification import set_criterion

    with open_workspace(args) as ws:
        found = set_criterion(
            ws,
            args.scheme,
            args.statistic,
            args.threshold,
            args.window,
            args.item,
            by=args.by,
            find_scheme=scheme_library(args).get,
        )
    emit(args, found.as_dict(), _criterion_text)
    return 0


def cmd_criterion_show(args: argparse.Namespace) -> int:
    from vfa.services.certification import criterion

    with open_workspace(args) as ws:
        found = criterion(ws, args.scheme)
    emit(args, found.as_dict(), _criterion_text)
    return 0


def _criterion_text(d: dict[str, Any]) -> str:
    text = f"{d['scheme']}: {d['statistic']} >= {d['threshold']} over the last {d['window']} clips"
    if d["item"]:
        text += f" on {d['item']}"
    return text + ("" if d["stored"] else f" (default: {d['note']})")


def _event_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--unit-ms", type=positive_ms, default=1000, metavar="MS", help="time unit (1000)"
    )
    pairing = p.add_mutually_exclusive_group()
    pairing.add_argument(
        "--overlap", type=fraction, metavar="SHARE", help="pair events overlapping this much (0.6)"
    )
    pairing.add_argument(
        "--tolerance-ms",
        type=milliseconds,
        metavar="MS",
        help="pair events by onset within MS instead",
    )


def register(add: Add, group: Group) -> None:
    """Add the reliability subcommands to the ``vfa`` parser."""
    p = add("reliability", cmd_reliability, "coder agreement on ratings from a CSV file")
    p.add_argument("ratings", metavar="RATINGS.csv", help="rows unit,coder,item,value")
    p.add_argument("--scheme", metavar="ID", help="a scheme id or file: checks values, adds total")
    p.add_argument("--reference", metavar="CODER", help="the coder others are correlated with")
    p.add_argument(
        "--special",
        metavar="NOB,NA",
        help="without --scheme: the words taken as special codes (missing values); "
        "default NOB, any other word is refused",
    )

    p = add("agreement", cmd_agreement, "coder agreement on timed events from a CSV file")
    p.add_argument(
        "events", metavar="EVENTS.csv", help="rows unit,coder,code,start_ms,end_ms,duration_ms"
    )
    _event_options(p)

    p = add("assign", cmd_assign, "assign clips to coders for (blind) double coding")
    p.add_argument("--scheme", required=True, metavar="ID", help="a scheme id, e.g. kips")
    p.add_argument("--coders", required=True, metavar="A,B", help="coder names, comma-separated")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--clips", metavar="1,2,3", help="these clip ids")
    which.add_argument("--every", type=count, metavar="N", help="every N-th clip in the catalogue")
    which.add_argument(
        "--share", type=fraction, metavar="FRACTION", help="a random share, e.g. 0.2"
    )
    p.add_argument("--seed", type=seed, metavar="N", help="the random share's seed")
    p.add_argument("--not-blind", action="store_true", help="coders may see each other's coding")
    p.add_argument("--by", metavar="NAME", help="who assigns (for the audit trail)")

    p = add("assignments", cmd_assignments, "coding runs with their status and blind flag")
    p.add_argument("--coder", metavar="NAME")
    p.add_argument("--scheme", metavar="ID")

    p = add(
        "reliability-report",
        cmd_reliability_report,
        "agreement on the workspace's double-coded clips as a PDF or CSV report",
    )
    p.add_argument("--scheme", required=True, metavar="ID")
    p.add_argument("--reference", metavar="CODER", help="the coder others are correlated with")
    p.add_argument("--coders", metavar="A,B", help="the two coders compared on timed events")
    p.add_argument("--title", help="the report's title")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf|OUT.csv")
    add_force(p)
    _event_options(p)

    p = add("certification", cmd_certification, "a coder's agreement with a reference over time")
    p.add_argument("--scheme", required=True, metavar="ID")
    p.add_argument("--coder", required=True, metavar="NAME")
    p.add_argument("--reference", required=True, metavar="NAME")

    crit = group("criterion", "a scheme's reliability criterion for certification")
    crit_sub = crit.add_subparsers(dest="criterion_command", metavar="ACTION", required=True)
    p = add("set", cmd_criterion_set, "store the scheme's criterion", crit_sub)
    p.add_argument("--scheme", required=True, metavar="ID")
    p.add_argument(
        "--statistic",
        required=True,
        metavar="S",
        help="a statistic's key, e.g. icc_2_1, kappa_quadratic or pearson_r; another is "
        "refused naming every statistic there is",
    )
    p.add_argument("--threshold", required=True, type=finite, metavar="X")
    p.add_argument("--window", type=count, metavar="N", help="clips in the rolling window")
    p.add_argument("--item", metavar="ITEM", help="one item or grid scale (default: all pooled)")
    p.add_argument("--by", metavar="NAME", help="who sets it (for the audit trail)")
    p = add("show", cmd_criterion_show, "the scheme's criterion (stored or default)", crit_sub)
    p.add_argument("--scheme", required=True, metavar="ID")
