"""İzlek ETL: municipal planning PDFs → DuckDB warehouse (see etl/__main__.py for the CLI)."""
