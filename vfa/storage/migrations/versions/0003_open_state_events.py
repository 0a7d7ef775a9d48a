"""A state event still running has no end yet: annotation end columns become nullable.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotation") as batch_op:
        batch_op.alter_column("end_ms", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("end_frame", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE annotation SET end_ms = start_ms WHERE end_ms IS NULL")
    op.execute("UPDATE annotation SET end_frame = start_frame WHERE end_frame IS NULL")
    with op.batch_alter_table("annotation") as batch_op:
        batch_op.alter_column("end_ms", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("end_frame", existing_type=sa.Integer(), nullable=False)
