"""Event ids are never handed out twice, so that an edit made on a copy of a deleted
event can never land on another event that took its id.

Revision ID: 0008
Revises: 0007

On SQLite a plain ``INTEGER PRIMARY KEY`` takes the highest id in use plus one, so the
id of the newest event, once deleted, came back for the next one; ``AUTOINCREMENT``
remembers the highest id ever used (``sqlite_sequence``). The counter starts above every
event id the audit trail names as well, since those events may be gone already, except
ids from 2**62 up: VFA hands ids out one at a time, so no such id was ever VFA's, and
starting above one (an altered file) would leave no ids for new events. A
moment's id is its event's. PostgreSQL's sequences never reuse an id: nothing changes
there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NEVER_HANDED_OUT = 2**62


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "annotation", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    highest = bind.execute(
        sa.text(
            "SELECT max(coalesce((SELECT max(id) FROM annotation), 0),"
            " coalesce((SELECT max(entity_id) FROM audit_entry"
            " WHERE entity IN ('annotation', 'moment') AND entity_id < :never), 0))"
        ),
        {"never": NEVER_HANDED_OUT},
    ).scalar_one()
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'annotation'"))
    bind.execute(
        sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('annotation', :seq)"),
        {"seq": highest},
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "annotation", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
