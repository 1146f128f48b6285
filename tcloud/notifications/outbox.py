"""E-mail copies of notifications, sent only after the transaction commits.

`queue` keeps messages on the session (session.info); a listener on commit hands them to SMTP
(TCLOUD_SMTP_URL, e.g. smtp://user:pass@host:587) or writes them as .eml files into
instance/outbox/. On rollback they are dropped.
"""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

QUEUE_KEY = "tcloud_outbox"
SENDER = "TCloud <no-reply@tcloud.tw>"


def queue(session: Session, *, to: str, subject: str, link: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, to, subject
    message.set_content(f"{subject}\n\n{link}\n")
    session.info.setdefault(QUEUE_KEY, []).append(message)


def _deliver(session: Session) -> None:
    messages = session.info.pop(QUEUE_KEY, [])
    if not messages or not has_app_context():
        return
    smtp_url = current_app.config.get("TCLOUD_SMTP_URL", "")
    if smtp_url:
        _send_smtp(smtp_url, messages)
    else:
        folder = Path(current_app.config["TCLOUD_INSTANCE_DIR"]) / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))


def _send_smtp(url: str, messages: list[EmailMessage]) -> None:
    parts = urlsplit(url)
    with smtplib.SMTP(parts.hostname, parts.port or 587, timeout=10) as smtp:
        if parts.scheme == "smtp+starttls" or parts.port == 587:
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        for message in messages:
            smtp.send_message(message)


def _drop(session: Session) -> None:
    session.info.pop(QUEUE_KEY, None)


def listen() -> None:
    if not event.contains(Session, "after_commit", _deliver):
        event.listen(Session, "after_commit", _deliver)
        event.listen(Session, "after_soft_rollback", lambda s, _t: _drop(s))
