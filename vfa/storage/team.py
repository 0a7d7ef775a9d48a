"""Team workspaces on PostgreSQL: group roles, grants and row-level security.

``init_team(url)`` sets up (or upgrades) a team workspace: the schema through the usual
migration path, the group roles ``vfa_admin``, ``vfa_supervisor``, ``vfa_coder`` and
``vfa_therapist``, each table's grants, and the policies that hold the services' rules on
the server (``team_sql``). It is re-runnable, and must be re-run by the workspace's owner
after VFA is upgraded.

Who a connection is (the person whose login it is) is found when a PostgreSQL
workspace opens (``vfa.storage.logins``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from vfa.errors import InvalidInputError, RefusedByServerError, WorkspaceError
from vfa.storage import team_sql
from vfa.storage.models import Base
from vfa.storage.pg_errors import server_text
from vfa.storage.workspace import open_workspace

GROUPS = team_sql.GROUPS


# -- setting up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamSetup:
    """What ``init_team`` did."""

    workspace: str  # where, without a password
    name: str
    groups: tuple[str, ...]
    tables: int
    policies: int


def init_team(url: str) -> TeamSetup:
    """Make (or bring up to date) a team workspace at a PostgreSQL URL: schema, group
    roles, grants, policies. Re-runnable; run it again after upgrading VFA."""
    if not url.lower().startswith("postgresql"):
        raise InvalidInputError(
            f"{url}: a team workspace is a PostgreSQL database (postgresql+psycopg://…); a "
            "workspace file has no logins, so roles there are advisory"
        )
    ws = open_workspace(url, create=True)
    try:
        create_groups(ws.engine, ws.label)
        with ws.engine.begin() as conn:
            policies = apply_policies(conn, ws.label)
        return TeamSetup(ws.label, ws.name, tuple(GROUPS.values()), len(team_sql.GRANTS), policies)
    finally:
        ws.close()


def create_groups(engine: Engine, where: str) -> None:
    """The four group roles, made when missing (roles are shared by a server's databases,
    so another workspace's set-up may be making them at the same moment: tried again)."""
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                _script(conn, team_sql.CREATE_GROUPS)
            return
        except Exception as exc:
            if not _from_server(exc):
                raise
            state = getattr(getattr(exc, "orig", exc), "sqlstate", None)
            if state == "XX000" and attempt < 2:
                time.sleep(0.1)  # "tuple concurrently updated": another set-up's roles
                continue
            raise _setup_error(where, exc) from exc


def apply_policies(conn: Connection, where: str) -> int:
    """Grants, functions, row-level security, policies and triggers, in the caller's
    transaction; the number of policies."""
    try:
        schema = conn.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
        conn.exec_driver_sql(f"SET LOCAL search_path TO {schema}, pg_temp")
        groups = ", ".join(GROUPS.values())
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {groups}")
        # people connect even where the database is closed to PUBLIC, as servers often are
        database = conn.exec_driver_sql("SELECT quote_ident(current_database())").scalar_one()
        conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {groups}")
        _script(conn, team_sql.FUNCTIONS)
        for helper in (*team_sql.HELPERS, "vfa_create_login(text)"):
            conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {helper} FROM PUBLIC")
            conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {helper} TO {groups}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {groups}")
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {groups}")
        count = 0
        for table, grants in team_sql.GRANTS.items():
            quoted = _quoted(table)
            conn.exec_driver_sql(f"REVOKE ALL ON {quoted} FROM PUBLIC, {groups}")
            for privilege, roles in grants.items():
                verb, _, columns = privilege.partition(" ")
                if verb == "UPDATE" and not columns and table in team_sql.FIXED_COLUMNS:
                    columns = _updatable(table)
                to = ", ".join(GROUPS[r] for r in roles)
                conn.exec_driver_sql(f"GRANT {verb} {columns} ON {quoted} TO {to}")
            if table in team_sql.NO_POLICIES:
                conn.exec_driver_sql(f"GRANT SELECT ON {quoted} TO PUBLIC")
                continue
            _drop_policies(conn, table)
            conn.exec_driver_sql(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
            for policy in team_sql.POLICIES[quoted]:
                conn.exec_driver_sql(policy)
                count += 1
        for trigger in team_sql.TRIGGERS:
            conn.exec_driver_sql(trigger)
    except Exception as exc:
        if not _from_server(exc):
            raise
        raise _setup_error(where, exc) from exc
    return count


def _script(conn: Connection, sql: str) -> None:
    """Run SQL as written, with no parameters (so its ``%I`` formats reach the server)."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def _updatable(table: str) -> str:
    """``(col, ...)``: the table's columns that UPDATE may set (all but the fixed ones)."""
    fixed = team_sql.FIXED_COLUMNS[table]
    names = [c.name for c in Base.metadata.tables[table].columns if c.name not in fixed]
    return "(" + ", ".join(f'"{n}"' for n in names) + ")"


def _quoted(table: str) -> str:
    return f'"{table}"' if table == "case" else table


def _drop_policies(conn: Connection, table: str) -> None:
    """Every policy on the table, VFA's of an older version included."""
    names = conn.execute(
        text(
            "SELECT policyname FROM pg_policies "
            "WHERE schemaname = current_schema() AND tablename = :table"
        ),
        {"table": table},
    ).scalars()
    for name in list(names):
        conn.exec_driver_sql(f'DROP POLICY "{name}" ON {_quoted(table)}')


def _from_server(exc: Exception) -> bool:
    """Whether the server refused or failed (through SQLAlchemy, or the driver itself)."""
    return isinstance(exc, DBAPIError | RefusedByServerError) or type(exc).__module__.startswith(
        "psycopg"
    )


def _setup_error(where: str, exc: Exception) -> WorkspaceError:
    said = server_text(exc)
    if isinstance(exc, RefusedByServerError) or "permission denied" in said:
        return WorkspaceError(
            f"{where}: the server refused to set up the team workspace ({said}): run "
            "`vfa team init` connected as the database's owner with the right to create "
            "roles (CREATEROLE), or as a superuser; nothing was changed"
        )
    return WorkspaceError(f"{where}: setting up the team workspace failed ({said})")


def model_tables() -> set[str]:
    """The tables of the models (every one needs its grants and policies)."""
    return set(Base.metadata.tables)
