"""A visit's reel on a team workspace: the visit's, not one coder's.

Whoever may tag moments (a therapist, a supervisor, an admin) and sees a moment may move
it within its visit's reel, as ``services.moments.reorder_reel`` lets them; what the
moment says (its caption, tags, comment, key frame) and whether it is in the reel at all
stay its own run's coder's to change. The row policy lets such an update through
(``team_sql``'s change policy of ``moment``); this trigger refuses any other column a
non-owner changes."""

from __future__ import annotations

MOMENT_SEEN = "vfa_annotation_run(annotation_id) NOT IN (SELECT vfa_hidden_runs())"
MOMENT_OWN = "vfa_owns_run(vfa_annotation_run(annotation_id))"

REEL_FUNCTIONS = r"""
-- a moment of someone else's run: only its place in the reel (and the version that
-- counts its edits) may change, and only while it stays in the reel
CREATE OR REPLACE FUNCTION vfa_moment_only_moved() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT row_security_active(TG_RELID)
       OR vfa_owns_run(vfa_annotation_run(OLD.annotation_id)) THEN
        RETURN NEW;
    END IF;
    IF OLD.reel_position IS NULL OR NEW.reel_position IS NULL
       OR (to_jsonb(NEW) - 'reel_position' - 'version')
          IS DISTINCT FROM (to_jsonb(OLD) - 'reel_position' - 'version') THEN
        RAISE EXCEPTION 'moment %: it belongs to another person''s coding run: others may '
            'only move it within the reel', OLD.annotation_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
"""

REEL_TRIGGERS = [
    "DROP TRIGGER IF EXISTS vfa_only_moved ON moment",
    "CREATE TRIGGER vfa_only_moved BEFORE UPDATE ON moment "
    "FOR EACH ROW EXECUTE FUNCTION vfa_moment_only_moved()",
]
