"""Every row of Tables 1 and 2 of the 2016 review is in the built graph with its exact values.

The expected values below were transcribed from the review independently of content/, so these
tests catch a curation slip as well as a builder bug. They ask the graph with SPARQL.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.vocabulary import PREFIXES
from tests.sparql_helpers import select

#: Table 1: cancer id -> (references for RANK, references for RANKL); None where the table has "–"
TABLE_1: dict[str, tuple[list[int], list[int] | None]] = {
    "bladder-carcinoma": ([51], None),
    "breast-carcinoma": ([51, 52, 53, 54, 55, 56], [57, 58, 59, 60]),
    "cervical-cancer": ([51, 61], [61]),
    "chondrosarcoma": ([62], [62, 63]),
    "colon-and-rectal-cancers": ([51], None),
    "endometrial-tumours": ([51], None),
    "oesophageal-tumours": ([51, 64], None),
    "giant-cell-tumour-of-bone": ([65], [63, 64, 65, 66]),
    "hepatocarcinoma": ([51, 67], [67, 68]),
    "lung-cancer": ([51, 69], [69]),
    "lymphoma": ([51, 70], [71, 72]),
    "melanoma": ([73, 74], None),
    "multiple-myeloma": ([75], [75, 76]),
    "neuroblastoma": ([51], [77]),
    "oral-squamous-carcinoma": ([78], [78]),
    "osteosarcoma": ([63, 79], [63, 79, 80]),
    "prostate-carcinoma": ([51, 73, 81, 82], [81, 83]),
    "renal-carcinoma": ([84], [84]),
    "thymic-tumours": ([51], None),
    "thyroid-adenocarcinoma": ([51, 85], [85]),
}

#: Table 2: NCT -> (phase, patients enrolled, primary outcome)
TABLE_2: dict[str, tuple[str, int, str]] = {
    "NCT01624766": ("I", 147, "Maximum tolerated dose"),
    "NCT01419717": ("III", 129, "Subject incidence of treatment-emergent adverse events"),
    "NCT01920568": (
        "III",
        477,
        "Percent change from baseline in the bone turnover marker (uNTx/uCr)",
    ),
    "NCT02470091": ("II", 90, "Disease control rate at months 4 and 12"),
    "NCT00396279": ("II", 37, "Percentage of patients with tumour response"),
    "NCT00680992": ("II", 530, "Safety profile of denosumab"),
    "NCT01951586": ("II", 226, "Relative benefit on overall survival"),
    "NCT02129699": ("III", 1000, "Overall survival"),
    "NCT00259740": ("II", 96, "Complete or partial response based on M-protein assessments"),
    "NCT01345019": ("III", 1700, "Time to the first on-study skeletal related event"),
    "NCT00330759": ("III", 1779, "Time to the first on-study skeletal-related event"),
    "NCT02099461": (
        "I",
        82,
        "Ratio of post-baseline to baseline Ki-67 index in mammary epithelial cells",
    ),
    "NCT01545648": ("II", 45, "Reduction of bone marrow disseminated tumour cells"),
    "NCT01952054": ("II", 35, "Reduction of circulating tumour cells"),
    "NCT01864798": ("II", 39, "Geometric mean change in tumour Ki-67 expression"),
    "NCT00091832": (
        "II",
        255,
        "Percent change from baseline to week 13 in creatinine-adjusted urinary N-telopeptide",
    ),
    "NCT01077154": ("III", 4509, "Bone metastasis-free survival"),
    "NCT00321464": ("III", 2049, "Time to first on-study skeletal related event"),
    "NCT00089661": (
        "III",
        252,
        "Lumbar spine bone mineral density percent change from baseline at month 12",
    ),
    "NCT02613416": ("II", 44, "Safety issue"),
    "NCT00321620": ("III", 1904, "Time to the first on-study skeletal-related event"),
    "NCT00286091": ("III", 1435, "Bone metastasis-free survival"),
    "NCT00089674": (
        "III",
        1468,
        "Lumbar spine bone mineral density percent change from baseline at month 24",
    ),
    "NCT01824342": (
        "III",
        18,
        "Number of patients with treatment-emergent adverse events and deaths",
    ),
}

#: Trials that give a drug besides denosumab (the rest give denosumab alone)
OTHER_DRUGS = {
    "NCT01624766": {"anakinra", "everolimus"},
    "NCT01920568": {"zoledronic-acid"},
    "NCT01345019": {"zoledronic-acid"},
    "NCT00330759": {"zoledronic-acid"},
    "NCT00321464": {"zoledronic-acid"},
    "NCT00321620": {"zoledronic-acid"},
}


def cited_references(graph: Graph, cancer: str, gene: str) -> list[int] | None:
    rows = select(
        graph,
        f"""SELECT ?n WHERE {{
            disease:{cancer} rko:expresses gene:{gene} .
            ?a rdf:subject disease:{cancer} ; rdf:predicate rko:expresses ; rdf:object gene:{gene} ;
               prov:wasDerivedFrom publication:renema-2016 ; rko:section "Table 1" .
            OPTIONAL {{ ?a rko:citedReference/rko:referenceNumber ?n }}
        }}""",
        convert=str,
    )
    return sorted(int(n) for (n,) in rows) if rows else None


@pytest.mark.parametrize("cancer", sorted(TABLE_1))
def test_table_1_row(real_graph: Graph, cancer: str) -> None:
    rank_refs, rankl_refs = TABLE_1[cancer]
    assert cited_references(real_graph, cancer, "TNFRSF11A") == rank_refs
    assert cited_references(real_graph, cancer, "TNFSF11") == rankl_refs


def test_cancers_expressing_both_rank_and_rankl(real_graph: Graph) -> None:
    rows = select(
        real_graph,
        """SELECT DISTINCT ?cancer WHERE {
            ?cancer a/rdfs:subClassOf* rko:Disease ; rko:expresses ?rank , ?rankl .
            ?rank rdfs:label "TNFRSF11A" . ?rankl rdfs:label "TNFSF11" .
        }""",
        convert=str,
    )
    expected = {
        f"https://w3id.org/rankl-kg/disease/{c}" for c, (_, rankl) in TABLE_1.items() if rankl
    }
    assert {cancer for (cancer,) in rows} == expected


@pytest.mark.parametrize("nct", sorted(TABLE_2))
def test_table_2_row(real_graph: Graph, nct: str) -> None:
    phase, enrollment, outcome = TABLE_2[nct]
    rows = select(
        real_graph,
        f"""SELECT ?phase ?enrollment ?outcome ?id WHERE {{
            trial:{nct} a rko:ClinicalTrial ; rko:nctId ?id ; rko:hasPhase ?p ;
                rko:enrollment ?enrollment ; rko:primaryOutcome ?outcome .
            ?p rdfs:label ?phase .
        }}""",
        convert=str,
    )
    assert rows == [(f"phase {phase}", str(enrollment), outcome, nct)]
    drugs = select(real_graph, f"SELECT ?d WHERE {{ trial:{nct} rko:testsDrug ?d }}", convert=str)
    expected = {"denosumab"} | OTHER_DRUGS.get(nct, set())
    assert expected <= {d.rsplit("/", 1)[-1] for (d,) in drugs}


def test_table_2_has_exactly_24_trials(real_graph: Graph) -> None:
    rows = select(
        real_graph, "SELECT (COUNT(?t) AS ?n) WHERE { ?t a rko:ClinicalTrial }", convert=str
    )
    assert rows == [("24",)]


def test_phase_3_denosumab_trials_in_breast_cancer(real_graph: Graph) -> None:
    """The issue's example question: which phase III denosumab trials enrolled breast-cancer
    patients, how many."""
    rows = select(
        real_graph,
        """SELECT ?nct ?n WHERE {
            ?t rko:hasPhase rko:PhaseIII ; rko:testsDrug drug:denosumab ;
               rko:studiesCondition disease:breast-cancer ; rko:nctId ?nct ; rko:enrollment ?n .
        } ORDER BY ?nct""",
        convert=str,
    )
    assert rows == [("NCT00089661", "252"), ("NCT00321464", "2049"), ("NCT01077154", "4509")]


def test_every_trial_assertion_carries_the_table_2_evidence(real_graph: Graph) -> None:
    rows = select(
        real_graph,
        """SELECT ?t WHERE {
            ?t a rko:ClinicalTrial .
            FILTER NOT EXISTS {
                ?a rdf:subject ?t ; rdf:predicate rko:enrollment ;
                    prov:wasDerivedFrom publication:renema-2016 ;
                   rko:section "Table 2" ; rko:quote ?q ; rko:quoteStart ?s ; rko:quoteEnd ?e .
            }
        }""",
        convert=str,
    )
    assert rows == []


def test_denosumab_regimen_is_structured(real_graph: Graph) -> None:
    rows = select(
        real_graph,
        """SELECT ?dose ?unit ?route ?every ?everyUnit WHERE {
            trial:NCT00321464 rko:hasDoseRegimen ?r .
            ?r rko:regimenDrug drug:denosumab ; rko:route ?route ;
               rko:dose [ rko:numericValue ?dose ; rko:unit ?unit ] ;
               rko:dosingInterval [ rko:numericValue ?every ; rko:unit ?everyUnit ] .
        }""",
        convert=str,
    )
    assert rows == [
        (
            "120.0",
            PREFIXES["unit"] + "MilliGM",
            PREFIXES["rko"] + "Subcutaneous",
            "4.0",
            PREFIXES["unit"] + "WK",
        )
    ]
