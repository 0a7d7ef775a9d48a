"""A stale edit's refusal as the window says it: who changed what the user was changing,
and when, in their own clock's time, naming the rating by its item as the form shows it,
never a coding's id or an item's key (``vfa.services.versions`` keeps those for the
command line)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from vfa.domain.schemes import Scheme
from vfa.errors import StaleEditError, VfaError
from vfa.services.rating_keys import GRID_SEP


def stale_text(
    error: StaleEditError, scheme: Scheme | None, undo: bool = False, now: dt.datetime | None = None
) -> str:
    """What the message bar says about ``error`` (an undo or redo refused when ``undo``)."""
    what = thing(error.key, scheme)
    if error.by is None or error.at is None:
        said = (
            QCoreApplication.translate(
                "StaleEdit", "Someone else deleted {0} after this window showed it"
            )
            if error.gone
            else QCoreApplication.translate(
                "StaleEdit", "Someone else changed {0} after this window showed it"
            )
        ).format(what)
    elif error.yours:
        said = (
            QCoreApplication.translate(
                "StaleEdit",
                "You deleted {0} at {1} elsewhere (in another window or with a command), "
                "after this window showed it",
            )
            if error.gone
            else QCoreApplication.translate(
                "StaleEdit",
                "You changed {0} at {1} elsewhere (in another window or with a command), "
                "after this window showed it",
            )
        ).format(what, clock(error.at, now))
    else:
        said = (
            QCoreApplication.translate(
                "StaleEdit", "{0} deleted {1} at {2}, after this window showed it"
            )
            if error.gone
            else QCoreApplication.translate(
                "StaleEdit", "{0} changed {1} at {2}, after this window showed it"
            )
        ).format(error.by, what, clock(error.at, now))
    kept = (
        QCoreApplication.translate("StaleEdit", "your undo or redo was not made.")
        if undo
        else QCoreApplication.translate("StaleEdit", "your change was not stored.")
    )
    shown = QCoreApplication.translate(
        "StaleEdit", "The window shows it as it is now: look, then make your change again."
    )
    return f"{said}: {kept} {shown}"


def thing(key: tuple[object, ...], scheme: Scheme | None) -> str:
    """What a stale edit was about, as the window names it."""
    kind = key[0] if key else ""
    if kind == "rating" and len(key) > 2 and scheme is not None:
        item = str(key[2])
        try:
            if GRID_SEP in item:
                grid_id, row_id, member_id = item.split(GRID_SEP)[:3]
                grid = scheme.grid(grid_id)
                row = next((r.name for r in grid.rows if r.id == row_id), row_id)
                return QCoreApplication.translate(
                    "StaleEdit", "the row “{0}” of {1} in “{2}”"
                ).format(row, grid.member(member_id).name, grid.name)
            return QCoreApplication.translate("StaleEdit", "the rating of “{0}”").format(
                scheme.item(item).name
            )
        except VfaError:  # (another scheme's key: named as a rating)
            pass
    if kind == "rating":
        return QCoreApplication.translate("StaleEdit", "this rating")
    if kind == "event":
        return QCoreApplication.translate("StaleEdit", "this event")
    if kind == "moment":
        return QCoreApplication.translate("StaleEdit", "this moment")
    if kind == "reel":
        return QCoreApplication.translate("StaleEdit", "this session's reel")
    return QCoreApplication.translate("StaleEdit", "what you changed")


def clock(at: dt.datetime, now: dt.datetime | None = None) -> str:
    """A stored time (UTC) on the reader's clock: the time today, else the day too."""
    if at.tzinfo is None:  # (SQLite keeps no zone: VFA stores UTC)
        at = at.replace(tzinfo=dt.UTC)
    local = at.astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    return f"{local:%H:%M:%S}" if local.date() == today else f"{local:%Y-%m-%d %H:%M:%S}"
