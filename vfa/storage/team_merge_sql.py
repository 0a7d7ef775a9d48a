"""The SQL of a team workspace for a merge made by one of the people (``vfa merge
laptop.vfa`` connected as a person, ``vfa.services.merge``): what a merge writes beyond the
person's own coding goes through these functions, which hold their own rules, so that no
policy of ``vfa.storage.team_sql`` is loosened for it. ``team_sql`` makes and grants them
with its other functions (``vfa team init``).
"""

from __future__ import annotations

# - ``vfa_record_merge``: the digests of the runs both sides agree on after merging a
#   checkout (workspace_info ``merged:<checkout id>``, the base of its next merge; the
#   rest of workspace_info stays an admin's). Recorded for an admin, or for the person
#   the checkout was taken for (the first of the trail's entries about that checkout
#   names them: anyone may add an entry, but not before the checkout's own); added to
#   what is recorded, never removed. False, and nothing written, for anyone else.
# - ``vfa_audit_known``: which of the entries given (by their place in the list, from 1)
#   are here already: the same time, person, act, kind and detail (where it came from
#   aside). The policies hide entries about runs the person may not see, so a merge could
#   not tell otherwise; it answers only for entries given whole, to the microsecond.
# - ``vfa_carry_audit``: the other workspace's audit entries, each with its own time and
#   person, marked as carried over by the caller (``merged_from.by``, set here whatever
#   the caller sends). A person carries over their own entries; only an admin carries
#   over other people's. Insert only: the trail stays append-only.

MERGE_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION vfa_record_merge(merge_key text, bases text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    me text := vfa_my_name();
    given jsonb;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'workspace_info: only one of the workspace''s people records a merge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF merge_key IS NULL OR merge_key !~ '^merged:[0-9a-f]{1,64}$' THEN
        RAISE EXCEPTION 'workspace_info %: not the record of a checkout''s merge', merge_key
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    given := bases::jsonb;
    IF jsonb_typeof(given) IS DISTINCT FROM 'object' OR EXISTS (
        SELECT 1 FROM jsonb_each(given) b
        WHERE jsonb_typeof(b.value) <> 'string' OR (b.value #>> '{}') !~ '^[0-9a-f]{1,64}$') THEN
        RAISE EXCEPTION 'workspace_info %: a merge records run ids and their digests', merge_key
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF vfa_my_role() IS DISTINCT FROM 'admin' AND (
        SELECT a.detail ->> 'coder' FROM audit_entry a
        WHERE a.action = 'checkout' AND a.entity = 'workspace'
          AND a.detail ->> 'id' = substr(merge_key, 8)
        ORDER BY a.id LIMIT 1) IS DISTINCT FROM me THEN
        RETURN false;
    END IF;
    INSERT INTO workspace_info AS w (key, value) VALUES (merge_key, given::text)
    ON CONFLICT (key) DO UPDATE SET value = (w.value::jsonb || EXCLUDED.value::jsonb)::text;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION vfa_audit_known(entries text) RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF vfa_me() IS NULL THEN
        RAISE EXCEPTION 'audit_entry: only one of the workspace''s people asks'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT t.n::integer FROM jsonb_array_elements(entries::jsonb) WITH ORDINALITY AS t(e, n)
    WHERE EXISTS (
        SELECT 1 FROM audit_entry a
        WHERE a.at = (t.e ->> 'at')::timestamptz
          AND a.actor IS NOT DISTINCT FROM (t.e ->> 'actor')
          AND a.action = (t.e ->> 'action') AND a.entity = (t.e ->> 'entity')
          AND (a.detail::jsonb - 'merged_from') = ((t.e -> 'detail') - 'merged_from'));
END
$$;

CREATE OR REPLACE FUNCTION vfa_carry_audit(entries text) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    me text := vfa_my_name();
    given jsonb;
    others text;
    made integer;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'audit_entry: only one of the workspace''s people carries entries over'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    given := entries::jsonb;
    IF jsonb_typeof(given) IS DISTINCT FROM 'array' OR EXISTS (
        SELECT 1 FROM jsonb_array_elements(given) e
        WHERE jsonb_typeof(e -> 'detail' -> 'merged_from') IS DISTINCT FROM 'object') THEN
        RAISE EXCEPTION 'audit_entry: a carried entry says where it came from (merged_from)'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF vfa_my_role() IS DISTINCT FROM 'admin' THEN
        SELECT string_agg(DISTINCT COALESCE(e ->> 'actor', '(no one)'), ', ') INTO others
        FROM jsonb_array_elements(given) e WHERE (e ->> 'actor') IS DISTINCT FROM me;
        IF others IS NOT NULL THEN
            RAISE EXCEPTION 'audit_entry: entries by % carried over by %: only an admin carries '
                'over other people''s entries', others, me
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    INSERT INTO audit_entry (at, actor, action, entity, entity_id, detail, case_id, clip_id,
                             run_id)
    SELECT (e ->> 'at')::timestamptz, e ->> 'actor', e ->> 'action', e ->> 'entity',
           (e ->> 'entity_id')::integer,
           jsonb_set(e -> 'detail', '{merged_from,by}', to_jsonb(me))::json,
           (e ->> 'case_id')::integer, (e ->> 'clip_id')::integer, (e ->> 'run_id')::integer
    FROM jsonb_array_elements(given) WITH ORDINALITY AS t(e, n)
    ORDER BY n;
    GET DIAGNOSTICS made = ROW_COUNT;
    RETURN made;
END
$$;
"""

MERGE_HELPERS = (
    "vfa_record_merge(text, text)",
    "vfa_audit_known(text)",
    "vfa_carry_audit(text)",
)
