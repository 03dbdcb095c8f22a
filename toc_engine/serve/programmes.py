"""The app over a folder of programme folders: a landing page listing them, and each
programme's own app under `/p/ID/`. Programmes are found only by scanning the folder (at
start, and again each time the landing page is asked for); a URL names one of those found
by its id, never a path."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from .app import ASSETS, create_app, guarded_middleware
from .pages import TEMPLATES

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # a folder name that is safe in a URL


def programme_folders(folder: Path) -> dict[str, Path]:
    """The folders directly inside `folder` that hold a programme.yaml, by name."""
    found = {}
    for child in sorted(folder.iterdir()):
        if ID.match(child.name) and child.is_dir() and (child / "programme.yaml").is_file():
            found[child.name] = child.resolve()
    return found


@dataclass
class Shelf:
    """The programmes found by the last scan, each with its app."""

    folder: Path
    host: str

    def __post_init__(self) -> None:
        self.apps: dict[str, Starlette] = {}
        self.lock = threading.Lock()
        self.scan()

    def scan(self) -> None:
        found = programme_folders(self.folder)
        with self.lock:
            for name in list(self.apps):
                if name not in found or self.apps[name].state.workspace.folder != found[name]:
                    del self.apps[name]
            for name, path in found.items():
                if name not in self.apps:
                    self.apps[name] = create_app(path, self.host, base=f"/p/{name}",
                                                 standalone=False)

    def get(self, name: str) -> Starlette | None:
        with self.lock:
            return self.apps.get(name)


def create_programmes_app(folder: Path, host: str = "127.0.0.1") -> Starlette:
    shelf = Shelf(folder.resolve(), host)

    async def landing(request: Request) -> Response:
        shelf.scan()
        rows = []
        for name in sorted(shelf.apps):
            app = shelf.get(name)
            if app is None:
                continue
            snapshot = app.state.workspace.snapshot()
            programme = snapshot.loaded.programme
            rows.append({"id": name, "title": programme.programme.title if programme
                         else "(does not load: see its findings)",
                         "errors": len(snapshot.errors)})
        html = TEMPLATES.get_template("programmes.html").render(
            folder=folder.name, programmes=rows)
        return HTMLResponse(html)

    async def programme(scope: Scope, receive: Receive, send: Send) -> None:
        app = shelf.get(scope.get("path_params", {}).get("pid", ""))
        if app is None:
            response = PlainTextResponse("not found: programme", status_code=404)
            await response(scope, receive, send)
            return
        await app(scope, receive, send)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("not found: asset", status_code=404)
        text = (Path(__file__).parent / "assets" / name).read_text("utf-8")
        return Response(text, media_type=ASSETS[name])

    routes = [Route("/", landing), Route("/assets/{name}", asset),
              Mount("/p/{pid}", app=programme)]
    app = Starlette(routes=routes, middleware=guarded_middleware(host))
    app.state.shelf = shelf
    return app
