"""Generator of İzlek's embedded synthetic sample corpus (fictional municipalities).

Run ``python -m etl.sample`` to write the PDFs to ``data/raw/<municipality_id>/`` and the
ground truth to ``etl/sample/truth/<municipality_id>.json``.
"""

from .generate import generate

__all__ = ["generate"]
