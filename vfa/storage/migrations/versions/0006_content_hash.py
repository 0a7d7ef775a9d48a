"""Clips record a hash of their whole content (the sampled fingerprint only finds moved
files).

Revision ID: 0006
Revises: 0005

Existing clips get no hash here: reading every video would make opening the workspace
take minutes. Each clip's hash is computed and stored the first time it is verified.
An index on annotation (run_id, start_ms) was measured and left out: reading a run's
50,000 events in time order through it fetched rows in random order and took 91 ms
against 72 ms with the index on run_id and a sort.
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


def downgrade() -> None:
    with op.batch_alter_table("clip") as batch_op:
        batch_op.drop_column("content_hash")
