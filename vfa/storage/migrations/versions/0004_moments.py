"""Strength moments: key frame, child line, comment, feedback flag and reel order; the
session's feedback theme.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "moment",
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("key_ms", sa.Integer(), nullable=False),
        sa.Column("key_frame", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("child_line", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("feedback", sa.Boolean(), nullable=False),
        sa.Column("reel_position", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotation.id"],
            name=op.f("fk_moment_annotation_id_annotation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("annotation_id", name=op.f("pk_moment")),
    )
    with op.batch_alter_table("session") as batch_op:
        batch_op.add_column(sa.Column("theme", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session") as batch_op:
        batch_op.drop_column("theme")
    op.drop_table("moment")
