"""Command line: ``python -m etl.sample [--out data/raw] [--truth etl/sample/truth]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .generate import generate


def main(argv: list[str] | None = None) -> int:
    """Regenerate the synthetic sample corpus deterministically."""
    ap = argparse.ArgumentParser(prog="python -m etl.sample", description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("data/raw"), help="folder of municipality folders")
    ap.add_argument(
        "--truth",
        type=Path,
        default=Path(__file__).with_name("truth"),
        help="folder for <municipality_id>.json ground truth",
    )
    args = ap.parse_args(argv)
    paths = generate(args.out, args.truth)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} PDFs ({total / 1e6:.2f} MB) under {args.out}, truth in {args.truth}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
