"""Installs the test crash/pause driver in a Python process started by a test.

On ``PYTHONPATH`` only through :func:`support.faults.with_faults`; Python imports this module
at start-up. Without ``TOOLKIT_CRASH_AT``/``TOOLKIT_PAUSE_AT`` it imports nothing.
"""

import os
import sys

if os.environ.get("TOOLKIT_CRASH_AT") or os.environ.get("TOOLKIT_PAUSE_AT"):
    sys.path.append(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from support.faults import install_from_environ

    install_from_environ()
