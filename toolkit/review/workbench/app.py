"""The workbench's web app (Starlette, served by uvicorn): the page, its files and a JSON API.

Security, because a local server is still reachable by every page the reviewer's browser
opens and by every user of the machine:

* every ``/api/`` request needs the session token (``X-Toolkit-Token`` header), a random
  value printed only in the URL on the terminal that started the server;
* every POST must also come from the page itself: its ``Origin`` must be this server's and
  ``Sec-Fetch-Site`` (when the browser sends it) ``same-origin``; otherwise 403;
* the ``Host`` header must name this server (a DNS-rebinding page names its own host);
* a strict Content-Security-Policy (scripts and styles from this server only, no inline
  code, no frames, no network elsewhere), ``nosniff``, no referrer, no caching;
* only the three files of the page and documents listed in ``english/`` are served;
  every text reaches the page as JSON and is put into it as text, never as markup.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import sys
from collections.abc import Awaitable, Callable
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from toolkit.errors import ToolkitError
from toolkit.review.workbench.store import MAX_ID, ReviewStore, StoreError

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
STATIC = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}
MAX_BODY = 64 * 1024
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
WILDCARD = frozenset({"0.0.0.0", "::", ""})


def host_policy(bind: str) -> tuple[frozenset[str], bool]:
    """The ``Host`` names a server bound to ``bind`` answers, and whether any IP literal too.

    Bound to every address (``0.0.0.0``, ``::``), it is meant for browsers on other machines,
    which send this machine's address or name: IP literals are safe to accept (a
    DNS-rebinding page can only send a name it controls), and so is this machine's name.
    """
    if bind in LOOPBACK:
        return LOOPBACK, False
    if bind in WILDCARD:
        names = {socket.gethostname(), socket.getfqdn()}
        return LOOPBACK | {bind} | {n.lower() for n in names if n}, True
    return LOOPBACK | {bind.lower()}, False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class ActionRequest(BaseModel):
    """The body of ``POST /api/action``: one reviewer action on one row."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc: str = Field(max_length=MAX_ID)
    # A bound on the request, not a rule on ids: the pairs reader takes a file's name as
    # the document and any id a file gives its rows; 50 and 200 characters refused every
    # action on rows it had read and shown.
    row: str = Field(max_length=MAX_ID, description="Row id, e.g. p1.s2")
    action: str = Field(max_length=20, description="correct accept revert dismiss restore undo")
    version: int = Field(ge=0, description="The row's version the page showed (conflict check)")
    english: str = Field(default="", max_length=20_000)
    check: str = Field(default="", max_length=64)
    reason: str = Field(default="", max_length=2_000)


def _static(name: str) -> bytes:
    return (resources.files("toolkit.review.workbench") / "static" / name).read_bytes()


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _host_allowed(request: Request, hosts: frozenset[str], any_ip: bool) -> bool:
    host = request.headers.get("host", "")
    name = (host.rsplit(":", 1)[0] if not host.endswith("]") else host).strip("[]")
    return name.lower() in hosts or (any_ip and _is_ip(name))


def _authorised(request: Request, token: str) -> bool:
    given = request.headers.get("x-toolkit-token", "")
    return secrets.compare_digest(given.encode(), token.encode())


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        return False
    return origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


def _page(request: Request) -> Response:
    name = request.path_params.get("name", "index.html")
    if name not in STATIC:
        return _error("not found", 404)
    return Response(_static(name), media_type=STATIC[name])


def _api_routes(store: ReviewStore) -> list[Route]:
    """The JSON API over ``store`` (the guard in :func:`create_app` checks every call)."""

    def overview(request: Request) -> Response:
        return JSONResponse({**store.overview(), "lock": store.lock_holder()})

    def document(request: Request) -> Response:
        return JSONResponse(store.document(request.path_params["doc"]))

    def status(request: Request) -> Response:
        return JSONResponse({"lock": store.lock_holder()})

    async def action(request: Request) -> Response:
        if not _same_origin(request):
            return _error("cross-origin request refused", 403)
        body = await request.body()
        if len(body) > MAX_BODY:
            return _error("request too large", 413)
        try:
            req = ActionRequest.model_validate_json(body)
        except ValidationError as exc:
            return _error(f"bad request: {exc.errors()[0]['msg']}", 400)
        # The save may wait for a build holding the corpus lock: off the event loop.
        row = await run_in_threadpool(
            store.act,
            req.doc,
            req.row,
            req.action,
            req.version,
            english=req.english,
            check=req.check,
            reason=req.reason,
        )
        stale = await run_in_threadpool(store.still_stale, req.doc)
        return JSONResponse({"row": row, "stale": stale})

    return [
        Route("/api/overview", overview),
        Route("/api/document/{doc}", document),
        Route("/api/status", status),
        Route("/api/action", action, methods=["POST"]),
    ]


def create_app(
    store: ReviewStore, token: str, hosts: frozenset[str] = LOOPBACK, *, any_ip: bool = False
) -> Starlette:
    """The app for ``store``; API calls need ``token``; ``hosts``: accepted ``Host`` names;
    ``any_ip``: accept every IP-literal ``Host`` too (see :func:`host_policy`)."""
    routes = [
        Route("/", _page),
        Route("/static/{name}", _page),
        Route("/favicon.ico", lambda request: Response(status_code=204)),  # no icon, no 404
        *_api_routes(store),
    ]

    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not _host_allowed(request, hosts, any_ip):
            return _headers(_error("unknown Host header", 403))
        if request.url.path.startswith("/api/") and not _authorised(request, token):
            return _headers(_error("missing or wrong session token; open the printed URL", 403))
        return _headers(await call_next(request))

    async def refused(request: Request, exc: Exception) -> Response:
        status = exc.status if isinstance(exc, StoreError) else 500
        return _error(str(exc), status)

    return Starlette(
        routes=routes,
        middleware=[Middleware(BaseHTTPMiddleware, dispatch=guard)],
        exception_handlers={StoreError: refused, ToolkitError: refused},
    )


def serve(
    store: ReviewStore,
    host: str = "127.0.0.1",
    port: int = 0,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve ``store`` on ``host:port`` (0: a free port) until interrupted.

    Prints ``http://HOST:PORT/?token=...``: the only way in. Binding to a non-loopback
    address is the caller's explicit choice (``--host``); it prints a warning here.
    """
    import uvicorn

    token = secrets.token_urlsafe(24)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ToolkitError(
            f"{host}:{port}: cannot listen there ({exc.strerror}); give another --port"
        ) from None
    sock.listen(64)
    bound = sock.getsockname()[1]
    hosts, any_ip = host_policy(host)
    if host not in LOOPBACK:
        echo(
            f"toolkit: warning: serving on {host}, reachable from other machines; anyone "
            "with the URL's token can change corrections"
        )
    shown = f"[{host}]" if ":" in host else host
    echo(f"review workbench: http://{shown}:{bound}/?token={token}")
    echo("press Ctrl-C to stop")
    sys.stdout.flush()
    app = create_app(store, token, hosts, any_ip=any_ip)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            store.stopping.set()  # a save waiting for a build's lock gives up (503)
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    server = Server(config)
    server.run(sockets=[sock])


__all__ = ["CSP", "ActionRequest", "create_app", "host_policy", "serve"]
