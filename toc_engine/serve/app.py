"""The routes. Every page is looked up by an id of the programme (never by a path), assets
come from a fixed table, and the one state-changing request checks the CSRF token."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..formats.report.i18n import pick
from . import evidence_form, pages, record
from .security import Csrf, allowed_hosts
from .workspace import Snapshot, Workspace

Endpoint = Callable[[Request], Awaitable[Response]]
ASSETS = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
}
HEADERS = {
    # No request leaves the machine: every asset is the app's own.
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def guarded_middleware(host: str) -> list[Middleware]:
    """What every app answers behind: known Host headers only, and the safety headers."""
    return [
        Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host)),
        Middleware(SecurityHeaders),
    ]


def create_app(folder: Path, host: str = "127.0.0.1", base: str = "",
               standalone: bool = True) -> Starlette:
    """The app of one programme folder. `base` is the path it is mounted at (its pages link
    under it); `standalone=False` leaves the host check and headers to the app mounting it."""
    workspace = Workspace(folder)
    csrf = Csrf()
    # Each browser says which version of the files its last page showed (a cookie; a form
    # carries its own), so every browser is told when the files changed since then.
    seen_cookie = "toc_seen" + re.sub(r"[^A-Za-z0-9]", "_", base)

    def current(request: Request, shown: str | None = None) -> tuple[Snapshot, bool]:
        """The current version, and whether it differs from the one the browser last saw
        (`shown`: the digest a posted form was rendered from; else the browser's cookie)."""
        snapshot = workspace.snapshot()
        before = shown if shown is not None else request.cookies.get(seen_cookie)
        request.state.rendered = snapshot.digest
        return snapshot, bool(before) and before != snapshot.digest

    def remembered(handler: Callable[[Request], Response]) -> Endpoint:
        """The handler, its response telling the browser which version it showed. Loading,
        scoring and writing block, so handlers are plain functions run in a worker thread."""
        async def wrapped(request: Request) -> Response:
            response = await run_in_threadpool(handler, request)
            rendered = getattr(request.state, "rendered", None)
            if rendered is not None:
                response.set_cookie(seen_cookie, rendered, path=base or "/", httponly=True,
                                    samesite="strict")
            return response
        return wrapped

    def posted(handler: Callable[[Request, dict[str, str]], Response]) -> Endpoint:
        """The handler of a form, given its fields once read and checked. Saves of this
        workspace run one at a time: a second one sees the first's files, never half of it."""
        async def wrapped(request: Request) -> Response:
            form = await _form(request)
            if form is None:
                return PlainTextResponse("refused: send the form as the page does "
                                         "(application/x-www-form-urlencoded, under 64 KB)",
                                         status_code=400)
            if not csrf.valid(form.get("csrf")):
                return PlainTextResponse("refused: the form's security token is missing or "
                                         "wrong; reload the page and try again",
                                         status_code=403)

            def locked(request: Request) -> Response:
                with workspace.saving:
                    return handler(request, form)

            return await remembered(locked)(request)
        return wrapped

    def render(name: str, snapshot: Snapshot, reloaded: bool, **values: Any) -> str:
        return pages.page(name, snapshot, reloaded, base=base, **values)

    def not_found(what: str) -> PlainTextResponse:
        return PlainTextResponse(f"not found: {what}", status_code=404)

    def home(request: Request) -> Response:
        snapshot, reloaded = current(request)
        key = "home"
        if key not in snapshot.pages:
            programme = snapshot.loaded.programme
            ready = snapshot.prepared is not None
            snapshot.pages[key] = render(
                "home.html", snapshot, False,
                graph=pages.graph_svg(snapshot) if ready else None,
                summary=pages.summary_html(snapshot) if ready else None,
                results=programme.results if programme else [],
                assumptions=programme.assumptions if programme else [],
            )
        return HTMLResponse(_reload_note(snapshot.pages[key], reloaded))

    def result(request: Request) -> Response:
        snapshot, reloaded = current(request)
        rid = request.path_params["rid"]
        programme = snapshot.loaded.programme
        model = next((r for r in programme.results if r.id == rid), None) if programme else None
        if model is None:
            return not_found("result")
        saved = request.query_params.get("saved") == "1"
        key = f"result:{rid}"
        if key not in snapshot.pages:
            ready = snapshot.prepared is not None
            snapshot.pages[key] = render(
                "result.html", snapshot, False, result=model,
                statement=pick(model.statement, "en"),
                body=pages.result_html(snapshot, rid) if ready else None,
                indicators=[{"id": i.id, "name": pick(i.name, "en")} for i in model.indicators],
                links=pages.links_of(snapshot, rid) if ready else [],
                explain=(pages.explanation(snapshot, rid)
                         if snapshot.prepared else None),
                saved="SAVED",
            )
        html = snapshot.pages[key]
        html = html.replace('<p class="ok" role="status">SAVED</p>',
                            '<p class="ok" role="status">Saved.</p>' if saved else "", 1)
        return HTMLResponse(_reload_note(html, reloaded))

    def findings(request: Request) -> Response:
        snapshot, reloaded = current(request)
        programme = snapshot.loaded.programme
        items = [
            {"severity": d.severity.label, "code": f"{d.code} {d.symbol}",
             "where": str(d.span), "message": d.message, "hint": d.hint,
             "result": pages.result_of_finding(programme, d.path)}
            for d in snapshot.findings
        ]
        return HTMLResponse(render("findings.html", snapshot, reloaded, items=items))

    def record_page(snapshot: Snapshot, reloaded: bool, indicator: str,
                    form: dict[str, str], outcome: record.Outcome | None,
                    status: int = 200) -> Response:
        programme = snapshot.loaded.programme
        model = record.indicator_of(programme, indicator)
        if model is None or programme is None:
            return not_found("indicator")
        owner = next(r.id for r in programme.results if model in r.indicators)
        dims = []
        for name in model.disaggregate_by:
            if name != "site":
                values = sorted({o.dimensions[name] for o in model.observations
                                 if name in o.dimensions})
                dims.append({"name": name, "choices": values})
        # A sensitive indicator shows its totals, as the report does; rows by site or
        # group are withheld here (the report suppresses small cells among them).
        shown = [o for o in model.observations
                 if not model.sensitive or (o.site is None and not o.dimensions)]
        recorded = [
            {"period": o.period, "site": o.site, "value": o.value, "missing": o.missing,
             "source": o.source,
             "sample_size": o.sample_size,
             "dims": ", ".join(f"{k}={v}" for k, v in sorted(o.dimensions.items()))}
            for o in shown
        ]
        target = record.target_name(workspace, snapshot, indicator)
        export = record.survey_export(programme, model)
        html = render(
            "record.html", snapshot, reloaded, indicator=model, result=owner,
            indicator_name=pick(model.name, "en"), sites=programme.sites, dimensions=dims,
            periods=sorted({str(o.period) for o in model.observations}),
            recorded=recorded, withheld=len(model.observations) - len(shown),
            csrf=csrf.token, digest=snapshot.digest, form=form,
            outcome=outcome, file=target, survey=export,
            survey_note=record.survey_message(export) if export else "",
        )
        return HTMLResponse(html, status_code=status)

    def record_form(request: Request) -> Response:
        snapshot, reloaded = current(request)
        return record_page(snapshot, reloaded, request.path_params["indicator"], {}, None)

    def record_save(request: Request, form: dict[str, str]) -> Response:
        fields = form
        indicator = request.path_params["indicator"]
        snapshot, reloaded = current(request, form.get("digest", ""))
        if record.indicator_of(snapshot.loaded.programme, indicator) is None:
            return not_found("indicator")
        outcome = record.save(workspace, snapshot, indicator, fields, fields.get("digest", ""))
        if not outcome.saved:
            status = 409 if outcome.message == record.STALE else 422
            return record_page(snapshot, reloaded, indicator, fields, outcome, status)
        current(request)  # the app's own save: the browser has seen it, no outside change
        programme = snapshot.loaded.programme
        assert programme is not None
        owner = next(r.id for r in programme.results if any(i.id == indicator
                                                             for i in r.indicators))
        return RedirectResponse(f"{base}/result/{owner}?saved=1", status_code=303)

    def assumption_page(snapshot: Snapshot, reloaded: bool, aid: str, form: dict[str, str],
                        outcome: record.Outcome | None, saved: bool = False,
                        status: int = 200) -> Response:
        programme = snapshot.loaded.programme
        model = next((a for a in programme.assumptions if a.id == aid), None) \
            if programme else None
        if model is None:
            return not_found("assumption")
        score = snapshot.prepared.score if snapshot.prepared else None
        state = next((a for a in score.assumptions if a.id == aid), None) if score else None
        html = render(
            "assumption.html", snapshot, reloaded, assumption=model,
            statement=pick(model.statement, "en"),
            note=pick(model.note, "en") if model.note else "",
            state={"state": state.state.replace("_", " "), "reason": state.reason}
            if state else None,
            links=[link for link in score.links if aid in link.assumptions] if score else [],
            statuses=record.STATUSES, chosen=form.get("status", model.status.value),
            csrf=csrf.token, digest=snapshot.digest, form=form, outcome=outcome, saved=saved,
        )
        return HTMLResponse(html, status_code=status)

    def assumption_form(request: Request) -> Response:
        snapshot, reloaded = current(request)
        saved = request.query_params.get("saved") == "1"
        return assumption_page(snapshot, reloaded, request.path_params["aid"], {}, None, saved)

    def assumption_save(request: Request, form: dict[str, str]) -> Response:
        aid = request.path_params["aid"]
        snapshot, reloaded = current(request, form.get("digest", ""))
        programme = snapshot.loaded.programme
        if programme is None or all(a.id != aid for a in programme.assumptions):
            return not_found("assumption")
        outcome = record.save_assumption(workspace, snapshot, aid, form, form.get("digest", ""))
        if not outcome.saved:
            status = 409 if outcome.message == record.STALE else 422
            return assumption_page(snapshot, reloaded, aid, form, outcome, status=status)
        current(request)  # the app's own save: the browser has seen it, no outside change
        return RedirectResponse(f"{base}/assumption/{aid}?saved=1", status_code=303)

    def evidence_page(snapshot: Snapshot, reloaded: bool, form: dict[str, str],
                      outcome: record.Outcome | None, status: int = 200) -> Response:
        programme = snapshot.loaded.programme
        if programme is None:
            return not_found("programme (it has errors that stop it loading)")
        html = render("evidence.html", snapshot, reloaded, csrf=csrf.token,
                          digest=snapshot.digest, form=form, outcome=outcome,
                          **evidence_form.choices(programme))
        return HTMLResponse(html, status_code=status)

    def evidence_new(request: Request) -> Response:
        snapshot, reloaded = current(request)
        return evidence_page(snapshot, reloaded, {}, None)

    def evidence_save(request: Request, form: dict[str, str]) -> Response:
        snapshot, reloaded = current(request, form.get("digest", ""))
        outcome = record.save_evidence(workspace, snapshot, form, form.get("digest", ""))
        if not outcome.saved:
            status = 409 if outcome.message == record.STALE else 422
            return evidence_page(snapshot, reloaded, form, outcome, status)
        current(request)  # the app's own save: the browser has seen it, no outside change
        about = form.get("claim_about_1", "")
        programme = snapshot.loaded.programme
        if programme is not None and any(r.id == about for r in programme.results):
            return RedirectResponse(f"{base}/result/{about}?saved=1", status_code=303)
        return RedirectResponse(f"{base}/", status_code=303)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return not_found("asset")
        text = (Path(__file__).parent / "assets" / name).read_text("utf-8")
        return Response(text, media_type=ASSETS[name])

    routes = [
        Route("/", remembered(home)),
        Route("/result/{rid}", remembered(result)),
        Route("/findings", remembered(findings)),
        Route("/record/{indicator}", remembered(record_form), methods=["GET"]),
        Route("/record/{indicator}", posted(record_save), methods=["POST"]),
        Route("/assumption/{aid}", remembered(assumption_form), methods=["GET"]),
        Route("/assumption/{aid}", posted(assumption_save), methods=["POST"]),
        Route("/evidence/new", remembered(evidence_new), methods=["GET"]),
        Route("/evidence/new", posted(evidence_save), methods=["POST"]),
        Route("/assets/{name}", asset),
    ]
    app = Starlette(routes=routes, middleware=guarded_middleware(host) if standalone else [])
    app.state.workspace = workspace
    app.state.csrf = csrf
    return app


MAX_FORM = 64 * 1024


async def _form(request: Request) -> dict[str, str] | None:
    """The posted fields (the first value of each), parsed with the standard library."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return None
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return None
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields


def _reload_note(html: str, reloaded: bool) -> str:
    if not reloaded:
        return html
    note = ('<p class="info" role="status">The programme\'s files changed on disk; this page '
            "shows them as they are now.</p>")
    return html.replace("</header>", "</header>\n" + note, 1)
