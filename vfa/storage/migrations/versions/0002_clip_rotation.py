"""Clips record their display rotation (portrait phone video).

Revision ID: 0002
Revises: 0001

SQLite cannot add a CHECK constraint in place, so there the clip table is rebuilt; VFA
runs migrations with foreign keys off so that the rebuild does not cascade into the
clip's coding runs, annotations and consent records.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clip") as batch_op:
        batch_op.add_column(sa.Column("rotation", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint("rotation_quarter_turns", "rotation IN (0, 90, 180, 270)")


def downgrade() -> None:
    with op.batch_alter_table("clip") as batch_op:
        batch_op.drop_constraint("ck_clip_rotation_quarter_turns", type_="check")
        batch_op.drop_column("rotation")
