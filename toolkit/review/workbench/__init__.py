"""The review workbench: ``toolkit review --serve``, a local web app to correct, accept and
dismiss rows in the browser.

* :mod:`toolkit.review.workbench.store` reads built documents and records reviewer actions (through
  :mod:`toolkit.corpus.corrections`, under the corpus lock), then rebuilds the document;
* :mod:`toolkit.review.workbench.app` is the Starlette app: JSON API, static files, security checks;
* ``static/`` holds the page (plain HTML, CSS and JavaScript, no build step, no network).
"""

from __future__ import annotations

from toolkit.review.workbench.app import create_app, serve
from toolkit.review.workbench.store import ReviewStore

__all__ = ["ReviewStore", "create_app", "serve"]
