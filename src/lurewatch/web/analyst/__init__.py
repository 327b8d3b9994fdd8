"""Analyst pages (login required): report queue, report detail, indicator lookup, operations
with their network graph, split/merge and export. `router` is mounted by `web.app.mount_web`."""

from lurewatch.web.analyst.routes import router

__all__ = ["router"]
