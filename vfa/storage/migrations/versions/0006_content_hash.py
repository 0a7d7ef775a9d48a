"""Clips record a hash of their whole content (the sampled fingerprint only finds moved
files); a run's events are indexed by (run, start).

Revision ID: 0006
Revises: 0005

Existing clips get no hash here: reading every video would make opening the workspace
take minutes. Each clip's hash is computed and stored the first time it is verified.
The (run_id, start_ms) index replaces the one on run_id alone, which it covers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clip") as batch_op:
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("annotation") as batch_op:
        batch_op.drop_index("ix_annotation_run_id")
        batch_op.create_index("ix_annotation_run_id_start_ms", ["run_id", "start_ms"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("annotation") as batch_op:
        batch_op.drop_index("ix_annotation_run_id_start_ms")
        batch_op.create_index("ix_annotation_run_id", ["run_id"], unique=False)
    with op.batch_alter_table("clip") as batch_op:
        batch_op.drop_column("content_hash")
