"""Persistence: SQLAlchemy 2 models and sessions. SQLite by default, PostgreSQL by URL.

The schema is created and upgraded by Alembic (api/migrations); `init_db` runs the upgrade.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

# The actor of what the service does itself (decided, failed, recovered) in the audit trail.
SYSTEM_ACTOR = "system"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and read back with its zone, on SQLite as on PostgreSQL.

    SQLite keeps no zone: without this, values came back naive and a filter given in another
    zone (`created_after=...+05:00`) was compared as if it were UTC. A naive value is UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # The first characters of the key, to find it; the rest is only ever stored hashed.
    prefix: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    key_hash: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A key made to expire (keys create --expires-days N) authenticates nothing after this.
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PageSession(Base):
    """A reviewer page's signed-in session, kept server-side so that signing out (or revoking the
    key) ends it: the cookie alone, replayed, signs nobody in."""

    __tablename__ = "page_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Review(Base):
    __tablename__ = "reviews"
    # An intake system's retry with the same Idempotency-Key finds the first review.
    __table_args__ = (UniqueConstraint("created_by", "idempotency_key", name="uq_reviews_idempotency"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    status: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    determination: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # sha256 of the request and its documents: a retry with the same key must send the same.
    request_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now, onupdate=now)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Contract 1.1 case identity, copied out of the request so reviews can be found by it; like the
    # chart, never logged.
    reference: Mapped[str | None] = mapped_column(String(200), index=True, nullable=True)
    member_id: Mapped[str | None] = mapped_column(String(100), index=True, nullable=True)
    patient_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    disposition: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    # The turnaround clock: a decision is due 7 days after a standard request, 72 hours after an
    # expedited one (CMS-0057-F), counted from when the review was received.
    priority: Mapped[str] = mapped_column(String(16), default="standard", server_default="standard")
    # What the worker is reading, page by page (a long scan's OCR takes minutes): {"document",
    # "page", "pages", "method"}; the last page read stays once it is done.
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The queue (api/queue.py): which worker holds the review and until when; a lease that runs
    # out (its process died) lets another worker take it back. The last interrupted attempt's reason.
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_failure: Mapped[str | None] = mapped_column(Text, nullable=True)

    documents: Mapped[list[StoredDocument]] = relationship(
        back_populates="review", order_by="StoredDocument.position", cascade="all, delete-orphan")
    overrides: Mapped[list[Override]] = relationship(
        back_populates="review", order_by="Override.created_at", cascade="all, delete-orphan")
    reviewer_determinations: Mapped[list[ReviewerDetermination]] = relationship(
        back_populates="review", order_by="ReviewerDetermination.created_at", cascade="all, delete-orphan")
    earlier_decisions: Mapped[list[EarlierDecision]] = relationship(
        back_populates="review", order_by="EarlierDecision.replaced_at", cascade="all, delete-orphan")


class StoredDocument(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    # The upload as received, so work interrupted by a crash can be done again.
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    page_starts: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    ocr_pages: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)

    review: Mapped[Review] = relationship(back_populates="documents")


class Override(Base):
    __tablename__ = "overrides"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(120))
    status_before: Mapped[str] = mapped_column(String(16))
    status_after: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now)

    review: Mapped[Review] = relationship(back_populates="overrides")


class ReviewerDetermination(Base):
    """A reviewer's own determination, kept beside the automated one, never replacing it."""

    __tablename__ = "reviewer_determinations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    determination: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now)

    review: Mapped[Review] = relationship(back_populates="reviewer_determinations")


class EarlierDecision(Base):
    """A decision a review had before documents were added and it was read again: kept, never
    overwritten, in the order it was replaced."""

    __tablename__ = "earlier_decisions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    determination: Mapped[str] = mapped_column(String(40))
    disposition: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # How many documents it was made on.
    documents: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now)

    review: Mapped[Review] = relationship(back_populates="earlier_decisions")


class Webhook(Base):
    """A receiver told when a review is decided or fails (Standard Webhooks signing).

    The secret is kept as given out, because each delivery is signed with it; it is shown once, at
    creation, and never listed."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    secret: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WebhookDelivery(Base):
    """One event for one receiver, written in the transaction that decided the review (an
    outbox: a decision is never stored without its deliveries), then sent and retried."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[str] = mapped_column(String(32), index=True)
    event: Mapped[str] = mapped_column(String(40))
    # The JSON body exactly as signed and sent: ids and outcomes, never chart text or identity.
    body: Mapped[str] = mapped_column(Text)
    # pending -> delivered | failed (given up after the last attempt)
    status: Mapped[str] = mapped_column(String(16), index=True, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Every attempt: when, the receiver's HTTP status or the connection error, and how long it took.
    log: Mapped[list[Any]] = mapped_column(JSON, default=list)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    review_id: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=now, index=True)


class Database:
    """An engine and its session factory for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if str(path) not in ("", ":memory:"):
                path.parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, "timeout": 30} if url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error: no half-written rows."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets the worker write while the API reads; foreign keys make cascades real.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade(url: str) -> None:
    """Bring the database schema up to the newest Alembic migration."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")
