"""Clips record their display rotation (portrait phone video).

Revision ID: 0002
Revises: 0001

Rebuilds the clip table (SQLite cannot add a NOT NULL column with a server default in
place everywhere); VFA runs it with foreign keys off so that the rebuild does not cascade
into the clip's coding runs, annotations and consent records.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clip", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("rotation", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("clip", recreate="always") as batch_op:
        batch_op.drop_column("rotation")
