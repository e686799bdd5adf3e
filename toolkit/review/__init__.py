"""Review: side-by-side views of built documents, and the workbench.

``documents`` finds and reads what to show, ``rows`` what one row shows in any view,
``terminal`` and ``html`` the two static views, ``workbench/`` the web app that records
reviewer actions (through :mod:`toolkit.corpus.actions`).
"""
