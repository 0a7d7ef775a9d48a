"""``vfa team``: a team workspace on PostgreSQL, and its people's logins."""

from __future__ import annotations

import argparse

from vfa.cli.common import Add, Group, emit, emit_rows, open_workspace
from vfa.errors import InvalidInputError


def cmd_team_init(args: argparse.Namespace) -> int:
    from vfa.storage.team import init_team

    url = args.url or args.workspace
    if not url:
        raise InvalidInputError(
            "team init: give the PostgreSQL URL (vfa team init postgresql+psycopg://…)"
        )
    done = init_team(url)
    data = {
        "workspace": done.workspace,
        "name": done.name,
        "groups": list(done.groups),
        "tables": done.tables,
        "policies": done.policies,
    }
    emit(
        args,
        data,
        lambda d: (
            f"team workspace {d['name']} ready: {d['workspace']}\n"
            f"group roles {', '.join(d['groups'])}; {d['policies']} policies on "
            f"{d['tables']} tables\n"
            "next: vfa team add NAME --role admin --workspace URL (run this again after "
            "upgrading VFA)"
        ),
    )
    return 0


def cmd_team_add(args: argparse.Namespace) -> int:
    from vfa.services.team import add_person_login, team_people

    with open_workspace(args) as ws:
        person = add_person_login(ws, args.name, args.role, args.login)
        (member,) = [m for m in team_people(ws) if m.name == person.name]
    data = {
        "name": person.name,
        "role": person.role.value,
        "login": person.login,
        "can_log_in": member.can_log_in,
    }
    emit(args, data, _added)
    return 0


def _added(d: dict[str, object]) -> str:
    if not d["can_log_in"]:
        return (
            f"{d['name']} ({d['role']}) has the login {d['login']}, but the server does not "
            f"let it log in: the server's administrator allows it (ALTER ROLE "
            f'"{d["login"]}" LOGIN)'
        )
    return (
        f"{d['name']} ({d['role']}) logs in as {d['login']}; no password is stored: they "
        "connect by libpq's usual means (~/.pgpass, a service file, or their system login)"
    )


def cmd_team_list(args: argparse.Namespace) -> int:
    from vfa.services.team import team_people

    with open_workspace(args) as ws:
        rows = [
            {
                "name": m.name,
                "role": m.role,
                "login": m.login,
                "login_exists": m.login_exists,
                "can_log_in": m.can_log_in,
            }
            for m in team_people(ws)
        ]
    emit_rows(args, rows, _line, "no people yet: vfa team add NAME --role admin")
    return 0


def _line(row: dict[str, object]) -> str:
    if row["login"] is None:
        state = "no login"
    elif not row["login_exists"]:
        state = f"login {row['login']} (missing on the server)"
    elif not row["can_log_in"]:
        state = f"login {row['login']} (may not log in)"
    else:
        state = f"login {row['login']}"
    return f"{row['name']}  {row['role']}  {state}"


def register(add: Add, group: Group) -> None:
    """Add ``vfa team init|add|list``."""
    team = group("team", "a team workspace on PostgreSQL: set it up, add people's logins")
    sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    p = add(
        "init",
        cmd_team_init,
        "set up (or, after upgrading VFA, bring up to date) a team workspace: schema, "
        "group roles, grants and row-level security",
        sub,
    )
    p.add_argument(
        "url", nargs="?", metavar="URL", help="the PostgreSQL database (default: --workspace)"
    )
    p = add(
        "add",
        cmd_team_add,
        "add a person with a login of their own (no password: libpq's usual means)",
        sub,
    )
    p.add_argument("name", metavar="NAME", help="the person's name, as VFA shows it")
    p.add_argument("--role", required=True, help="therapist, coder, supervisor or admin")
    p.add_argument(
        "--login", help="their login on the server (default: the name in lowercase, _ for spaces)"
    )
    add("list", cmd_team_list, "the people, their roles and logins", sub)
