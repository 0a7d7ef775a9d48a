"""What a PostgreSQL server's refusals mean to a person, and what they can do about them.

A team workspace's server enforces the roles (``vfa team init``): an act the login's role
does not allow fails there, and a login that cannot connect fails before anything is
read. Both become messages that name the server (never a password) and say what to do.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import ExceptionContext

from vfa.errors import RefusedByServerError, WorkspaceError

INSUFFICIENT_PRIVILEGE = "42501"
UNDEFINED_OBJECT = "42704"

LOGIN_MEANS = (
    "VFA stores no passwords: libpq finds yours in ~/.pgpass (or PGPASSFILE), a service "
    "file (PGSERVICE), or logs you in as your operating-system user"
)


def server_text(exc: BaseException) -> str:
    """The server's own words, on one line, without libpq's tabs and hints."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "; ".join(lines) or type(exc).__name__


def connection_advice(text: str, login: str | None) -> str:
    """What to do when a connection to the server failed with ``text``."""
    lowered = text.lower()
    who = login or "your login"
    if "role" in lowered and "does not exist" in lowered:
        return (
            f"the server has no login {who}: ask the workspace's admin to add you "
            f"(vfa team add NAME --role ROLE --login {who})"
        )
    if "database" in lowered and "does not exist" in lowered:
        return "the server has no such database: check the database name in the URL"
    if any(
        word in lowered
        for word in ("password", "authentication failed", "no pg_hba.conf", "peer auth")
    ):
        return f"the server did not accept {who}. {LOGIN_MEANS}"
    if "not permitted to log in" in lowered:
        return (
            f"the server has the login {who}, but it may not log in: ask the server's "
            "administrator to let it log in"
        )
    if "permission denied for database" in lowered:
        return f"{who} may not connect to this database: ask the server's administrator"
    return (
        "the server cannot be reached: check that it is running and that this computer "
        "can reach it (the host and port in the URL), or ask whoever runs it"
    )


# what each table holds, in a clinician's words (the server names its tables)
_TABLE_WORDS = {
    "annotation": "event",
    "rating": "rating",
    "moment": "moment",
    "coding_run": "coding",
    "coder": "person",
    "case": "case",
    "case_member": "case's sharing",
    "session": "visit",
    "clip": "clip",
    "consent_record": "consent",
    "audit_entry": "audit trail",
    "workspace_info": "workspace setting",
    "reliability_criterion": "reliability criterion",
    "scheme": "coding scheme",
}
_TABLE = "|".join(sorted(_TABLE_WORDS, key=len, reverse=True))


def plain_words(text: str) -> str:
    """The server's words with its table names said as what they hold."""

    def word(match: re.Match[str]) -> str:
        return _TABLE_WORDS[match.group(1)]

    text = re.sub(
        rf'new row violates row-level security policy for table "({_TABLE})"',
        lambda m: f"the server's rules do not let you write this {word(m)}",
        text,
    )
    text = re.sub(
        rf'permission denied for table "?({_TABLE})"?',
        lambda m: f"your role may not change a {word(m)} here",
        text,
    )
    return re.sub(rf"(?<![\w\"])({_TABLE})(?= \d|:)", word, text)


def refusal_text(text: str) -> str:
    """A refusal of the server (SQLSTATE 42501) said for a person."""
    if "must be owner of" in text:
        return (
            f"only the workspace's owner may change its tables ({text}); an upgrade of a "
            "team workspace is made by its owner with `vfa team init URL`; nothing was changed"
        )
    return (
        f"the server refused this ({plain_words(text)}): on this team workspace your role does not "
        "allow it (each person changes only their own coding; ask an admin if your role "
        "should allow it); nothing was changed"
    )


def translate(label: str, context: ExceptionContext) -> Exception | None:
    """Refusals of a team workspace's server become errors that say what happened."""
    original = context.original_exception
    state = getattr(original, "sqlstate", None)
    if state == INSUFFICIENT_PRIVILEGE:
        return RefusedByServerError(f"{label}: {refusal_text(server_text(original))}")
    if state == UNDEFINED_OBJECT and "the server has no login" in str(original):
        return WorkspaceError(f"{label}: {server_text(original)}")
    return None
