"""Reliability criteria: per scheme, the statistic, threshold, window and item a coder's
agreement with a reference coder must reach to be certified.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reliability_criterion",
        sa.Column("scheme_key", sa.String(length=64), nullable=False),
        sa.Column("statistic", sa.String(length=32), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=128), nullable=True),
        sa.Column("updated_by", sa.String(length=128), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scheme_key", name=op.f("pk_reliability_criterion")),
    )


def downgrade() -> None:
    op.drop_table("reliability_criterion")
