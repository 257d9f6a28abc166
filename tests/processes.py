"""Process helpers shared by tests that kill or time out a worker and check its child is gone."""

from __future__ import annotations

import time
from pathlib import Path


def gone(pid: int, tries: int = 100, step: float = 0.05) -> bool:
    """True once ``pid`` has exited (no /proc entry, or a zombie waiting to be reaped), polling
    ``tries`` times ``step`` seconds apart; False when it is still running after that."""
    for _ in range(tries):
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except FileNotFoundError:
            return True
        time.sleep(step)
    return False
