"""reviews: contract 1.1 case identity (reference, member id, patient name) and the disposition,
as columns to filter and search by

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("member_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("patient_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("disposition", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_reviews_reference", ["reference"])
        batch_op.create_index("ix_reviews_member_id", ["member_id"])
        batch_op.create_index("ix_reviews_disposition", ["disposition"])


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_disposition")
        batch_op.drop_index("ix_reviews_member_id")
        batch_op.drop_index("ix_reviews_reference")
        batch_op.drop_column("disposition")
        batch_op.drop_column("patient_name")
        batch_op.drop_column("member_id")
        batch_op.drop_column("reference")
