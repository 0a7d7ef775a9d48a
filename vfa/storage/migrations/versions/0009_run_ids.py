"""Coding run ids are never handed out twice, so that the audit trail's entries about a
run removed since (an import undone) never read as entries about another run.

Revision ID: 0009
Revises: 0008

As 0008 did for events: ``AUTOINCREMENT`` on SQLite, the counter started above every run
id the audit trail names (its ``run_id``, and the entries about ``coding_run`` rows),
except ids from 2**62 up, which VFA never handed out (an altered file). PostgreSQL's
sequences never reuse an id: nothing changes there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NEVER_HANDED_OUT = 2**62


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "coding_run", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    highest = bind.execute(
        sa.text(
            "SELECT max(coalesce((SELECT max(id) FROM coding_run), 0),"
            " coalesce((SELECT max(run_id) FROM audit_entry WHERE run_id < :never), 0),"
            " coalesce((SELECT max(entity_id) FROM audit_entry"
            " WHERE entity = 'coding_run' AND entity_id < :never), 0))"
        ),
        {"never": NEVER_HANDED_OUT},
    ).scalar_one()
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'coding_run'"))
    bind.execute(
        sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('coding_run', :seq)"),
        {"seq": highest},
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "coding_run", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
