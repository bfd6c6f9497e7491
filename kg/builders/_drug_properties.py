"""The drug-fact properties: the value field each needs (entity, term, quantity) and its predicate.

A helper of :mod:`kg.builders.drug_facts`; a ``_`` module is not a builder of its own.
"""

from __future__ import annotations

from typing import Literal as Choice

from rdflib import URIRef

from kg.namespaces import RKO

#: Entity-valued property -> (predicate, kinds its object may be)
ENTITY_PROPERTIES: dict[str, tuple[URIRef, tuple[str, ...]]] = {
    "binds": (RKO.binds, ("protein",)),
    "inhibits": (RKO.inhibits, ("protein", "process")),
    "induces": (RKO.induces, ("process",)),
    "treats": (RKO.treats, ("disease",)),
    "reduces-risk-of": (RKO.reducesRiskOf, ("disease",)),
    "suitable-for": (RKO.suitableFor, ("disease",)),
    "member-of": (RKO.memberOfDrugClass, ("drug",)),
    "suppresses": (RKO.suppresses, ("protein",)),
    "synergises-with": (RKO.synergisesWith, ("drug",)),
}
ROUTES = {"subcutaneous": RKO.Subcutaneous, "intravenous": RKO.Intravenous, "oral": RKO.Oral}
#: Property whose value is a term of a closed list -> (predicate, value in the table -> term)
CHOICE_PROPERTIES: dict[str, tuple[URIRef, dict[str, URIRef]]] = {
    "route": (RKO.administrationRoute, ROUTES),
    "elimination": (
        RKO.eliminationRoute,
        {
            "reticuloendothelial-proteolysis": RKO.ReticuloendothelialProteolysis,
            "renal-excretion": RKO.RenalExcretion,
        },
    ),
    "status": (
        RKO.developmentStatus,
        {
            "preclinical": RKO.Preclinical,
            "under-investigation": RKO.UnderInvestigation,
            "in-clinical-trials": RKO.InClinicalTrials,
            "suspended": RKO.DevelopmentSuspended,
            "discontinued": RKO.DevelopmentDiscontinued,
        },
    ),
    "pharmacokinetics": (
        RKO.pharmacokineticProperty,
        {
            "nonlinear": RKO.NonlinearPharmacokinetics,
            "dose-dependent": RKO.DoseDependentPharmacokinetics,
        },
    ),
    "pharmacodynamics": (
        RKO.pharmacodynamicProperty,
        {
            "dose-dependent": RKO.DoseDependentEffect,
            "reversible": RKO.ReversibleEffect,
            "persists-after-discontinuation": RKO.EffectPersistsAfterDiscontinuation,
        },
    ),
    "improves": (
        RKO.improvesOutcome,
        {
            "bone-metastasis-free-survival": RKO.BoneMetastasisFreeSurvival,
            "time-to-disease-progression": RKO.TimeToDiseaseProgression,
            "quality-of-life": RKO.QualityOfLife,
        },
    ),
}
#: Quantity-valued property -> predicate
QUANTITY_PROPERTIES = {
    "bioavailability": RKO.bioavailability,
    "time-to-peak": RKO.timeToPeakConcentration,
    "half-life": RKO.terminalHalfLife,
}
DrugProperty = Choice[
    "binds",
    "inhibits",
    "induces",
    "treats",
    "reduces-risk-of",
    "suitable-for",
    "member-of",
    "suppresses",
    "synergises-with",
    "route",
    "elimination",
    "status",
    "pharmacokinetics",
    "pharmacodynamics",
    "improves",
    "bioavailability",
    "time-to-peak",
    "half-life",
    "isotype",
    "regimen",
]


def value_field(prop: str) -> str:
    """Return the record field that holds the value of ``prop``."""
    if prop in ENTITY_PROPERTIES:
        return "object"
    if prop in QUANTITY_PROPERTIES:
        return "quantity"
    return "regimen" if prop == "regimen" else "value"


def predicate(prop: str) -> URIRef:
    """Return the ontology property of a table property."""
    if prop in ENTITY_PROPERTIES:
        return ENTITY_PROPERTIES[prop][0]
    if prop in CHOICE_PROPERTIES:
        return CHOICE_PROPERTIES[prop][0]
    if prop in QUANTITY_PROPERTIES:
        return QUANTITY_PROPERTIES[prop]
    return RKO.hasRegimen if prop == "regimen" else RKO.antibodyIsotype
