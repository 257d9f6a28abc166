"""Deployment switches read from the environment, in one place."""

from __future__ import annotations

import os

READ_ONLY_ENV = "IZLEK_READ_ONLY"


def read_only() -> bool:
    """Whether the app must not write anything (Tag review and upload hidden).

    Read-only is the default, so a dashboard put on a server exposes no writing page by
    accident; ``IZLEK_READ_ONLY=0`` (what ``scripts/start.sh`` sets for the person running it
    on their own machine) allows the Tag review page to save overrides.
    """
    return os.environ.get(READ_ONLY_ENV, "").strip().lower() not in ("0", "false", "no")
