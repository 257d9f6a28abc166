"""Start the dashboard: ``python -m app.serve [streamlit run options]``.

Why not plain ``streamlit run dashboard.py``: Streamlit treats a ``pages/`` folder beside the
entry script as a legacy multipage app until some session has called ``st.navigation``. On a
fresh server, a shared deep link (``/gender_budget?m=…``) would then run the page file
directly, without the router: legacy file-name menu, no wide layout, and the Tag review page
reachable even in read-only mode. Declaring up front that this app uses ``st.navigation``
closes that gap.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


def main(argv: list[str] | None = None) -> int:
    """Run ``streamlit run dashboard.py`` in this process with the legacy pages folder disabled."""
    PagesManager.uses_pages_directory = False
    args = ["run", str(DASHBOARD), *(sys.argv[1:] if argv is None else argv)]
    return cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())
