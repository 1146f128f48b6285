"""Serve an upload to those allowed to read it, as an attachment with a safe name."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory
from flask_login import current_user

from tcloud.accounts.access import allow
from tcloud.db import get_session
from tcloud.uploads import services
from tcloud.uploads.sniff import EXTENSIONS, MIME_TYPES

bp = Blueprint("uploads", __name__)


def upload_folder() -> Path:
    return Path(current_app.config["TCLOUD_INSTANCE_DIR"]) / "uploads"


@bp.get("/files/<int:upload_id>")
@allow("vendor", "business", "admin")
def download(upload_id: int):
    upload = services.get_upload_for(get_session(), upload_id, role=current_user.role,
                                     organisation_id=current_user.organisation_id)
    # The stored name is ours (random); the download name is a fixed, safe one.
    return send_from_directory(
        upload_folder(), upload.storage_name, mimetype=MIME_TYPES[upload.kind],
        as_attachment=True, download_name=f"tcloud-file-{upload.id}{EXTENSIONS[upload.kind]}",
        max_age=0,
    )
