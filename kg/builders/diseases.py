"""Diseases (``content/diseases.csv``): cancers, bone diseases and clinical phenotypes."""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import Field

from kg.builders._entity import EntityBuilder, EntityRecord
from kg.namespaces import RKO

DiseaseClass = Choice["Cancer", "Carcinoma", "Sarcoma", "Disease", "Phenotype"]


class DiseaseRecord(EntityRecord):
    """A disease row; ``class`` says which ontology class it belongs to."""

    disease_class: DiseaseClass = Field(alias="class")


class DiseaseBuilder(EntityBuilder[DiseaseRecord]):
    """Diseases, typed by their row's class, linked to MONDO, DOID, NCIt and HP."""

    name = "diseases"
    kind = "disease"
    model = DiseaseRecord
    rdf_class = RKO.Disease
    context = RKO.inDisease
    class_column = "disease_class"
    expected_links = {RKO.Disease: ("MONDO", "DOID", "NCIT"), RKO.Phenotype: ("HP",)}
