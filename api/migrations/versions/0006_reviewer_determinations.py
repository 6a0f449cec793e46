"""reviewer_determinations: a reviewer's own determination, beside the automated one

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviewer_determinations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("review_id", sa.String(length=32), nullable=False),
        sa.Column("determination", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reviewer_determinations", schema=None) as batch_op:
        batch_op.create_index("ix_reviewer_determinations_review_id", ["review_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviewer_determinations", schema=None) as batch_op:
        batch_op.drop_index("ix_reviewer_determinations_review_id")
    op.drop_table("reviewer_determinations")
