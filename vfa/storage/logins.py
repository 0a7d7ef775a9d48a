"""Logins on a PostgreSQL workspace: what makes a login name, and who a connection is.

A person is the ``coder`` row whose ``login`` is the connection's login (the server's
``session_user``). The database's owner (who ran ``vfa team init``) or a superuser is the
server's administrator: not one of the people, and not restricted by the policies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from vfa.errors import InvalidInputError, WorkspaceError

GROUP_ROLES = ("vfa_admin", "vfa_supervisor", "vfa_coder", "vfa_therapist")

# a login as libpq and a shell take it without quoting: lowercase letters, digits, _ . -
_LOGIN = re.compile(r"[a-z_][a-z0-9_.\-]*")
_RESERVED = frozenset({"public", "none", "current_user", "session_user", "current_role", "all"})


@dataclass(frozen=True)
class Identity:
    """Who a connection to a PostgreSQL workspace is."""

    login: str
    person: str | None  # the person whose login it is, or None
    team: bool  # whether the workspace's tables have row-level security (vfa team init)
    administrator: bool  # a superuser or the tables' owner: the policies do not apply


def check_login_name(login: str) -> str:
    """The login, or InvalidInputError saying why it is not a login VFA will create."""
    where = f"login {login!r}"
    if not login:
        raise InvalidInputError("login: give a login name (--login)")
    if len(login.encode("utf-8")) > 63:
        raise InvalidInputError(f"{where}: a login has at most 63 characters")
    if not _LOGIN.fullmatch(login):
        raise InvalidInputError(
            f"{where}: a login is lowercase letters, digits, _ . and -, and begins with a "
            "letter or _ (give one with --login)"
        )
    if login.startswith("pg_"):
        raise InvalidInputError(f"{where}: names beginning pg_ are the server's own")
    if login in _RESERVED or login in GROUP_ROLES:
        raise InvalidInputError(f"{where}: the name is reserved on the server")
    return login


def default_login(name: str) -> str:
    """The login a person gets when none is given: the name in lowercase, spaces as _."""
    return "_".join(name.strip().lower().split())


def identify(conn: Connection) -> Identity:
    """The login of a connection to a PostgreSQL workspace and the person it is."""
    row = conn.execute(
        text(
            "SELECT session_user, c.relrowsecurity, "
            "r.rolsuper OR r.rolbypassrls OR pg_has_role(session_user, c.relowner, 'USAGE'), "
            "has_table_privilege(c.oid, 'SELECT') "
            "FROM pg_class c, pg_roles r "
            "WHERE c.oid = to_regclass('coder') AND r.rolname = session_user"
        )
    ).first()
    if row is None:  # no coder table yet (an empty database)
        login = str(conn.execute(text("SELECT session_user")).scalar_one())
        return Identity(login, None, False, True)
    login, team, administrator, readable = str(row[0]), bool(row[1]), bool(row[2]), bool(row[3])
    person = None
    if readable:
        person = conn.execute(
            text("SELECT name FROM coder WHERE login = :login"), {"login": login}
        ).scalar()
    return Identity(login, person, team, administrator)


def not_a_person(where: str, login: str) -> WorkspaceError:
    """The refusal of a login that is none of a team workspace's people."""
    return WorkspaceError(
        f"{where}: you are connected as {login}, who is not one of this workspace's people: "
        f"ask an admin to run `vfa team add NAME --role ROLE --login {login} "
        f"--workspace URL`; nothing was read or changed"
    )
