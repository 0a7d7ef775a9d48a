"""The SQL of a team workspace that makes the server the audit trail's clock.

An entry a person adds is dated by the server when it is added, whatever time the
statement gave: so nobody with `psql` backdates an entry (or dates one ahead) to make the
trail say something happened at another time. The owner's entries, and those a merge
carries over from a laptop (``vfa_carry_audit``, which runs as the owner), keep the time
they give. Made with the other functions and triggers by ``vfa team init``.
"""

from __future__ import annotations

TRAIL_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION vfa_audit_server_time() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF row_security_active(TG_RELID) THEN
        NEW.at := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$;
"""

TRAIL_TRIGGERS = [
    "DROP TRIGGER IF EXISTS vfa_server_time ON audit_entry",
    "CREATE TRIGGER vfa_server_time BEFORE INSERT ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION vfa_audit_server_time()",
]
