"""JavaScript libraries from npm, served to the pages at `/vendor/<name>`.

They are installed by `npm ci` (the `web-assets` make target, from the committed
`package.json` / `package-lock.json`) into `node_modules/` at the repository root, or wherever
`LUREWATCH_WEB_ASSETS` points, and never copied into the repository. Only the files named in
`VENDOR` are served (an allow-list: no path from a URL ever reaches the file system).
Every page works without them; they only enhance (the analyst graph, for instance).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_ASSETS = "LUREWATCH_WEB_ASSETS"

VENDOR: dict[str, str] = {
    # analyst network graph (web/static/analyst/graph.js): sigma.js draws on WebGL
    "graphology.umd.min.js": "graphology/dist/graphology.umd.min.js",
    "sigma.min.js": "sigma/dist/sigma.min.js",
}
"""URL name -> file under node_modules (e.g. "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js").
Add a line here when a page needs a library from package.json."""


def assets_dir() -> Path:
    env = os.environ.get(ENV_ASSETS)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "node_modules"


def vendor_file(name: str) -> Path | None:
    """The installed file for an allow-listed name, or None (unknown or not installed)."""
    rel = VENDOR.get(name)
    if rel is None:
        return None
    path = assets_dir() / rel
    return path if path.is_file() else None


def vendor_url(name: str) -> str:
    return f"/vendor/{name}"
