"""The instrument files this package offers to allykit (one ``<id>.json`` each)."""
