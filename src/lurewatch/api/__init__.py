"""The REST API (FastAPI) over the store and the screening pipeline; see docs/api.md."""

from lurewatch.api.app import Settings, create_app

__all__ = ["Settings", "create_app"]
