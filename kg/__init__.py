"""RANKL-KG: build a knowledge graph of RANK/RANKL/OPG signalling in cancer from curated tables."""

__version__ = "0.1.0"
