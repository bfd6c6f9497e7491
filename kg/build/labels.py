"""Label agreement with the reference table: does an entity's name fit the term it links to?

Names are compared folded: case, Greek letters spelled out, British spellings made American,
punctuation as spaces. Builders check each link as rows are read, so a wrong link is a content
error of its row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kg.build.xrefs import ReferenceTerm

#: British spellings the reviews use -> the American spelling most ontologies use
SPELLINGS = (
    ("signalling", "signaling"),
    ("tumour", "tumor"),
    ("oesophag", "esophag"),
    ("haem", "hem"),
    ("aemia", "emia"),
    ("oestr", "estr"),
)
#: A UniProtKB entry name such as ``TNF11_HUMAN``: an accession's mnemonic, not a protein name
UNIPROT_ENTRY_NAME = re.compile(r"^[A-Z0-9]{1,10}_[A-Z0-9]{1,5}$")
#: Notes the reference table appends to a synonym
SYNONYM_NOTE = re.compile(r"\s*(\[[^\]]*\]|\(HGNC gene symbol\))\s*$")
BRACKETED = re.compile(r"\s*\(([^()]*)\)\s*")


def normalise_label(text: str) -> str:
    """Return ``text`` in the form labels are compared in.

    Case-folded, Greek letters spelled out, British spellings made American, and every run of
    punctuation or spaces turned into one space.

    >>> normalise_label("NF-κB signalling")
    'nf kappab signaling'
    """
    spelled = "".join(greek_name(char) for char in text.casefold())
    for british, american in SPELLINGS:
        spelled = spelled.replace(british, american)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", spelled).split())


def greek_name(char: str) -> str:
    """Spell a Greek letter out (``κ`` -> ``kappa``); return any other character as it is."""
    name = unicodedata.name(char, "")
    return name.rsplit(" ", 1)[-1].lower() if name.startswith("GREEK SMALL LETTER") else char


def seed_name_readings(entity: str) -> set[str]:
    """Return the readings of a reference row's ``entity`` name.

    The reference table brackets the reading it mapped, as an alternative to the whole name or
    to the word before the bracket: ``hepatocarcinoma (hepatocellular carcinoma)`` stands for
    both names, ``multinucleated (mature) osteoclast`` for a multinucleated and a mature one.

    >>> for reading in sorted(seed_name_readings("multinucleated (mature) osteoclast")):
    ...     print(reading)
    mature
    mature osteoclast
    multinucleated (mature) osteoclast
    multinucleated osteoclast
    """
    readings = {entity, BRACKETED.sub(" ", entity).strip(), *BRACKETED.findall(entity)}
    for match in BRACKETED.finditer(entity):
        before = entity[: match.start()].rsplit(" ", 1)[0] if " " in entity[: match.start()] else ""
        readings.add(" ".join(part for part in (before, match[1], entity[match.end() :]) if part))
    return readings


def reference_names(term: ReferenceTerm) -> set[str]:
    """Return the normalised names an entity linked to ``term`` may carry.

    The label, the synonyms and the readings of the reference ``entity`` name; for a UniProt entry
    name (``TNF11_HUMAN``) the gene symbol the table gives instead of the label, because the
    table has no protein names.
    """
    synonyms = {SYNONYM_NOTE.sub("", synonym) for synonym in term.synonyms}
    names = synonyms | seed_name_readings(term.entity)
    if not UNIPROT_ENTRY_NAME.match(term.label):
        names.add(term.label)
    return {normalise_label(name) for name in names} - {""}


def label_problem(
    subject: str, curie: str, term: ReferenceTerm, names: Iterable[str]
) -> str | None:
    """Say why ``names`` (an entity's id, label, synonyms) do not fit ``term``, or return None."""
    own = [name for name in names if name]
    if {normalise_label(name) for name in own} & reference_names(term):
        return None
    shown = " | ".join(own)
    return (
        f"label mismatch for {subject}: {curie} is {term.label!r} in the reference table "
        f"(entity {term.entity!r}), but the entity is called {shown!r}; fix the link, or add "
        f"the reference name as a synonym if it is the same thing"
    )
