"""The README's data dictionary is generated from etl/schema.py and must stay in step."""

from etl.schema import RELATIONS, readme_with_relations
from tests.conftest import REPO


def test_readme_relations_table_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == readme_with_relations(readme), "run: python -m etl schema --write-readme README.md"
    for rel in RELATIONS:
        assert f"`{rel.name}`" in readme
