"""Where the graph lives: embedded networkx (the default) or a Neo4j server, behind one query API.

Both answer `samverkan.registry.query.QueryBackend`; the Neo4j backend selects with Cypher the part
of the graph a query needs and answers with the embedded code, so both give the same JSON.
"""
