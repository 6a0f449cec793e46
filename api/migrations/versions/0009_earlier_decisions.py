"""earlier_decisions: a review's decisions before documents were added and it was read again

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "earlier_decisions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("review_id", sa.String(length=32), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("determination", sa.String(length=40), nullable=False),
        sa.Column("disposition", sa.String(length=40), nullable=True),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("earlier_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_earlier_decisions_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    op.drop_table("earlier_decisions")
