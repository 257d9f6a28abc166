"""Start the dashboard: ``python -m app.serve [streamlit run options]``.

What it adds to plain ``streamlit run dashboard.py``: kaleido's Chromium is started with the
server (see ``main``), the upload limit below is set, and Streamlit's legacy ``pages/`` mode is
switched off up front. The page scripts live in ``app_pages/`` so that mode never starts from
this repository anyway (a ``pages/`` folder beside the entry script made a fresh server run a
shared deep link without the router, with a file-name menu); the switch keeps it so should a
``pages/`` folder appear.

The upload endpoint (``/_stcore/upload_file``) exists in every Streamlit app, whatever its
pages: when the upload page is off (read-only, the default, or no upload password) the
largest accepted upload is set to 0 MB, so anonymous readers cannot push files into server
memory; otherwise to the upload page's own limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


def upload_limit_mb() -> int:
    """``server.maxUploadSize`` for this process: 0 when uploading is off, else the upload limit."""
    from app import upload

    return upload.config_max_mb() if upload.enabled() else 0


def main(argv: list[str] | None = None) -> int:
    """Run ``streamlit run dashboard.py`` in this process with the legacy pages folder disabled."""
    PagesManager.uses_pages_directory = False
    # Kaleido's Chromium starts while the server does: started by the first chart page instead, it
    # competed with the reader's browser for the CPU during that page's first render.
    from app.charts import prewarm
    from app.warm import warm_up

    prewarm()
    warm_up()  # the first run of a page in a fresh process: imports, templates, validators (app/warm.py)
    args = ["run", str(DASHBOARD), f"--server.maxUploadSize={upload_limit_mb()}",
            *(sys.argv[1:] if argv is None else argv)]
    return cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())
