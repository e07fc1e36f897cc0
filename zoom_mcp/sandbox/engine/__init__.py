"""The sandbox's HTTP machinery, the same for every operation; the fakes themselves live in `handlers`.

    asgi         the ASGI app: dispatch, the request log, faults, bearer tokens, answers on the wire
    router       method + raw path -> catalog operation and decoded path values
    oauth        Zoom's token endpoint (Server-to-Server and user OAuth) and token checks
    downloads    recording files: `/rec/download/...` and the signed storage host it may redirect to
    faults       injected misbehaviour (status, rate limit, delay, drop, refuse, expired token, malformed)
    calls        what a handler receives (`Call`) and raises (`ZoomHTTPError`); not-found answers
    gateway      around every handler: body checks, unknown IDs, the default, answers cut to the schema
    answers      the schema-shaped default answer for operations without a hand-written handler
    unknown_ids  Zoom's 404 for unknown path IDs before a default answer is given
    pagination   Zoom's next_page_token pagination
    messages     ASGI messages in and out (request bodies, JSON answers, files, multipart forms)
    log          the request log's `RecordedRequest`

Nothing here is imported by `zoom_mcp.sandbox.transport`, except `faults` (its two exceptions).
"""
