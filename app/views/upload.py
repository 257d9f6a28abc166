"""Upload page's texts and switch: the router asks :func:`enabled` whether the page exists.

The logic (checks, sandboxed parse, atomic move, rebuild) is in ``app.upload``; this module
only registers its texts with the interface, as every page's view module does.
"""

from __future__ import annotations

from app.i18n import register
from app.upload import TEXTS, enabled

register(TEXTS)

__all__ = ["enabled"]
