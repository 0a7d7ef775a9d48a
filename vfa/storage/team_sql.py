"""The SQL of a team workspace: group roles, table grants, row-level security policies.

Kept as plain SQL so that a database administrator can read what ``vfa team init``
does. Everything here is re-runnable: roles are created when missing, functions are
replaced, every policy and trigger of a VFA table is dropped and made again, and every
grant to the group roles is revoked and given again (so an upgrade that changes them
leaves nothing stale behind).

The rules mirror the services' (``vfa.services.blind``, ``vfa.services.people.ALLOWED``):
who a connection is comes from the ``coder`` row whose ``login`` is the server's
``session_user``. Checks that read other tables run in ``SECURITY DEFINER`` functions
(owned by whoever ran ``vfa team init``), so that no policy reads a table through
another table's policies and none recurses.
"""

from __future__ import annotations

from vfa.storage.team_lock_sql import LOCK_FUNCTIONS, LOCK_HELPERS, LOCK_TRIGGERS
from vfa.storage.team_merge_sql import MERGE_FUNCTIONS, MERGE_HELPERS
from vfa.storage.team_reel_sql import MOMENT_OWN, MOMENT_SEEN, REEL_FUNCTIONS, REEL_TRIGGERS
from vfa.storage.team_trail_sql import TRAIL_FUNCTIONS, TRAIL_TRIGGERS

# the group roles, by VFA role; a person's login is a member of their role's group
GROUPS = {
    "admin": "vfa_admin",
    "supervisor": "vfa_supervisor",
    "coder": "vfa_coder",
    "therapist": "vfa_therapist",
}

_ALL = tuple(GROUPS)
_CLINICAL = ("admin", "supervisor", "therapist")
_LEADS = ("admin", "supervisor")
_ADMIN = ("admin",)

# table -> privilege (optionally on some columns) -> the roles that hold it; every VFA
# table is listed (a test checks that against the models)
GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "case": {"SELECT": _ALL, "INSERT": _CLINICAL, "UPDATE": _CLINICAL, "DELETE": _CLINICAL},
    "session": {"SELECT": _ALL, "INSERT": _CLINICAL, "UPDATE": _CLINICAL, "DELETE": _CLINICAL},
    "clip": {
        "SELECT": _ALL,
        "INSERT": _CLINICAL,
        "UPDATE": _CLINICAL,
        "DELETE": _CLINICAL,
        # anyone whose window or check hashes a clip stores the missing hash
        "UPDATE (content_hash, file_mtime_ns)": ("coder",),
    },
    "coder": {"SELECT": _ALL, "INSERT": _ADMIN, "UPDATE": _ADMIN, "DELETE": _ADMIN},
    "case_member": {"SELECT": _ALL, "INSERT": _CLINICAL, "DELETE": _CLINICAL},
    "scheme": {"SELECT": _ALL, "INSERT": _ALL, "UPDATE": _ADMIN, "DELETE": _ADMIN},
    "coding_run": {
        "SELECT": _ALL,
        "INSERT": _ALL,
        "UPDATE": _LEADS,
        # a coder starts and submits their own run (never another's, nor whose it is or
        # whether it is blind; a submitted one stays so: vfa_keep_submitted); leads assign
        # and reopen
        "UPDATE (status, submitted_at)": ("coder", "therapist"),
        "DELETE": _ALL,
    },
    "annotation": {"SELECT": _ALL, "INSERT": _ALL, "UPDATE": _ALL, "DELETE": _ALL},
    "rating": {"SELECT": _ALL, "INSERT": _ALL, "UPDATE": _ALL, "DELETE": _ALL},
    "moment": {"SELECT": _ALL, "INSERT": _ALL, "UPDATE": _ALL, "DELETE": _ALL},
    "consent_record": {
        "SELECT": _ALL,
        "INSERT": _CLINICAL,
        "UPDATE": _ADMIN,
        "DELETE": _ADMIN,
    },
    # the audit trail: read and added to, never changed (a trigger refuses even the owner)
    "audit_entry": {"SELECT": _ALL, "INSERT": _ALL},
    "workspace_info": {"SELECT": _ALL, "INSERT": _ALL, "UPDATE": _ALL, "DELETE": _ADMIN},
    "reliability_criterion": {
        "SELECT": _ALL,
        "INSERT": _LEADS,
        "UPDATE": _LEADS,
        "DELETE": _LEADS,
    },
    "alembic_version": {"SELECT": _ALL},
}

# columns that UPDATE may not set (the row's key, and what decides whose the row is), for
# every role of the table's UPDATE grant: granted "UPDATE" covers the model's other columns
FIXED_COLUMNS: dict[str, tuple[str, ...]] = {
    "annotation": ("id", "run_id"),
    "rating": ("id", "run_id"),
    "moment": ("annotation_id",),
}

# tables without row-level security, which every login may read (Alembic's own: which
# schema this is, so that a login that is not one of the people is told so)
NO_POLICIES = frozenset({"alembic_version"})

CREATE_GROUPS = """
DO $$
DECLARE
    grp text;
BEGIN
    FOREACH grp IN ARRAY ARRAY['vfa_admin', 'vfa_supervisor', 'vfa_coder', 'vfa_therapist']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = grp) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', grp);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another workspace's init made it meanwhile (roles are cluster-wide)
            END;
        END IF;
    END LOOP;
END
$$
"""

# -- who is asking, and what is hidden from them -----------------------------------------
# Each is STABLE and SECURITY DEFINER with the search path fixed at creation (the schema
# of the workspace, then pg_temp), so a caller cannot slip in tables of their own; and in
# PL/pgSQL, whose plans a connection keeps (an SQL function's are made again for every
# statement: a key press's insert took 1.3 ms instead of 0.2).

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION vfa_me() RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN (SELECT id FROM coder WHERE login = session_user);
END
$$;

CREATE OR REPLACE FUNCTION vfa_my_role() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN (SELECT role::text FROM coder WHERE login = session_user);
END
$$;

CREATE OR REPLACE FUNCTION vfa_my_name() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN (SELECT name::text FROM coder WHERE login = session_user);
END
$$;

-- cases the caller may not see: all of them for a login that is not one of the people;
-- for a therapist, those shared with others but not with them (a case without members
-- is open to every therapist)
CREATE OR REPLACE FUNCTION vfa_hidden_cases() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY
    WITH me AS (SELECT id, role FROM coder WHERE login = session_user)
    SELECT c.id FROM "case" c
    WHERE NOT EXISTS (SELECT 1 FROM me)
       OR ((SELECT role FROM me) = 'therapist'
           AND EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = c.id)
           AND NOT EXISTS (
               SELECT 1 FROM case_member m
               WHERE m.case_id = c.id AND m.coder_id = (SELECT id FROM me)));
END
$$;

CREATE OR REPLACE FUNCTION vfa_hidden_sessions() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY
    SELECT s.id FROM session s WHERE s.case_id IN (SELECT vfa_hidden_cases());
END
$$;

CREATE OR REPLACE FUNCTION vfa_hidden_clips() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY
    SELECT k.id FROM clip k JOIN session s ON s.id = k.session_id
    WHERE s.case_id IN (SELECT vfa_hidden_cases());
END
$$;

-- the cases the caller is a member of
CREATE OR REPLACE FUNCTION vfa_my_cases() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY
    SELECT m.case_id FROM case_member m JOIN coder c ON c.id = m.coder_id
    WHERE c.login = session_user;
END
$$;

-- runs whose content (events, ratings, moments) the caller may not see: the blind rule
-- of vfa/services/blind.py, then the therapist's cases. A blind coding is the blind runs
-- of one clip with one scheme; it is open while any of them is not submitted. While
-- open, (1) each of its runs is seen by its own coder only, and (2) each of its coders
-- sees, of that clip, only their own coding.
CREATE OR REPLACE FUNCTION vfa_hidden_runs() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY
    WITH me AS (SELECT id FROM coder WHERE login = session_user),
    blind_runs AS (
        SELECT r.id, r.clip_id, r.coder_id, r.status, s.scheme_key
        FROM coding_run r JOIN scheme s ON s.id = r.scheme_id
        WHERE r.blind
    ),
    open_codings AS (
        SELECT DISTINCT clip_id, scheme_key FROM blind_runs WHERE status <> 'submitted'
    ),
    sealed AS (
        SELECT b.id, b.clip_id, b.coder_id FROM blind_runs b
        JOIN open_codings o ON o.clip_id = b.clip_id AND o.scheme_key = b.scheme_key
    ),
    blinded_clips AS (
        SELECT clip_id FROM sealed WHERE coder_id = (SELECT id FROM me)
    )
    SELECT r.id FROM coding_run r
    WHERE NOT EXISTS (SELECT 1 FROM me)
       OR (r.coder_id <> (SELECT id FROM me)
           AND (r.id IN (SELECT id FROM sealed)
                OR r.clip_id IN (SELECT clip_id FROM blinded_clips)))
       OR r.clip_id IN (SELECT vfa_hidden_clips());
END
$$;

-- whether the run is the caller's own (the only runs whose content they may change)
CREATE OR REPLACE FUNCTION vfa_owns_run(run_key integer) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN (SELECT EXISTS (
        SELECT 1 FROM coding_run r JOIN coder c ON c.id = r.coder_id
        WHERE r.id = run_key AND c.login = session_user));
END
$$;

CREATE OR REPLACE FUNCTION vfa_annotation_run(annotation_key integer) RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN (SELECT a.run_id FROM annotation a WHERE a.id = annotation_key);
END
$$;

-- the audit trail is append-only, for everyone, the table's owner included
CREATE OR REPLACE FUNCTION vfa_audit_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry: the audit trail is append-only: entries are never '
        'changed or deleted (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- a delete the policies let through (a row the person sees) that is not theirs to make
-- fails loudly; the owner and cascades (run as the owner) are not checked
CREATE OR REPLACE FUNCTION vfa_refuse_others_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    allowed boolean;
BEGIN
    IF NOT row_security_active(TG_RELID) THEN
        RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'coding_run' THEN
        allowed := vfa_my_role() IN ('supervisor', 'admin')
            OR (OLD.coder_id = vfa_me() AND NOT vfa_run_locked(OLD.id));
    ELSIF TG_TABLE_NAME = 'moment' THEN
        allowed := vfa_owns_run(vfa_annotation_run(OLD.annotation_id));
    ELSE
        allowed := vfa_may_edit_run(OLD.run_id);
    END IF;
    IF allowed IS NOT TRUE THEN
        RAISE EXCEPTION '% %: only the coder of an open coding run changes it (a submitted '
            'run is locked until a supervisor reopens it)', TG_TABLE_NAME,
            COALESCE(to_jsonb(OLD) ->> 'id', to_jsonb(OLD) ->> 'annotation_id')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;

-- a person's login is a member of their role's group role, and of no other VFA group:
-- kept so whenever a coder row gains, changes or loses its role or login
CREATE OR REPLACE FUNCTION vfa_sync_login() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    grp text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.login IS NOT NULL
       AND (TG_OP = 'DELETE' OR OLD.login IS DISTINCT FROM NEW.login
            OR OLD.role IS DISTINCT FROM NEW.role)
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = OLD.login) THEN
        FOREACH grp IN ARRAY ARRAY['vfa_admin', 'vfa_supervisor', 'vfa_coder', 'vfa_therapist']
        LOOP
            IF pg_has_role(OLD.login, grp, 'MEMBER') AND OLD.login <> grp THEN
                EXECUTE format('REVOKE %I FROM %I', grp, OLD.login);
            END IF;
        END LOOP;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.login IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = NEW.login) THEN
            RAISE EXCEPTION 'person %: the server has no login %', NEW.name, NEW.login
                USING ERRCODE = 'undefined_object',
                      HINT = 'create it with vfa team add NAME --role ROLE --login LOGIN';
        END IF;
        EXECUTE format('GRANT %I TO %I', 'vfa_' || NEW.role, NEW.login);
    END IF;
    RETURN NULL;
END
$$;

-- a login for a new person: plain (no superuser, no role or database creation, no
-- bypassing of the policies) and without a password (libpq's usual means log people
-- in). Only an admin, or a server role that may create roles, may call it.
CREATE OR REPLACE FUNCTION vfa_create_login(new_login text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF vfa_my_role() IS DISTINCT FROM 'admin' AND NOT EXISTS (
        SELECT 1 FROM pg_roles
        WHERE rolname = session_user AND (rolsuper OR rolcreaterole)) THEN
        RAISE EXCEPTION 'only an admin may add people''s logins'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = new_login) THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION',
        new_login);
    RETURN true;
END
$$;
"""

HELPERS: tuple[str, ...] = (
    "vfa_me()",
    "vfa_my_role()",
    "vfa_my_name()",
    "vfa_hidden_cases()",
    "vfa_hidden_sessions()",
    "vfa_hidden_clips()",
    "vfa_my_cases()",
    "vfa_hidden_runs()",
    "vfa_owns_run(integer)",
    "vfa_annotation_run(integer)",
)

# -- the policies, per table ------------------------------------------------------------
# All are permissive and for everyone (PUBLIC): the grants decide which commands a group
# may run at all, the policies which rows, from the person's role in the coder table.

_PERSON = "(SELECT vfa_me()) IS NOT NULL"
_IS_CLINICAL = "(SELECT vfa_my_role()) IN ('therapist', 'supervisor', 'admin')"
_IS_LEAD = "(SELECT vfa_my_role()) IN ('supervisor', 'admin')"
_IS_ADMIN = "(SELECT vfa_my_role()) = 'admin'"


def _crud(table: str, seen: str, change: str, *, loud: bool = False) -> list[str]:
    """SELECT rows that are ``seen``; INSERT, UPDATE, DELETE rows where ``change`` holds.

    ``loud``: a change of a row the person sees but may not change fails with an error
    instead of touching no rows (so a service never reports a change the server did not
    make): UPDATE checks ``change`` on the new row (the columns it depends on cannot be
    updated by those it restricts: ``FIXED_COLUMNS``), and a trigger checks DELETE.
    """
    if loud:
        update, delete = f"USING ({seen}) WITH CHECK ({change})", f"USING ({seen})"
    else:
        update, delete = f"USING ({change}) WITH CHECK ({change})", f"USING ({change})"
    return [
        f"CREATE POLICY vfa_read ON {table} FOR SELECT USING ({seen})",
        f"CREATE POLICY vfa_add ON {table} FOR INSERT WITH CHECK ({change})",
        f"CREATE POLICY vfa_change ON {table} FOR UPDATE {update}",
        f"CREATE POLICY vfa_remove ON {table} FOR DELETE {delete}",
    ]


def _with_change(crud: list[str], change: str) -> list[str]:
    """``_crud``'s policies (read, add, change, remove) with another change policy."""
    read, add, _change, remove = crud
    return [read, add, change, remove]


_CASE_SEEN = "id NOT IN (SELECT vfa_hidden_cases())"
_CASE_ID_SEEN = "case_id NOT IN (SELECT vfa_hidden_cases())"
_CLIP_SEEN = "session_id NOT IN (SELECT vfa_hidden_sessions())"
_RUN_ON_SEEN_CLIP = "clip_id NOT IN (SELECT vfa_hidden_clips())"
_RUN_CONTENT_SEEN = "run_id NOT IN (SELECT vfa_hidden_runs())"

POLICIES: dict[str, list[str]] = {
    '"case"': _crud('"case"', _CASE_SEEN, f"{_IS_CLINICAL} AND {_CASE_SEEN}"),
    "session": _crud("session", _CASE_ID_SEEN, f"{_IS_CLINICAL} AND {_CASE_ID_SEEN}"),
    "clip": [
        *_crud("clip", _CLIP_SEEN, f"{_IS_CLINICAL} AND {_CLIP_SEEN}"),
        # a coder (column grant: content_hash, file_mtime_ns) fills in a missing hash only
        f"CREATE POLICY vfa_hash ON clip FOR UPDATE USING ({_PERSON} AND content_hash IS NULL "
        f"AND {_CLIP_SEEN}) WITH CHECK ({_CLIP_SEEN})",
    ],
    # everyone sees the people (names and roles: the assignment list names them)
    "coder": _crud("coder", _PERSON, _IS_ADMIN),
    # a case's therapists: an admin manages them; a clinician claims a case nobody has
    # claimed (the services make the therapist who adds its first clip its member) and
    # shares or unshares a case they are a member of
    "case_member": [
        f"CREATE POLICY vfa_read ON case_member FOR SELECT USING ({_IS_ADMIN} OR {_CASE_ID_SEEN})",
        "CREATE POLICY vfa_add ON case_member FOR INSERT WITH CHECK "
        f"({_IS_ADMIN} OR ({_IS_CLINICAL} AND {_CASE_ID_SEEN} "
        "AND (coder_id = (SELECT vfa_me()) OR case_id IN (SELECT vfa_my_cases()))))",
        "CREATE POLICY vfa_remove ON case_member FOR DELETE USING "
        f"({_IS_ADMIN} OR ({_IS_CLINICAL} AND case_id IN (SELECT vfa_my_cases())))",
    ],
    "scheme": [
        f"CREATE POLICY vfa_read ON scheme FOR SELECT USING ({_PERSON})",
        f"CREATE POLICY vfa_add ON scheme FOR INSERT WITH CHECK ({_PERSON})",
        f"CREATE POLICY vfa_change ON scheme FOR UPDATE USING ({_IS_ADMIN}) "
        f"WITH CHECK ({_IS_ADMIN})",
        f"CREATE POLICY vfa_remove ON scheme FOR DELETE USING ({_IS_ADMIN})",
    ],
    # that a run exists, whose it is and its status are open to all who see its clip;
    # a person makes and changes their own runs, a lead anyone's (assign, reopen)
    "coding_run": _crud(
        "coding_run",
        _RUN_ON_SEEN_CLIP,
        f"{_RUN_ON_SEEN_CLIP} AND (coder_id = (SELECT vfa_me()) OR {_IS_LEAD})",
        loud=True,
    ),
    # a run's content: hidden by the blind rule; changed by the run's own coder only, and
    # not once it is submitted (until a supervisor reopens it)
    "annotation": _crud("annotation", _RUN_CONTENT_SEEN, "vfa_may_edit_run(run_id)", loud=True),
    "rating": _crud("rating", _RUN_CONTENT_SEEN, "vfa_may_edit_run(run_id)", loud=True),
    # a moment's own run's coder changes it; others who tag moments may move it in its
    # visit's reel (vfa.storage.team_reel_sql)
    "moment": _with_change(
        _crud("moment", MOMENT_SEEN, MOMENT_OWN, loud=True),
        f"CREATE POLICY vfa_change ON moment FOR UPDATE USING ({MOMENT_SEEN}) "
        f"WITH CHECK ({MOMENT_OWN} OR ({_IS_CLINICAL} AND {MOMENT_SEEN}))",
    ),
    "consent_record": [
        f"CREATE POLICY vfa_read ON consent_record FOR SELECT USING ({_RUN_ON_SEEN_CLIP})",
        "CREATE POLICY vfa_add ON consent_record FOR INSERT WITH CHECK "
        f"({_IS_CLINICAL} AND {_RUN_ON_SEEN_CLIP})",
        f"CREATE POLICY vfa_change ON consent_record FOR UPDATE USING ({_IS_ADMIN}) "
        f"WITH CHECK ({_IS_ADMIN})",
        f"CREATE POLICY vfa_remove ON consent_record FOR DELETE USING ({_IS_ADMIN})",
    ],
    # entries about runs, clips and cases the reader may not see stay hidden; an entry
    # names the person who adds it (actor: their own name), nobody else
    "audit_entry": [
        f"CREATE POLICY vfa_read ON audit_entry FOR SELECT USING ({_PERSON} "
        "AND (run_id IS NULL OR run_id NOT IN (SELECT vfa_hidden_runs())) "
        "AND (clip_id IS NULL OR clip_id NOT IN (SELECT vfa_hidden_clips())) "
        "AND (case_id IS NULL OR case_id NOT IN (SELECT vfa_hidden_cases())) "
        # entries about a case that did not name it as their place (shared, unshared)
        "AND (entity <> 'case' OR entity_id IS NULL "
        "OR entity_id NOT IN (SELECT vfa_hidden_cases())))",
        "CREATE POLICY vfa_add ON audit_entry FOR INSERT WITH CHECK "
        f"({_PERSON} AND actor = vfa_my_name())",
    ],
    # everyone's VFA stamps its version when it opens the workspace; the rest is an admin's
    "workspace_info": [
        f"CREATE POLICY vfa_read ON workspace_info FOR SELECT USING ({_PERSON})",
        "CREATE POLICY vfa_add ON workspace_info FOR INSERT WITH CHECK "
        f"({_IS_ADMIN} OR ({_PERSON} AND key = 'written_by'))",
        "CREATE POLICY vfa_change ON workspace_info FOR UPDATE USING "
        f"({_IS_ADMIN} OR ({_PERSON} AND key = 'written_by')) "
        f"WITH CHECK ({_IS_ADMIN} OR ({_PERSON} AND key = 'written_by'))",
        f"CREATE POLICY vfa_remove ON workspace_info FOR DELETE USING ({_IS_ADMIN})",
    ],
    "reliability_criterion": _crud("reliability_criterion", _PERSON, _IS_LEAD),
}

TRIGGERS = [
    "DROP TRIGGER IF EXISTS vfa_append_only ON audit_entry",
    "CREATE TRIGGER vfa_append_only BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION vfa_audit_append_only()",
    "DROP TRIGGER IF EXISTS vfa_append_only_truncate ON audit_entry",
    "CREATE TRIGGER vfa_append_only_truncate BEFORE TRUNCATE ON audit_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION vfa_audit_append_only()",
    *(
        statement
        for table in ("coding_run", "annotation", "rating", "moment")
        for statement in (
            f"DROP TRIGGER IF EXISTS vfa_only_own ON {table}",
            f"CREATE TRIGGER vfa_only_own BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION vfa_refuse_others_delete()",
        )
    ),
    "DROP TRIGGER IF EXISTS vfa_sync_login ON coder",
    "CREATE TRIGGER vfa_sync_login AFTER INSERT OR UPDATE OF role, login OR DELETE ON coder "
    "FOR EACH ROW EXECUTE FUNCTION vfa_sync_login()",
    *REEL_TRIGGERS,
]

# -- a merge made by one of the people: its own functions (vfa.storage.team_merge_sql) ----
FUNCTIONS += MERGE_FUNCTIONS  # made, and granted to the groups, with the others
FUNCTIONS += REEL_FUNCTIONS
HELPERS += MERGE_HELPERS

# -- a submitted run is locked, to its own coder too (vfa.storage.team_lock_sql) ----------
FUNCTIONS += LOCK_FUNCTIONS
HELPERS += LOCK_HELPERS
TRIGGERS += LOCK_TRIGGERS

# -- the server dates the entries people add (vfa.storage.team_trail_sql) ------------------
FUNCTIONS += TRAIL_FUNCTIONS
TRIGGERS += TRAIL_TRIGGERS
