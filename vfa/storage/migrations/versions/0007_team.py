"""A team on one workspace: people with a login, edits that carry a version, consent with
an end date, and audit entries that name the case, clip and run they touched.

Revision ID: 0007
Revises: 0006

- ``coder.login``: the database login (a PostgreSQL role) a person connects as; None on
  a SQLite workspace, where a person is who they say they are. The role gains "admin"
  (the role column is plain text, so no change is needed for it).
- ``version`` on annotation, rating and moment, and ``reel_version`` on session (a reel is
  the session's ordered moments): every edit raises it, and an edit made on an older
  version is refused.
- ``consent_record.valid_until``: the last day the consent holds (None: no end).
- ``audit_entry.case_id``, ``clip_id``, ``run_id``: what the change was about, kept as
  plain numbers (an entry outlives what it names), so the trail can be read by case,
  clip and run. Existing entries keep them empty.
- ``case_member``: the therapists a case is shared with (its own therapist first); a
  case without members is open to every therapist, as every case was before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

VERSIONED = ("annotation", "rating", "moment")


def upgrade() -> None:
    op.create_table(
        "case_member",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_member_case_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"],
            ["coder.id"],
            name=op.f("fk_case_member_coder_id_coder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "coder_id", name=op.f("pk_case_member")),
    )
    with op.batch_alter_table("coder") as batch_op:
        batch_op.add_column(sa.Column("login", sa.String(length=63), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_coder_login"), ["login"])
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )
    with op.batch_alter_table("session") as batch_op:
        batch_op.add_column(
            sa.Column("reel_version", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("consent_record") as batch_op:
        batch_op.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("clip_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("run_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_entry_case_id"), ["case_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_case_id"))
        batch_op.drop_column("run_id")
        batch_op.drop_column("clip_id")
        batch_op.drop_column("case_id")
    with op.batch_alter_table("consent_record") as batch_op:
        batch_op.drop_column("valid_until")
    with op.batch_alter_table("session") as batch_op:
        batch_op.drop_column("reel_version")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
    with op.batch_alter_table("coder") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_coder_login"), type_="unique")
        batch_op.drop_column("login")
    op.drop_table("case_member")
