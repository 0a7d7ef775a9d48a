"""The SQL of a team workspace that keeps a submitted coding run as it was submitted.

The services refuse every edit of a submitted run until a supervisor reopens it
(``vfa.services.coding.refuse_locked``, ``reopen_run``); the server holds the same rule, so
that a coder who has read the other codings of a clip once every blind run of it was
submitted cannot change their own with ``psql`` and so change the agreement. Used by
``vfa.storage.team_sql`` (its content policies and its delete trigger), made and granted
with its other functions by ``vfa team init``.
"""

from __future__ import annotations

LOCK_FUNCTIONS = r"""
-- the caller's own run, and not locked: a submitted run is, until a supervisor reopens it
-- (nobody re-codes a clip after reading the others' coding), unless this very transaction
-- submitted it (a merge writes a run's status, then its events and ratings): age(xmin) <= 0
CREATE OR REPLACE FUNCTION vfa_may_edit_run(run_key integer) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN (SELECT EXISTS (
        SELECT 1 FROM coding_run r JOIN coder c ON c.id = r.coder_id
        WHERE r.id = run_key AND c.login = session_user
          AND (r.status <> 'submitted' OR age(r.xmin) <= 0)));
END
$$;

-- whether the run was submitted before this transaction (so locked)
CREATE OR REPLACE FUNCTION vfa_run_locked(run_key integer) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN (SELECT EXISTS (
        SELECT 1 FROM coding_run r
        WHERE r.id = run_key AND r.status = 'submitted' AND age(r.xmin) > 0));
END
$$;

-- a submitted run stays so: a supervisor or an admin reopens it, never its own coder
CREATE OR REPLACE FUNCTION vfa_keep_submitted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF row_security_active(TG_RELID) AND OLD.status = 'submitted'
       AND vfa_my_role() IS DISTINCT FROM 'supervisor'
       AND vfa_my_role() IS DISTINCT FROM 'admin' AND vfa_run_locked(OLD.id) THEN
        RAISE EXCEPTION 'coding_run %: it was submitted and is locked; only a supervisor or '
            'an admin reopens it', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

"""

LOCK_HELPERS = ("vfa_may_edit_run(integer)", "vfa_run_locked(integer)")

LOCK_TRIGGERS = [
    "DROP TRIGGER IF EXISTS vfa_keep_submitted ON coding_run",
    "CREATE TRIGGER vfa_keep_submitted BEFORE UPDATE ON coding_run "
    "FOR EACH ROW EXECUTE FUNCTION vfa_keep_submitted()",
]
