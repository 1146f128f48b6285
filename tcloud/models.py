"""Imports every model module so SQLModel.metadata is complete (Alembic and tests need it)."""


def import_all_models() -> None:
    import tcloud.accounts.models  # noqa: F401
    import tcloud.advisor.models  # noqa: F401
    import tcloud.audit.models  # noqa: F401
    import tcloud.catalog.models  # noqa: F401
    import tcloud.notifications.models  # noqa: F401
    import tcloud.points.models  # noqa: F401
    import tcloud.points.order_models  # noqa: F401
    import tcloud.points.settlement_models  # noqa: F401
    import tcloud.sla.incident_models  # noqa: F401
    import tcloud.sla.models  # noqa: F401
    import tcloud.uploads.models  # noqa: F401
