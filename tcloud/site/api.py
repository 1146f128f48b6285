"""The API's own document: /api/v1/openapi.json."""

from tcloud.accounts.access import PUBLIC, allow
from tcloud.api import api_blueprint, openapi_document

bp = api_blueprint("site", __name__)


@bp.get("/openapi.json")
@allow(PUBLIC)
def openapi():
    return openapi_document()
