"""Namespaces of the graph: the ontology (``rko:``) and one entity namespace per kind.

Entity IRIs are ``https://w3id.org/rankl-kg/{kind}/{local_id}``; ``mint`` is the only place
that builds them, so they stay stable between builds.
"""

from __future__ import annotations

import hashlib

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.constants import BASE_IRI


class RKO(DefinedNamespace):
    """The RANKL-KG ontology (``ontology/rankl-kg.ttl``); unknown names raise."""

    _NS = Namespace(f"{BASE_IRI}ontology/")
    _fail = True

    # classes
    Gene: URIRef
    Protein: URIRef
    CellType: URIRef
    AnatomicalEntity: URIRef
    Disease: URIRef
    Cancer: URIRef
    Carcinoma: URIRef
    Sarcoma: URIRef
    Phenotype: URIRef
    AdverseEvent: URIRef
    Drug: URIRef
    MonoclonalAntibody: URIRef
    ChemicalEntity: URIRef
    BiologicalProcess: URIRef
    ClinicalTrial: URIRef
    TrialPhase: URIRef
    DoseRegimen: URIRef
    AdministrationRoute: URIRef
    Quantity: URIRef
    Publication: URIRef
    Assertion: URIRef
    # individuals
    PhaseI: URIRef
    PhaseII: URIRef
    PhaseIII: URIRef
    Subcutaneous: URIRef
    Intravenous: URIRef
    Oral: URIRef
    # object properties
    encodes: URIRef
    encodedBy: URIRef
    expresses: URIRef
    expressedIn: URIRef
    targets: URIRef
    targetedBy: URIRef
    studiesCondition: URIRef
    testsDrug: URIRef
    testedIn: URIRef
    hasPhase: URIRef
    hasDoseRegimen: URIRef
    regimenDrug: URIRef
    route: URIRef
    dose: URIRef
    dosingInterval: URIRef
    unit: URIRef
    citedReference: URIRef
    # datatype properties
    symbol: URIRef
    nctId: URIRef
    conditionDescription: URIRef
    primaryOutcome: URIRef
    enrollment: URIRef
    treatmentDescription: URIRef
    regimenDescription: URIRef
    numericValue: URIRef
    minValue: URIRef
    maxValue: URIRef
    quote: URIRef
    section: URIRef
    referenceNumber: URIRef
    quoteStart: URIRef
    quoteEnd: URIRef
    sourceTextSha256: URIRef
    # evidence qualifiers
    evidenceType: URIRef
    Polarity: URIRef
    Supports: URIRef
    Refutes: URIRef
    polarity: URIRef
    Certainty: URIRef
    Hedged: URIRef
    certainty: URIRef
    species: URIRef
    StudyModel: URIRef
    Patients: URIRef
    ClinicalTrialStudy: URIRef
    AnimalModel: URIRef
    CellLine: URIRef
    PrimaryCells: URIRef
    TissueSamples: URIRef
    CaseReport: URIRef
    studyModel: URIRef
    inContext: URIRef
    # service description
    queryTimeoutSeconds: URIRef
    resultRowLimit: URIRef
    # issue 3: therapy
    Biomarker: URIRef
    AdverseEventReport: URIRef
    DrugComparison: URIRef
    ClinicalRecommendation: URIRef
    PharmacodynamicEffect: URIRef
    DiseaseFrequency: URIRef
    DevelopmentStatus: URIRef
    EliminationRoute: URIRef
    ClinicalEndpoint: URIRef
    ComparisonResult: URIRef
    RecommendedAction: URIRef
    TreatmentPhase: URIRef
    Preclinical: URIRef
    UnderInvestigation: URIRef
    InClinicalTrials: URIRef
    DevelopmentSuspended: URIRef
    DevelopmentDiscontinued: URIRef
    ReticuloendothelialProteolysis: URIRef
    RenalExcretion: URIRef
    TimeToFirstSkeletalRelatedEvent: URIRef
    SkeletalRelatedEventRisk: URIRef
    MultipleSkeletalRelatedEventRisk: URIRef
    OverallSurvival: URIRef
    AdverseEventIncidence: URIRef
    OnsetOfAction: URIRef
    RenalSafety: URIRef
    Superior: URIRef
    SuperiorOrNonInferior: URIRef
    Similar: URIRef
    Higher: URIRef
    Supplementation: URIRef
    Monitoring: URIRef
    DentalExamination: URIRef
    AvoidInvasiveDentalProcedures: URIRef
    CorrectDeficiency: URIRef
    SequentialTherapy: URIRef
    BeforeTreatment: URIRef
    DuringTreatment: URIRef
    InitialWeeksOfTreatment: URIRef
    AfterDiscontinuation: URIRef
    binds: URIRef
    inhibits: URIRef
    induces: URIRef
    treats: URIRef
    reducesRiskOf: URIRef
    suitableFor: URIRef
    memberOfDrugClass: URIRef
    administrationRoute: URIRef
    eliminationRoute: URIRef
    developmentStatus: URIRef
    hasRegimen: URIRef
    bioavailability: URIRef
    timeToPeakConcentration: URIRef
    terminalHalfLife: URIRef
    suppresses: URIRef
    hasPharmacodynamicEffect: URIRef
    affectsBiomarker: URIRef
    timeToOnset: URIRef
    timeToMaximumEffect: URIRef
    measuredProtein: URIRef
    indicatesProcess: URIRef
    hasAdverseEvent: URIRef
    hasAdverseEventReport: URIRef
    reportedEvent: URIRef
    incidence: URIRef
    riskFactor: URIRef
    occursIn: URIRef
    inPopulation: URIRef
    hasComparison: URIRef
    comparator: URIRef
    endpoint: URIRef
    comparisonResult: URIRef
    comparedEvent: URIRef
    studyPhase: URIRef
    medianTimeGain: URIRef
    relativeRiskReduction: URIRef
    hasRecommendation: URIRef
    recommendedAction: URIRef
    recommendedAgent: URIRef
    recommendedDose: URIRef
    recommendedInterval: URIRef
    recommendedWhen: URIRef
    prevents: URIRef
    hasComponentEvent: URIRef
    hasComplication: URIRef
    hasFrequencyFinding: URIRef
    complication: URIRef
    frequency: URIRef
    antibodyIsotype: URIRef
    findingText: URIRef
    # issue 3: biology
    CellularLocation: URIRef
    MembraneBound: URIRef
    Soluble: URIRef
    SignallingStep: URIRef
    SignallingRole: URIRef
    LigandRole: URIRef
    ReceptorRole: URIRef
    AdaptorRole: URIRef
    KinaseRole: URIRef
    GProteinRole: URIRef
    TranscriptionFactorRole: URIRef
    EffectorGeneRole: URIRef
    CancerFinding: URIRef
    FindingType: URIRef
    ExpressionFrequency: URIRef
    PoorPrognosis: URIRef
    NoPrognosticValue: URIRef
    PositiveCorrelation: URIRef
    InverseCorrelation: URIRef
    formOf: URIRef
    isoformOf: URIRef
    cellularLocation: URIRef
    derivedFrom: URIRef
    generatedBy: URIRef
    receptorFor: URIRef
    decoyReceptorFor: URIRef
    bindsAdaptor: URIRef
    predominantAdaptor: URIRef
    sheds: URIRef
    activates: URIRef
    increasesExpressionOf: URIRef
    regulatesTranscriptionOf: URIRef
    hasComponent: URIRef
    produces: URIRef
    mainlyProduces: URIRef
    highlyExpresses: URIRef
    overexpresses: URIRef
    sequesters: URIRef
    positivelyRegulates: URIRef
    negativelyRegulates: URIRef
    regulates: URIRef
    participatesIn: URIRef
    releases: URIRef
    hasStep: URIRef
    stepRole: URIRef
    hasParticipant: URIRef
    repressedParticipant: URIRef
    stepNumber: URIRef
    lossOfFunctionPhenotype: URIRef
    requiredFor: URIRef
    lossOfFunctionLacks: URIRef
    overexpressionPhenotype: URIRef
    poorPrognosticMarkerIn: URIRef
    hasCancerFinding: URIRef
    findingGene: URIRef
    findingType: URIRef
    proportion: URIRef
    threshold: URIRef
    outcomeMeasure: URIRef
    cohortSize: URIRef
    # issue 3 last gaps: therapy
    PharmacokineticProperty: URIRef
    NonlinearPharmacokinetics: URIRef
    DoseDependentPharmacokinetics: URIRef
    PharmacodynamicProperty: URIRef
    DoseDependentEffect: URIRef
    ReversibleEffect: URIRef
    EffectPersistsAfterDiscontinuation: URIRef
    ClinicalOutcome: URIRef
    BoneMetastasisFreeSurvival: URIRef
    TimeToDiseaseProgression: URIRef
    QualityOfLife: URIRef
    RiskAssessment: URIRef
    PatientEducation: URIRef
    CareCoordination: URIRef
    EnsureDietaryIntake: URIRef
    ManageOralInfection: URIRef
    pharmacokineticProperty: URIRef
    pharmacodynamicProperty: URIRef
    improvesOutcome: URIRef
    synergisesWith: URIRef
    triggeringCondition: URIRef
    # issue 3 last gaps: molecular biology
    ProteinDomain: URIRef
    MembraneTopology: URIRef
    TypeITransmembrane: URIRef
    TypeIIMembrane: URIRef
    OligomericState: URIRef
    Homotrimer: URIRef
    Trimer: URIRef
    MembraneSide: URIRef
    Extracellular: URIRef
    Cytoplasmic: URIRef
    ProteinTerminus: URIRef
    NTerminus: URIRef
    CTerminus: URIRef
    RepeatMotif: URIRef
    CysteineRichRepeat: URIRef
    hasDomain: URIRef
    membraneTopology: URIRef
    oligomericState: URIRef
    hasSignalPeptide: URIRef
    membraneSide: URIRef
    atTerminus: URIRef
    repeatMotif: URIRef
    repeatCount: URIRef
    glycosylationSiteCount: URIRef
    bindingSiteCount: URIRef
    domainBinds: URIRef
    regulatesExpressionOf: URIRef
    associatedWith: URIRef


OBO = Namespace("http://purl.obolibrary.org/obo/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
SCHEMA = Namespace("http://schema.org/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VANN = Namespace("http://purl.org/vocab/vann/")

#: Entity kinds and the path segment of their IRIs; the prefix is bound under the same name
ENTITY_KINDS = (
    "gene",
    "protein",
    "cell",
    "anatomy",
    "disease",
    "drug",
    "chemical",
    "process",
    "trial",
    "publication",
    "assertion",
    "quantity",
)

#: Prefixes bound in every graph the build writes
PREFIXES: dict[str, str] = {
    "rko": str(RKO._NS),
    **{kind: f"{BASE_IRI}{kind}/" for kind in ENTITY_KINDS},
    "obo": str(OBO),
    "biolink": str(BIOLINK),
    "schema": str(SCHEMA),
    "bibo": str(BIBO),
    "cito": str(CITO),
    "prism": str(PRISM),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "vann": str(VANN),
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def mint(kind: str, local_id: str) -> URIRef:
    """Return the IRI of an entity of ``kind`` with ``local_id``.

    >>> mint("gene", "TNFSF11")
    rdflib.term.URIRef('https://w3id.org/rankl-kg/gene/TNFSF11')
    """
    if kind not in ENTITY_KINDS:
        raise ValueError(f"unknown entity kind {kind!r}; expected one of {', '.join(ENTITY_KINDS)}")
    return URIRef(f"{BASE_IRI}{kind}/{local_id}")


def mint_hashed(kind: str, *parts: str) -> URIRef:
    """Return a stable IRI for a node identified by its content (assertions, quantities).

    The local name is the first 16 hex digits of the SHA-256 of the parts, so the same content
    always gets the same IRI and no blank nodes are needed.
    """
    return mint(kind, content_hash(*parts))


def content_hash(*parts: str) -> str:
    """Return the first 16 hex digits of the SHA-256 of ``parts`` (joined by a unit separator)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def new_graph() -> Graph:
    """Return an empty graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
