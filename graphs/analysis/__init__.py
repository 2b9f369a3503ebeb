"""What the registry's graph says: overlaps (stated and inferred), duplicates, gaps and brokers.

Each module is one analysis over a networkx MultiDiGraph built by `samverkan.graphs.backends`;
the node and edge attributes they read are listed in `samverkan.graphs.contract`.
"""
