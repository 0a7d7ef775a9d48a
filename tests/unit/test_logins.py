"""Login names VFA makes on a team workspace's server, who the open team workspace says
the person is, and what a server's refusal or a failed connection tells a person."""

from __future__ import annotations

import gc
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vfa.errors import InvalidInputError
from vfa.storage import signed_in
from vfa.storage.logins import GROUP_ROLES, check_login_name, default_login
from vfa.storage.pg_errors import connection_advice, refusal_text, server_text

GRAMMAR = re.compile(r"[a-z_][a-z0-9_.\-]{0,62}")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_a_login_is_taken_as_given_or_refused_with_the_login_named(text):
    try:
        login = check_login_name(text)
    except InvalidInputError as exc:
        assert str(exc).startswith(("login: give", f"login {text!r}:"))
        return
    assert login == text
    assert GRAMMAR.fullmatch(login) and len(login.encode()) <= 63
    assert not login.startswith("pg_") and login not in GROUP_ROLES


@settings(max_examples=200, deadline=None)
@given(st.from_regex(GRAMMAR, fullmatch=True))
def test_every_login_of_the_grammar_is_taken_unless_the_server_reserves_it(login):
    reserved = login.startswith("pg_") or login in GROUP_ROLES
    reserved |= login in {"public", "none", "all", "current_user", "session_user", "current_role"}
    if reserved:
        with pytest.raises(InvalidInputError, match="server"):
            check_login_name(login)
    else:
        assert check_login_name(login) == login


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="ascii"), max_size=40))
def test_the_default_login_is_the_name_lowercased_with_underscores(name):
    login = default_login(name)
    assert login == login.lower() and " " not in login and login.strip() == login
    assert default_login(login) == login  # a login given as a name keeps itself


@pytest.mark.parametrize(
    "login",
    ["Ann", "ann smith", "ann;drop", '"ann"', "1ann", "ann$", "ann\n", "é", "x" * 64, "pg_x"],
)
def test_logins_that_need_quoting_or_are_the_servers_are_refused(login):
    with pytest.raises(InvalidInputError, match=re.escape(f"login {login!r}")):
        check_login_name(login)


def test_the_person_is_the_one_the_newest_open_team_workspace_logged_in_as():
    class Ws:  # what signs in: any object that lives while the workspace is open
        pass

    first, second = Ws(), Ws()
    before = signed_in.signed_in()
    signed_in.sign_in(first, "Ann")
    assert signed_in.signed_in() == "Ann"
    signed_in.sign_in(second, "Sue")
    assert signed_in.signed_in() == "Sue"
    signed_in.sign_out(second)
    assert signed_in.signed_in() == "Ann"
    del first  # a workspace that was never closed speaks no more once it is gone
    gc.collect()
    assert signed_in.signed_in() == before


@pytest.mark.parametrize(
    ("said", "advice"),
    [
        ('connection failed: FATAL:  role "ann" does not exist', "the server has no login ann"),
        ('FATAL:  database "vfa" does not exist', "no such database"),
        ("fe_sendauth: no password supplied", "~/.pgpass"),
        ('FATAL:  password authentication failed for user "ann"', "did not accept ann"),
        ('FATAL:  Peer authentication failed for user "ann"', "operating-system user"),
        (
            'connection to server on socket "/x/.s.PGSQL.1" failed: No such file or directory',
            "cannot be reached",
        ),
        ('connection to server at "127.0.0.1", port 1 failed: Connection refused', "reached"),
        ('FATAL:  role "ann" is not permitted to log in', "the login ann, but it may not log in"),
        ('FATAL:  permission denied for database "vfa"', "ann may not connect to this database"),
    ],
)
def test_a_failed_connection_says_what_to_do(said, advice):
    assert advice in connection_advice(said, "ann")


def test_a_refusal_says_nothing_was_changed_and_an_upgrade_is_the_owners():
    assert "nothing was changed" in refusal_text('permission denied for table "coder"')
    upgrade = refusal_text("must be owner of table clip")
    assert "vfa team init" in upgrade and "owner" in upgrade


@pytest.mark.parametrize(
    ("said", "plain", "table"),
    [
        (
            'new row violates row-level security policy for table "moment"',
            "the server's rules do not let you write this moment",
            "table",
        ),
        ("permission denied for table coder", "your role may not change a person here", "coder"),
        (
            'permission denied for table "case_member"',
            "your role may not change a case's sharing here",
            "case_member",
        ),
        (
            "coding_run 1: it was submitted and is locked",
            "(coding 1: it was submitted",
            "coding_run",
        ),
        ("audit_entry: the audit trail is append-only", "(audit trail: the audit", "audit_entry"),
    ],
)
def test_a_refusal_names_what_was_refused_in_plain_words_not_the_servers_tables(said, plain, table):
    text = refusal_text(said)
    assert plain in text and "nothing was changed" in text
    assert table not in text


def test_the_servers_words_are_one_line():
    class Said(Exception):
        pass

    assert server_text(Said("ERROR:  x\n\tHINT:  y\n")) == "ERROR:  x; HINT:  y"
