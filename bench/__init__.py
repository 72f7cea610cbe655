"""End-to-end benchmark of the running ocsea-hub: `python -m bench --help`.

It offers a realistic stream of reports to the intake topics of the running system and
measures what comes out on the case and task topics, next to raw Kafka and raw Cypher
baselines taken on the same host in the same run. Results go to bench/results/latest.json.
"""
