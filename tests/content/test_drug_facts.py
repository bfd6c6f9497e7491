"""Drug pharmacology in the real graph: mechanism, isotype, pharmacokinetics, pharmacodynamics,
regimens, indications and the status of emerging agents."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph

from kg.namespaces import RKO, UNIT, mint
from tests.sparql_helpers import rows


def test_denosumab_pharmacokinetics_are_typed_quantities(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?property ?value ?min ?max ?unit WHERE {
            VALUES ?property
                { rko:bioavailability rko:timeToPeakConcentration rko:terminalHalfLife }
            drug:denosumab ?property ?q . ?q rko:unit ?unit .
            OPTIONAL { ?q rko:numericValue ?value } OPTIONAL { ?q rko:minValue ?min } OPTIONAL
                { ?q rko:maxValue ?max } }""",
    )
    assert set(found) == {
        (RKO.bioavailability, Decimal(61), None, None, UNIT.PERCENT),
        (RKO.timeToPeakConcentration, None, None, Decimal(10), UNIT.DAY),
        (RKO.terminalHalfLife, None, Decimal(25), Decimal(28), UNIT.DAY),
    }


def test_half_life_traces_to_its_sentence(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?source ?section ?quote WHERE {
            drug:denosumab rko:terminalHalfLife ?q .
            ?a rdf:subject drug:denosumab ; rdf:predicate rko:terminalHalfLife ; rdf:object ?q ;
               prov:wasDerivedFrom ?source ; rko:section ?section ; rko:quote ?quote . }""",
    )
    assert found == [
        (
            mint("publication", "saxena-2025"),
            "Pharmacokinetics and pharmacodynamics of denosumab",
            "The terminal half-life ranges between 25 to 28 days",
        )
    ]


def test_denosumab_is_an_igg2_given_subcutaneously_and_cleared_without_the_kidneys(
    real_graph: Graph,
) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?isotype ?route ?elimination WHERE {
            drug:denosumab rko:antibodyIsotype ?isotype ; rko:administrationRoute ?route .
            ?a rdf:subject drug:denosumab ; rdf:predicate rko:eliminationRoute ;
                rdf:object ?elimination ;
               rko:polarity rko:Supports . }""",
    )
    assert found == [("IgG2", RKO.Subcutaneous, RKO.ReticuloendothelialProteolysis)]
    refuted = rows(
        real_graph,
        """
        SELECT ?route WHERE { ?a rdf:subject drug:denosumab ; rdf:predicate rko:eliminationRoute ;
                              rdf:object ?route ; rko:polarity rko:Refutes . }""",
    )
    assert refuted == [(RKO.RenalExcretion,)]


def test_ctx_is_suppressed_within_three_days_and_maximally_within_a_month(
    real_graph: Graph,
) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?label ?onset ?onsetUnit ?peak ?peakUnit WHERE {
            drug:denosumab rko:suppresses ?marker ; rko:hasPharmacodynamicEffect ?e .
            ?e rko:affectsBiomarker ?marker ; rko:timeToOnset [ rko:maxValue ?onset ;
                rko:unit ?onsetUnit ] ;
               rko:timeToMaximumEffect [ rko:maxValue ?peak ; rko:unit ?peakUnit ] .
            ?marker rdfs:label ?label . }""",
    )
    assert found == [
        ("C-terminal telopeptide of type I collagen", Decimal(3), UNIT.DAY, Decimal(1), UNIT.MO)
    ]


def test_denosumab_regimen_for_bone_metastases(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?dose ?doseUnit ?every ?everyUnit ?context WHERE {
            drug:denosumab rko:hasRegimen ?r .
            ?r rko:route rko:Subcutaneous ; rko:dose [ rko:numericValue ?dose ;
                rko:unit ?doseUnit ] ;
               rko:dosingInterval [ rko:numericValue ?every ; rko:unit ?everyUnit ] .
            ?a rdf:subject drug:denosumab ; rdf:predicate rko:hasRegimen ; rdf:object ?r ;
                rko:inDisease ?context . }""",
    )
    assert found == [
        (Decimal(120), UNIT.MilliGM, Decimal(4), UNIT.WK, mint("disease", "bone-metastasis"))
    ]


def test_mechanisms_of_denosumab_and_bisphosphonates_differ(real_graph: Graph) -> None:
    targets = rows(
        real_graph,
        """
        SELECT ?drug ?target WHERE { VALUES ?drug { drug:denosumab drug:bisphosphonates }
                                     ?drug rko:inhibits ?target . ?target a rko:Protein . }""",
    )
    assert set(targets) == {
        (mint("drug", "denosumab"), mint("protein", "TNFSF11")),
        (mint("drug", "bisphosphonates"), mint("protein", "FDPS")),
    }
    members = rows(real_graph, "SELECT ?d WHERE { ?d rko:memberOfDrugClass drug:bisphosphonates }")
    assert set(members) == {(mint("drug", "zoledronic-acid"),), (mint("drug", "pamidronate"),)}


def test_both_reviews_give_the_status_of_opg_fc(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?status ?source WHERE { ?a rdf:subject drug:opg-fc ;
            rdf:predicate rko:developmentStatus ;
                                          rdf:object ?status ; prov:wasDerivedFrom ?source . }""",
    )
    assert set(found) == {
        (RKO.DevelopmentSuspended, mint("publication", "renema-2016")),
        (RKO.Preclinical, mint("publication", "saxena-2025")),
    }


def test_emerging_agents_targets_and_status(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?agent ?target ?status WHERE {
            ?agent rko:developmentStatus ?status . OPTIONAL { ?agent rko:targets ?target } }""",
    )
    assert (
        mint("drug", "odanacatib"),
        mint("protein", "CTSK"),
        RKO.DevelopmentDiscontinued,
    ) in found
    assert (
        mint("drug", "sclerostin-targeting-agents"),
        mint("protein", "SOST"),
        RKO.UnderInvestigation,
    ) in found
    assert (
        mint("drug", "dkk1-targeting-agents"),
        mint("protein", "DKK1"),
        RKO.UnderInvestigation,
    ) in found
    assert (mint("drug", "immune-checkpoint-inhibitors"), None, RKO.InClinicalTrials) in found
    assert (mint("drug", "radium-223"), None, RKO.UnderInvestigation) in found
    bispecific_targets = {
        target
        for agent, target, _ in found
        if agent == mint("drug", "bispecific-anti-rankl-antibodies")
    }
    assert bispecific_targets == {mint("protein", p) for p in ("TNFSF11", "IL6", "DKK1")}


def test_sorafenib_and_denosumab_osteosarcoma_case(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?drug ?ref WHERE { ?a rdf:subject ?drug ; rdf:predicate rko:treats ;
            rdf:object disease:osteosarcoma ;
                                     rko:studyModel rko:CaseReport ;
                                         rko:citedReference [ rko:referenceNumber ?ref ] . }""",
    )
    assert set(found) == {(mint("drug", "sorafenib"), 93), (mint("drug", "denosumab"), 93)}


def test_rank_fc_reduced_tumorigenesis_in_mice(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?process ?species WHERE { ?a rdf:subject drug:rank-fc ; rdf:predicate rko:inhibits ;
                                            rdf:object ?process ; rko:species ?species . }""",
    )
    mouse = real_graph.namespace_manager.expand_curie("obo:NCBITaxon_10090")
    assert set(found) == {
        (mint("process", "tumorigenesis"), mouse),
        (mint("process", "metastasis"), mouse),
    }


#: Saxena 2025 on what blocking RANKL disrupts
DOWNSTREAM_QUOTE = (
    "This inhibition disrupts essential downstream signaling pathways, including NF-kB, MAPK, "
    "and PI3K/Akt"
)


def test_denosumab_disrupts_the_signalling_downstream_of_rank(real_graph: Graph) -> None:
    found = {
        process
        for (process,) in rows(
            real_graph,
            f"""
        SELECT ?p WHERE {{ drug:denosumab rko:inhibits ?p .
            ?a rdf:subject drug:denosumab ; rdf:object ?p ; rko:quote "{DOWNSTREAM_QUOTE}" }}""",
        )
    }
    assert found == {
        mint("process", p) for p in ("nf-kb-signalling", "mapk-cascade", "pi3k-akt-signalling")
    }


def test_sre_risk_reduction_per_cancer_and_review(real_graph: Graph) -> None:
    found = set(
        rows(
            real_graph,
            """
        SELECT ?cancer ?source WHERE {
            ?a rdf:subject drug:denosumab ; rdf:predicate rko:reducesRiskOf ;
                rdf:object disease:skeletal-related-event ;
               rko:inDisease ?cancer ; prov:wasDerivedFrom ?source .
                   FILTER (?cancer != disease:bone-metastasis) }""",
        )
    )
    renema, saxena = mint("publication", "renema-2016"), mint("publication", "saxena-2025")
    assert {
        (mint("disease", "breast-carcinoma"), renema),
        (mint("disease", "prostate-carcinoma"), renema),
        (mint("disease", "lung-cancer"), saxena),
        (mint("disease", "renal-carcinoma"), saxena),
    } <= found


def test_denosumab_pharmacokinetics_are_nonlinear_and_dose_dependent(real_graph: Graph) -> None:
    found = set(
        rows(
            real_graph,
            """
        SELECT ?property ?quote WHERE { drug:denosumab rko:pharmacokineticProperty ?property .
            ?a rdf:subject drug:denosumab ; rdf:predicate rko:pharmacokineticProperty ;
                rdf:object ?property ;
               rko:quote ?quote . }""",
        )
    )
    quote = "Its pharmacokinetics are nonlinear and dosedependent"
    assert found == {
        (RKO.NonlinearPharmacokinetics, quote),
        (RKO.DoseDependentPharmacokinetics, quote),
    }


def test_denosumab_effect_on_turnover_markers_is_dose_dependent_and_reversible(
    real_graph: Graph,
) -> None:
    properties = set(
        rows(real_graph, "SELECT ?p WHERE { drug:denosumab rko:pharmacodynamicProperty ?p }")
    )
    assert properties == {(RKO.DoseDependentEffect,), (RKO.ReversibleEffect,)}
    quotes = {
        quote
        for (quote,) in rows(
            real_graph,
            """
        SELECT ?quote WHERE { ?a rdf:subject drug:denosumab ;
            rdf:predicate rko:pharmacodynamicProperty ;
                              rdf:object rko:ReversibleEffect ; rko:quote ?quote . }""",
        )
    }
    assert (
        "if treatment is interrupted or discontinued, bone turnover markers begin to rise, "
        "reflecting the reversible nature of Denosumab's action"
    ) in quotes
    assert "Denosumab's effects diminish once it is cleared from systemic circulation" in quotes


def test_bisphosphonate_effect_persists_after_discontinuation_unlike_denosumab(
    real_graph: Graph,
) -> None:
    found = set(
        rows(
            real_graph,
            """
        SELECT ?drug ?p WHERE { VALUES ?drug { drug:denosumab drug:bisphosphonates }
                                ?drug rko:pharmacodynamicProperty ?p .
                                FILTER (?p IN (rko:ReversibleEffect,
                                               rko:EffectPersistsAfterDiscontinuation)) }""",
        )
    )
    assert found == {
        (mint("drug", "denosumab"), RKO.ReversibleEffect),
        (mint("drug", "bisphosphonates"), RKO.EffectPersistsAfterDiscontinuation),
    }


def test_bone_metastasis_free_survival_improved_without_comparator(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?section ?model WHERE
            { drug:denosumab rko:improvesOutcome rko:BoneMetastasisFreeSurvival .
            ?a rdf:subject drug:denosumab ; rdf:predicate rko:improvesOutcome ;
                rdf:object rko:BoneMetastasisFreeSurvival ;
               rko:section ?section ; rko:studyModel ?model ;
                   prov:wasDerivedFrom publication:saxena-2025 . }""",
    )
    assert found == [("Clinical evidence and comparative studies", RKO.ClinicalTrialStudy)]
    outcomes = set(rows(real_graph, "SELECT ?o WHERE { drug:denosumab rko:improvesOutcome ?o }"))
    assert outcomes == {
        (RKO.BoneMetastasisFreeSurvival,),
        (RKO.TimeToDiseaseProgression,),
        (RKO.QualityOfLife,),
    }


def test_radium_223_synergy_with_rankl_inhibitors_is_only_hedged(real_graph: Graph) -> None:
    assert (
        mint("drug", "radium-223"),
        RKO.synergisesWith,
        mint("drug", "rankl-inhibitors"),
    ) not in real_graph
    found = rows(
        real_graph,
        """
        SELECT ?certainty ?section WHERE { ?a rdf:subject drug:radium-223 ;
            rdf:predicate rko:synergisesWith ;
            rdf:object drug:rankl-inhibitors ; rko:certainty ?certainty ; rko:section ?section .
                }""",
    )
    assert found == [(RKO.Hedged, "Future perspectives")]


def test_hypercalcaemia_treatment_cites_its_references(real_graph: Graph) -> None:
    found = set(
        rows(
            real_graph,
            """
        SELECT ?number WHERE { ?a rdf:subject drug:denosumab ; rdf:predicate rko:treats ;
            rdf:object disease:hypercalcaemia-of-malignancy ;
                rko:citedReference/rko:referenceNumber ?number . }""",
        )
    )
    assert found == {(8,), (12,)}
