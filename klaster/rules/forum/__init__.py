"""A forum of clusters (SPEC §7, FOR-1, FOR-2): what its clusters compare, pure.

- :mod:`~klaster.rules.forum.sets` — indicator sets as versioned data (the KKK 2021 edition
  first), and the figures of one cluster read from its KKK evaluation;
- :mod:`~klaster.rules.forum.compare` — the comparison a reader may see: only what each cluster
  shares, each against the median and the best, anonymised unless the cluster agreed to be named.
"""
