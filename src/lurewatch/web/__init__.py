"""The web pages served next to the REST API by `lurewatch serve`.

Server-rendered (Jinja2, autoescaped), in 8 interface languages, working without JavaScript:
the public pages (check a message, report a scam, warning posters) and the analyst pages.
`mount_web(app)` in `web.app` adds them to the app `lurewatch.api.app.create_app` builds.
"""
