"""``vfa people`` (list, add, role) and ``vfa case`` (share, unshare, members): a
workspace's people, their roles, and the therapists a case is shared with."""

from __future__ import annotations

import argparse

from vfa.cli.common import Add, Group, emit, emit_rows, open_workspace


def cmd_people_list(args: argparse.Namespace) -> int:
    from vfa.services.permissions import roster

    with open_workspace(args, read_only=True) as ws:
        found = roster(ws)
    rows = [{"name": p.name, "role": p.role.value, "login": p.login} for p in found.people]
    emit_rows(args, rows, lambda r: f"{r['name']}\t{r['role']}", "no people yet")
    if not found.managed and not getattr(args, "json", False):
        print(
            "(a personal workspace: roles are not checked until an admin is added, "
            "with vfa people add NAME --role admin)"
        )
    return 0


def cmd_people_add(args: argparse.Namespace) -> int:
    from vfa.services.people import add_person, with_article

    with open_workspace(args) as ws:
        person = add_person(ws, args.name, args.role)
    emit(
        args,
        {"name": person.name, "role": person.role.value, "login": person.login},
        lambda d: f"{d['name']} is {with_article(d['role'])}",
    )
    return 0


def cmd_people_role(args: argparse.Namespace) -> int:
    from vfa.services.people import set_role, with_article

    with open_workspace(args) as ws:
        person = set_role(ws, args.name, args.role)
    emit(
        args,
        {"name": person.name, "role": person.role.value, "login": person.login},
        lambda d: f"{d['name']} is {with_article(d['role'])} now",
    )
    return 0


def _sharing_text(data: dict[str, object]) -> str:
    members = data["members"]
    assert isinstance(members, list)
    if not members:
        return f"case {data['case']} is shared with nobody: open to every therapist"
    return f"case {data['case']} is shared with {', '.join(members)}"


def cmd_case_share(args: argparse.Namespace) -> int:
    from vfa.services.case_sharing import share_case

    with open_workspace(args) as ws:
        done = share_case(ws, args.code, args.person)
    emit(args, {"case": done.case, "members": list(done.members)}, _sharing_text)
    return 0


def cmd_case_unshare(args: argparse.Namespace) -> int:
    from vfa.services.case_sharing import unshare_case

    with open_workspace(args) as ws:
        done = unshare_case(ws, args.code, args.person)
    emit(args, {"case": done.case, "members": list(done.members)}, _sharing_text)
    return 0


def cmd_case_members(args: argparse.Namespace) -> int:
    from vfa.services.case_sharing import case_members

    with open_workspace(args, read_only=True) as ws:
        done = case_members(ws, args.code)
    emit(args, {"case": done.case, "members": list(done.members)}, _sharing_text)
    return 0


def register(add: Add, group: Group) -> None:
    """Add ``vfa people list|add|role`` and ``vfa case share|unshare|members``."""
    roles = "therapist, coder, supervisor or admin"
    people = group("people", "a workspace's people and their roles")
    people_sub = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)
    add("list", cmd_people_list, "the people, with their roles", people_sub)
    p = add(
        "add",
        cmd_people_add,
        "add a person with a role (an admin's act; the first admin makes roles count)",
        people_sub,
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, metavar="ROLE", help=roles)
    p = add("role", cmd_people_role, "change a person's role (an admin's act)", people_sub)
    p.add_argument("name", metavar="NAME")
    p.add_argument("role", metavar="ROLE", help=roles)

    case = group("case", "share a case with therapists (a case shared with nobody is open)")
    case_sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    for name, func, help_ in (
        ("share", cmd_case_share, "let a therapist see the case"),
        ("unshare", cmd_case_unshare, "stop sharing the case with a therapist"),
    ):
        p = add(name, func, help_, case_sub)
        p.add_argument("code", metavar="CODE", help="the case code")
        p.add_argument("person", metavar="NAME", help="the therapist")
    p = add("members", cmd_case_members, "the therapists the case is shared with", case_sub)
    p.add_argument("code", metavar="CODE", help="the case code")
