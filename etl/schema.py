"""The warehouse relations, declared once.

The loader creates tables from this, the validation checks keys against it, and the README's
data dictionary is generated from it (``python -m etl schema --markdown``). The public
relations are the contract of docs/warehouse.md: names and columns never change, columns
may be added.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str = ""


@dataclass(frozen=True)
class Relation:
    name: str
    grain: str
    columns: tuple[Column, ...]
    public: bool = True
    key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ddl(self) -> str:
        cols = ",\n  ".join(f'"{c.name}" {c.type}' for c in self.columns)
        return f'CREATE TABLE "{self.name}" (\n  {cols}\n)'


def _c(spec: str) -> tuple[Column, ...]:
    """Columns from a compact "name TYPE: doc" block, one per line."""
    out = []
    for line in spec.strip().splitlines():
        if not line.strip():
            continue
        head, _, doc = line.strip().partition(":")
        name, typ = head.split(None, 1)
        out.append(Column(name, typ.strip(), doc.strip()))
    return tuple(out)


_SOURCE = """
source_document_id VARCHAR: document the row was read from (documents.document_id)
source_page INTEGER: 1-based page of the PDF where the row is printed
"""

RELATIONS: tuple[Relation, ...] = (
    Relation("municipalities", "municipality", _c("""
        municipality_id VARCHAR: folder name under the raw input folder
        name VARCHAR: as printed on the documents (or set in municipality.toml)
        province VARCHAR: province (municipality.toml)
        kind VARCHAR: district / metropolitan / provincial (municipality.toml)
        population BIGINT: inhabitants (municipality.toml)
        metadata_source VARCHAR: municipality.toml or detected
    """), key=("municipality_id",)),
    Relation("municipality_population", "municipality × year of a population figure", _c("""
        municipality_id VARCHAR
        year INTEGER: the year the figure counts (NULL when municipality.toml names none)
        population BIGINT: inhabitants
        source VARCHAR: where the figure comes from (population_source in municipality.toml, else the file)
    """), key=("municipality_id", "year")),
    Relation("documents", "input file, whatever happened to it", _c("""
        document_id VARCHAR: <municipality_id>/<file_name>
        municipality_id VARCHAR: folder name
        file_name VARCHAR: file name in the folder
        sha256 VARCHAR: content hash of the file
        doc_type VARCHAR: strategic_plan / performance_program / activity_report / NULL
        year_start INTEGER: first year covered
        year_end INTEGER: last year covered
        page_count INTEGER: pages in the PDF
        status VARCHAR: ok / partial / failed
        message VARCHAR: what happened and what to do about it
        detected_name VARCHAR: municipality name printed on the title pages
        detection VARCHAR: where type and years were read from
        table_pages INTEGER: pages given to camelot
        tables_found INTEGER: tables camelot returned
        rows_loaded INTEGER: fact rows this document contributed
        seconds DOUBLE: extraction time
    """), key=("document_id",)),
    Relation("goals", "SP goal", _c("""
        municipality_id VARCHAR
        plan_start INTEGER: first year of the plan period
        plan_end INTEGER: last year of the plan period
        goal_code VARCHAR: canonical code (A1)
        printed_code VARCHAR: as printed (AMAÇ 01, Stratejik Amaç 1)
        goal_title VARCHAR
    """ + _SOURCE), key=("municipality_id", "plan_start", "goal_code")),
    Relation("objectives", "SP objective (hedef)", _c("""
        municipality_id VARCHAR
        plan_start INTEGER
        plan_end INTEGER
        objective_code VARCHAR: canonical code (H1.1)
        printed_code VARCHAR
        goal_code VARCHAR
        objective_title VARCHAR
        responsible_unit VARCHAR: Sorumlu Birim
        cooperating_units VARCHAR: İşbirliği Yapılacak Birimler, '; '-separated
        cost_estimate DOUBLE: Maliyet Tahmini in TL
        cost_estimate_raw VARCHAR: as printed
        risks VARCHAR
        strategies VARCHAR
        findings VARCHAR: Tespitler
        needs VARCHAR: İhtiyaçlar
        gender_marker INTEGER: OECD-DAC marker 0/1/2 once the analysis has run
    """ + _SOURCE), key=("municipality_id", "plan_start", "objective_code")),
    Relation("objective_costs", "SP objective × year of the Tahmini Maliyet table", _c("""
        municipality_id VARCHAR
        plan_start INTEGER
        code VARCHAR: goal or objective code
        year INTEGER
        amount DOUBLE: TL
        raw VARCHAR
    """ + _SOURCE)),
    Relation("indicators", "SP indicator", _c("""
        municipality_id VARCHAR
        plan_start INTEGER
        plan_end INTEGER
        indicator_code VARCHAR: canonical code (PG1.1.1)
        printed_code VARCHAR
        objective_code VARCHAR
        indicator_name VARCHAR
        unit VARCHAR
        weight_pct DOUBLE: Hedefe Etkisi (%)
        baseline_value DOUBLE: Plan Dönemi Başlangıç Değeri
        monitoring_frequency VARCHAR
        reporting_frequency VARCHAR
        gender_marker INTEGER
    """ + _SOURCE), key=("municipality_id", "plan_start", "indicator_code")),
    Relation("indicator_values", "indicator × year × kind", _c("""
        municipality_id VARCHAR
        indicator_code VARCHAR
        indicator_name VARCHAR
        year INTEGER
        kind VARCHAR: plan_target / program_target / reported_target / actual; also program_prior_actual and program_estimate (the PP's t-2 and t-1 columns)
        value DOUBLE: NULL when the cell was empty or '-'
        raw VARCHAR: the cell as printed
        unit VARCHAR
        performance_goal_code VARCHAR
        objective_code VARCHAR
    """ + _SOURCE), key=("municipality_id", "indicator_code", "year", "kind", "source_document_id")),
    Relation("performance_goals", "PP performance goal", _c("""
        municipality_id VARCHAR
        year INTEGER
        performance_goal_code VARCHAR: canonical (PH1)
        printed_code VARCHAR
        objective_code VARCHAR
        goal_code VARCHAR
        title VARCHAR
        responsible_unit VARCHAR
        budget DOUBLE
        off_budget DOUBLE
        total DOUBLE
        share_pct DOUBLE: share of the total resources, as printed
    """ + _SOURCE), key=("municipality_id", "year", "performance_goal_code")),
    Relation("activities", "PP activity", _c("""
        activity_id VARCHAR: <municipality_id>:<year>:<performance_goal_code>:<name slug> (etl/ids.py)
        municipality_id VARCHAR
        year INTEGER
        performance_goal_code VARCHAR
        objective_code VARCHAR
        printed_code VARCHAR: numbering printed before the name
        activity_name VARCHAR
        responsible_unit VARCHAR
        budget DOUBLE
        off_budget DOUBLE
        total DOUBLE
        gender_marker INTEGER
    """ + _SOURCE), key=("activity_id",)),
    Relation("program_totals", "PP × total line (Genel Yönetim, Transfer, GENEL TOPLAM…)", _c("""
        municipality_id VARCHAR
        year INTEGER
        line VARCHAR: activities / general_admin / transfers / budget_total / off_budget / grand_total
        label VARCHAR: as printed
        budget DOUBLE
        off_budget DOUBLE
        total DOUBLE
    """ + _SOURCE)),
    Relation("program_budget_parts", "PP economic code × part (activities / general admin / transfers)", _c("""
        municipality_id VARCHAR
        year INTEGER
        economic_code VARCHAR
        part VARCHAR: activities / general_admin / transfers
        amount DOUBLE
    """ + _SOURCE)),
    Relation("budget_lines", "municipality × year × phase × economic code", _c("""
        municipality_id VARCHAR
        year INTEGER
        phase VARCHAR: program / appropriation / spent; also initial_appropriation, added, reduced (FR Başlangıç Ödeneği, Eklenen, Düşülen)
        economic_code VARCHAR: 01 … 09
        label VARCHAR
        amount DOUBLE: TL
        raw VARCHAR
    """ + _SOURCE), key=("municipality_id", "year", "phase", "economic_code")),
    Relation("report_results", "FR Performans Sonuçları row (indicator or TL activity-cost row)", _c("""
        municipality_id VARCHAR
        year INTEGER
        row_type VARCHAR: indicator / activity_cost
        performance_goal_code VARCHAR
        indicator_code VARCHAR
        printed_code VARCHAR
        name VARCHAR
        unit VARCHAR
        target DOUBLE
        actual DOUBLE
        published_rate_pct DOUBLE
        target_raw VARCHAR
        actual_raw VARCHAR
        rate_raw VARCHAR
        deviation_reason VARCHAR
    """ + _SOURCE)),
    Relation("activity_results", "FR activity cost row (planned vs spent)", _c("""
        municipality_id VARCHAR
        year INTEGER
        performance_goal_code VARCHAR
        activity_name VARCHAR
        planned DOUBLE
        spent DOUBLE
        published_rate_pct DOUBLE
    """ + _SOURCE)),
    Relation("extracted_tables", "table camelot returned (after page joins)", _c("""
        document_id VARCHAR
        page INTEGER: first page of the table
        last_page INTEGER
        table_order INTEGER
        kind VARCHAR: table kind from etl/layouts/tables.toml, NULL when unrecognised
        flavor VARCHAR: camelot parser that produced it
        confidence DOUBLE: camelot's confidence
        n_rows INTEGER
        n_cols INTEGER
        header VARCHAR
    """), public=False),
    Relation("table_regions", "table × page it is printed on (where camelot found it)", _c("""
        document_id VARCHAR
        page INTEGER
        table_order INTEGER: the table's order on its first page (extracted_tables.table_order)
        kind VARCHAR
        x1 DOUBLE: left edge in PDF points
        y1 DOUBLE: bottom edge in PDF points (origin at the bottom-left corner)
        x2 DOUBLE: right edge
        y2 DOUBLE: top edge
        page_width DOUBLE: in PDF points
        page_height DOUBLE: in PDF points
    """), public=False),
    Relation("page_texts", "page of a strategic plan that carries text (the text pass's reading)", _c("""
        document_id VARCHAR: documents.document_id (strategic plans that loaded; programs and reports are tables)
        page INTEGER: 1-based page of the PDF
        text VARCHAR: the page's text layer as pypdfium2 reads it (line breaks kept, at most 20,000 characters)
    """), public=False, key=("document_id", "page")),
    Relation("validation_issues", "finding of the validation checks", _c("""
        document_id VARCHAR
        municipality_id VARCHAR
        severity VARCHAR: error / warning
        check_name VARCHAR
        message VARCHAR
        source_page INTEGER
    """)),
    # Analysis relations: filled by the analysis step; they exist (empty) until then.
    Relation("gender_tags", "tagged item", _c("""
        municipality_id VARCHAR
        item_kind VARCHAR: objective / indicator / activity
        item_key VARCHAR: <plan_start>:<code> for plan items, activity_id for activities
        year INTEGER
        marker INTEGER
        reason VARCHAR
        tag_source VARCHAR: rule / override
        item_name VARCHAR: the objective title, indicator name or activity name that was tagged
        rule_marker INTEGER: what the rules alone said (differs from marker when an override won)
        matched_terms VARCHAR: lexicon terms that matched, '; '-separated
    """)),
    Relation("left_out_objectives", "SP objective missing from a year's PP", _c("""
        municipality_id VARCHAR
        year INTEGER
        plan_start INTEGER
        objective_code VARCHAR
        objective_title VARCHAR
        responsible_unit VARCHAR
        gender_marker INTEGER
        plan_end INTEGER
        best_title_score DOUBLE: best rapidfuzz similarity of any unmatched PP goal title (0-100); high = check by hand
    """)),
    Relation("objective_coverage", "SP objective × PP year of the plan in force", _c("""
        municipality_id VARCHAR
        year INTEGER: performance program year
        plan_start INTEGER
        plan_end INTEGER
        objective_code VARCHAR
        objective_title VARCHAR
        responsible_unit VARCHAR
        covered BOOLEAN: some performance goal, activity or indicator of that PP refers to the objective
        matched_how VARCHAR: code / title / manual / none
        confidence DOUBLE: 0-1; 1 for code and manual links, the title similarity for title links, for none how sure the objective is really missing
        matched_by VARCHAR: what refers to it (performance goals, activity and indicator counts, or the note of a manual link)
        gender_marker INTEGER
    """)),
    Relation("left_out_rate", "municipality × PP year of the plan in force", _c("""
        municipality_id VARCHAR
        year INTEGER: performance program year
        plan_start INTEGER: the plan in force
        objectives INTEGER: objectives of that plan (rows of objective_coverage)
        left_out INTEGER: of them left out of the year's program (rows of left_out_objectives)
        left_out_gender INTEGER: of those, gender-related (gender_marker 1 or 2)
        left_out_pct DOUBLE: left_out / objectives × 100, rounded to 2
    """)),
    Relation("indicator_achievement", "indicator × year with a target", _c("""
        municipality_id VARCHAR
        year INTEGER
        objective_code VARCHAR
        indicator_code VARCHAR
        indicator_name VARCHAR
        unit VARCHAR
        baseline_value DOUBLE
        target_value DOUBLE
        actual_value DOUBLE
        achievement_pct DOUBLE
        plan_progress_pct DOUBLE
        published_rate_pct DOUBLE
        rate_mismatch BOOLEAN
        status VARCHAR
        plan_start INTEGER: the plan in force for the year
        plan_target_value DOUBLE: the SP target for the year (plan_progress_pct is measured against it when known)
        target_source VARCHAR: activity_report / performance_program / strategic_plan
        direction VARCHAR: increase / decrease / unknown (decrease: the target is below the baseline)
        cumulative BOOLEAN: the unit says kümülatif (values are running totals, not yearly amounts)
        weight_pct DOUBLE
        gender_marker INTEGER
    """ + _SOURCE)),
    Relation("objective_achievement", "SP objective × FR year: indicator results rolled up by weight", _c("""
        municipality_id VARCHAR
        year INTEGER
        plan_start INTEGER
        objective_code VARCHAR
        objective_title VARCHAR
        indicators_total INTEGER: indicators of the objective in the plan
        indicators_with_data INTEGER: those with a computable result this year
        weight_sum_pct DOUBLE: sum of weight_pct over the indicators with data
        weights_renormalised BOOLEAN: weights were rescaled to 100 (missing data, missing weights or a printed sum other than 100)
        weighted_achievement_pct DOUBLE: weighted mean of achievement_pct, each capped at 100
        weighted_progress_pct DOUBLE: weighted mean of plan_progress_pct, each capped to 0-100
        status VARCHAR: met / partial / not_met / no_data (from weighted_achievement_pct)
        gender_marker INTEGER
    """)),
    Relation("gender_budget", "municipality × year", _c("""
        municipality_id VARCHAR
        year INTEGER
        total_budget DOUBLE
        principal_budget DOUBLE
        significant_budget DOUBLE
        gender_share_pct DOUBLE
        total_budget_only DOUBLE
        principal_budget_only DOUBLE
        significant_budget_only DOUBLE
        total_spent DOUBLE
        principal_spent DOUBLE
        significant_spent DOUBLE
        gender_total_budget DOUBLE: principal_budget + significant_budget
        gender_share_budget_only_pct DOUBLE: the same share over the budget-only sums
        spent_rows_unmatched INTEGER: FR activity rows that matched no PP activity (left out of the spent sums)
        population BIGINT: municipalities.population (per-capita columns are NULL without it)
        total_budget_per_capita DOUBLE
        principal_budget_per_capita DOUBLE
        significant_budget_per_capita DOUBLE
        price_base_year INTEGER: real values are in TL at this year's prices (etl/analysis/cpi_tr.csv)
        cpi_index DOUBLE: annual average CPI of the year (2003=100); NULL when the deflator file lacks the year
        total_budget_real DOUBLE
        principal_budget_real DOUBLE
        significant_budget_real DOUBLE
        total_spent_real DOUBLE
        principal_spent_real DOUBLE
        significant_spent_real DOUBLE
        principal_share_pct DOUBLE: principal_budget / total_budget × 100, rounded to 2
        significant_share_pct DOUBLE: significant_budget / total_budget × 100, rounded to 2
        gender_execution_pct DOUBLE: (principal_spent + significant_spent) / (principal_budget_only + significant_budget_only) × 100, rounded to 2; NULL without an FR
    """)),
    Relation("gender_budget_units", "municipality × PP year × responsible unit", _c("""
        municipality_id VARCHAR
        year INTEGER
        responsible_unit VARCHAR: the activities' responsible unit as printed, '–' when an activity names none
        principal DOUBLE: sum of total (budget + off-budget) of its activities with marker 2
        significant DOUBLE: the same with marker 1
        not_targeted DOUBLE: the same with marker 0 or none
        total DOUBLE: sum of total of all its activities
        gender_share_pct DOUBLE: (principal + significant) / total × 100, rounded to 2; NULL when total is 0
    """), key=("municipality_id", "year", "responsible_unit")),
    Relation("budget_execution", "municipality × year × economic code of the FR budget table", _c("""
        municipality_id VARCHAR
        year INTEGER
        economic_code VARCHAR: 01 … 09, or TOTAL
        label VARCHAR
        program_amount DOUBLE: the PP's figure for the year
        initial_appropriation DOUBLE
        appropriation DOUBLE: year-end appropriation
        spent DOUBLE
        execution_rate_pct DOUBLE: spent / appropriation × 100, rounded to 2
    """)),
    Relation("indicator_kinds", "SP indicator, and PP indicator × year: people count, guide kind, proposed pair", _c("""
        municipality_id VARCHAR
        source_kind VARCHAR: plan (SP indicator) / program (PP indicator of that year)
        plan_start INTEGER: the plan (for program rows, the plan in force that year)
        year INTEGER: PP year; NULL for plan rows
        indicator_code VARCHAR
        indicator_name VARCHAR
        unit VARCHAR
        objective_code VARCHAR
        performance_goal_code VARCHAR: PP rows only
        responsible_unit VARCHAR: the performance goal's directorate, else the objective's
        gender_marker INTEGER
        counts_people BOOLEAN: unit kişi, or a people word before its 'sayısı'
        sex_disaggregated BOOLEAN: names women and men, or has a twin naming the other sex (kind 1)
        guide_kind INTEGER: the CSO guide's kind: 1 sex-disaggregated, 2 women or men in a specific situation, 3 general gender equality; NULL none
        names_women BOOLEAN
        names_men BOOLEAN
        people_word VARCHAR: the people word counted (folded), when found
        proposal_women VARCHAR: the women's indicator to propose (people counts that name neither sex)
        proposal_men VARCHAR: the men's indicator to propose
    """ + _SOURCE)),
    Relation("gender_scorecard", "municipality × strategic plan: the guide's gender-equality questions (Q14)", _c("""
        municipality_id VARCHAR
        plan_start INTEGER
        plan_end INTEGER
        sp_document_id VARCHAR: the strategic plan the answers are about
        gender_objective_answer VARCHAR: yes (a principal goal/objective) / partly (significant only) / no
        principal_items INTEGER: goals and objectives marked principal (2)
        significant_items INTEGER: goals and objectives marked significant (1)
        women_unit_answer VARCHAR: yes (owns objectives) / partly (cooperates, or in a PP only) / no
        women_units VARCHAR: women's / equality units named, '; '-separated
        women_unit_objectives INTEGER: objectives such a unit is responsible for
        indicators_answer VARCHAR: yes (at least 75 % of people counts by sex) / partly / no / unknown (no people counts)
        indicators_total INTEGER: the plan's indicators
        people_indicators INTEGER: indicators that count people
        sex_disaggregated_indicators INTEGER: people counts that are sex-disaggregated
        sex_disaggregated_share_pct DOUBLE: sex_disaggregated_indicators / people_indicators × 100
        kind1_indicators INTEGER: guide kind 1, sex-disaggregated
        kind2_indicators INTEGER: guide kind 2, women or men in a specific situation
        kind3_indicators INTEGER: guide kind 3, general gender equality
        women_organisations_answer VARCHAR: yes (named) / no (the plan's text speaks of consultation and names none) / unknown (it does not, or the warehouse holds no text of the plan)
        women_organisation_mentions INTEGER: objective fields and participation sentences (page_texts) naming a women's organisation
        participation_pages INTEGER: pages of the plan's running text with a sentence about consultation; NULL when page_texts holds no text of the plan
        figures_by_sex_answer VARCHAR: yes (a table by sex in the plan) / partly (in a PP or FR of the period only) / no
        sex_tables_in_plan INTEGER
        sex_tables_elsewhere INTEGER
        budget_answer VARCHAR: yes (principal budget every PP year) / partly / no / unknown (no PP)
        budget_years INTEGER: plan years with a PP budget
        principal_share_pct DOUBLE: principal (2) activities' total over all activities' total, plan years together
        significant_share_pct DOUBLE: significant (1), likewise
        score DOUBLE: yes 1, partly 0.5, no and unknown 0, over the six questions
        answers_known INTEGER: questions not unknown
    """), key=("municipality_id", "plan_start")),
    Relation("gender_scorecard_evidence", "item a scorecard answer rests on", _c("""
        municipality_id VARCHAR
        plan_start INTEGER
        question VARCHAR: gender_objective / women_unit / indicators / women_organisations / figures_by_sex / budget
        item_kind VARCHAR: goal / objective / indicator / unit / table / budget_year
        item_code VARCHAR: the item's code (for tables the document type, for budget years the year)
        item_name VARCHAR: title, name, unit or table header as printed
        detail VARCHAR: why it counts (marker, kind, field and term matched)
        year INTEGER: PP / FR year, when the item is from one
        value DOUBLE: marker, kind or share the item contributes
    """ + _SOURCE)),
    Relation("compare_figures", "municipality × PP year: the figures Compare sets side by side", _c("""
        municipality_id VARCHAR
        year INTEGER
        kind VARCHAR: district / metropolitan / provincial
        population BIGINT: the population used for the year's per-capita figures
        population_year INTEGER: the year that population counts (the nearest figure municipality.toml gives)
        population_source VARCHAR: where that figure comes from
        population_band VARCHAR: population band of the year (etl.analysis.comparison.POPULATION_BANDS)
        principal_share_pct DOUBLE: gender_budget.principal_share_pct
        significant_share_pct DOUBLE: gender_budget.significant_share_pct
        principal_per_capita DOUBLE: principal budget / population, nominal TL
        significant_per_capita DOUBLE: significant budget / population, nominal TL
        principal_real_per_capita DOUBLE: principal budget at price_base_year prices / population
        significant_real_per_capita DOUBLE: significant budget at price_base_year prices / population
        price_base_year INTEGER
        left_out_pct DOUBLE: left_out_rate.left_out_pct of the year
    """), key=("municipality_id", "year")),
    Relation("peer_medians", "kind × population band × PP year: the median of similar municipalities", _c("""
        kind VARCHAR
        population_band VARCHAR
        year INTEGER
        municipalities INTEGER: municipalities of that kind and band with figures for the year
        principal_share_pct DOUBLE: median over them
        significant_share_pct DOUBLE
        principal_per_capita DOUBLE
        significant_per_capita DOUBLE
        principal_real_per_capita DOUBLE
        significant_real_per_capita DOUBLE
        left_out_pct DOUBLE
    """), key=("kind", "population_band", "year")),
)

BY_NAME = {r.name: r for r in RELATIONS}


def markdown_table() -> str:
    """The data dictionary as a Markdown table (for the README)."""
    lines = ["| relation | one row per | columns |", "| --- | --- | --- |"]
    for r in RELATIONS:
        cols = ", ".join(f"`{c.name}`" for c in r.columns)
        lines.append(f"| `{r.name}`{'' if r.public else ' (internal)'} | {r.grain} | {cols} |")
    return "\n".join(lines)


README_START, README_END = "<!-- relations:start -->", "<!-- relations:end -->"


def readme_with_relations(readme: str) -> str:
    """The README text with its relations table regenerated from :data:`RELATIONS`."""
    head, _, rest = readme.partition(README_START)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_START}\n{markdown_table()}\n{README_END}{tail}"
