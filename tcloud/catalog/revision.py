"""The catalogue revision: bumped in the same transaction as any change visitors can see.

Callers: a version going live, a withdrawal, a vetting decision, a review added, answered or
hidden. The UPDATE takes the row's lock until commit, which orders these (rare) writes; reads
never wait for it.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from tcloud.catalog.models import CatalogRevision

REVISION_ID = 1


def current_revision(session: Session) -> int:
    return session.exec(select(CatalogRevision.revision)
                        .where(CatalogRevision.id == REVISION_ID)).first() or 0


def bump_revision(session: Session) -> None:
    session.exec(update(CatalogRevision).where(CatalogRevision.id == REVISION_ID)
                 .values(revision=CatalogRevision.revision + 1))
