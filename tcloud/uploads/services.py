"""Store and read uploads. Rules: allow-listed kinds by content, a size limit, random names.

The bytes are written before the row is flushed; if the caller's transaction then rolls back,
an orphan file may remain on disk but is unreachable (no row points at it).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from tcloud.errors import DomainError, NotFound
from tcloud.uploads.models import Upload
from tcloud.uploads.sniff import EXTENSIONS, detect_kind

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _kind_names(kinds: tuple[str, ...]) -> str:
    return ", ".join(k.upper() for k in kinds)


def read_checked(stream: BinaryIO, *, allowed_kinds: tuple[str, ...], field: str,
                 max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[bytes, str]:
    """The file's bytes and kind, or a DomainError naming the field; the stream is rewound."""
    data = stream.read(max_bytes + 1)
    stream.seek(0)
    if not data:
        raise DomainError(_l("The selected file is empty."), field=field)
    if len(data) > max_bytes:
        raise DomainError(_l("The selected file must be smaller than %(mb)s MB.",
                             mb=max_bytes // (1024 * 1024)), field=field)
    kind = detect_kind(data[:16])
    if kind not in allowed_kinds:
        raise DomainError(_l("The selected file must be a %(kinds)s.",
                             kinds=_kind_names(allowed_kinds)), field=field)
    return data, kind


def store_upload(
    session: Session,
    *,
    stream: BinaryIO,
    original_name: str,
    owner_organisation_id: int,
    uploaded_by_id: int,
    purpose: str,
    allowed_kinds: tuple[str, ...],
    folder: Path,
    field: str,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> Upload:
    data, kind = read_checked(stream, allowed_kinds=allowed_kinds, field=field,
                              max_bytes=max_bytes)
    storage_name = secrets.token_hex(16) + EXTENSIONS[kind]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / storage_name).write_bytes(data)
    upload = Upload(
        owner_organisation_id=owner_organisation_id, uploaded_by_id=uploaded_by_id,
        purpose=purpose, storage_name=storage_name, original_name=original_name[:255] or "file",
        kind=kind, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
    )
    session.add(upload)
    session.flush()
    return upload


def get_upload_for(session: Session, upload_id: int, *, role: str,
                   organisation_id: int | None) -> Upload:
    """The upload if this person may read it: its own organisation, or an administrator."""
    upload = session.get(Upload, upload_id)
    if upload is None or (role != "admin" and upload.owner_organisation_id != organisation_id):
        raise NotFound(_l("That file does not exist or is not yours to see."))
    return upload
