"""Synthetic benchmark data for `lineage` (independent ground truth; never imports `lineage`)."""
