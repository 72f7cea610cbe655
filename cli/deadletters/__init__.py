"""Dead letters on the host: what was refused and why, and putting back what may now go through.

    python -m cli.deadletters summary                 # how many, by reason and by source
    python -m cli.deadletters list [--reason R] [--source S] [--since ISO] [--limit 50]
    python -m cli.deadletters replay --reason link_failed [--source S] [--since ISO]
                                     [--id EVENT_ID] [--yes] [--again]

Every message a worker, an agent or a door refused is kept on the dead-letter topic (kept
for ever) with its reason, its source ("topic/partition@offset", or the HTTP route) and its
bytes. A report refused for a passing reason (`link_failed: ...` while the graph refused a
batch, `events_failed: ...`, an agency's `receive_failed: ...`) is linked only when its bytes
go back to the topic they came from: `replay` sends them there, to the same partition, and
the worker takes them as any other message. Each replay is recorded beside its dead letter
(DeadLetterReplayed, naming where the copy went): a later replay leaves it unless `--again`,
and leaves it even with `--again` if its last copy was refused again (that dead letter, with
the same bytes, is the one to replay), and `list` shows when it was sent back and whether
the copy was refused again. The exit status is 1 when a copy was not sent or its replay not
recorded. Sending one twice is safe still: a report already linked answers with its stored
outcome, a task already received with its first receipt.

`replay` shows what it would send and sends only with `--yes`. It never sends: a message
that came through a door (the door answered its sender with the errors), one withheld as
possible media (never kept), or an empty one (a tombstone). An event Kafka refused on its
way out (`refused_by_kafka: ...`, larger than its topic takes; its source names the topic
and key it was going to) is sent on to that topic with its key, to the partition the key
picks, once the topic's limit has been raised (max.message.bytes): else it is refused again,
and the tool says so. Only to the topics the workers and the outbox relay write;
`--reason refused_by_kafka --source TOPIC` picks those that were going to TOPIC. A record
too large for a dead letter to hold is kept as the dead letter of the message a worker made
it from (`output_refused_by_kafka: ...`, its source the message's, its `output_refused`
error's field the topic that refused the record): replayed as any other, the message makes
it again, refused again unless that topic's limit was raised. A message
too large to copy into its dead letter is read back from its source while that topic still
keeps it. A message refused by the contract goes back as it was: unless the code that
refused it changed, it is refused again (a second dead letter, naming the new offset), and
the tool says so.

The tool prints no reporter's data: counts, reasons, sources, ids, sizes and the errors'
codes and fields. This reads Kafka directly and is for operators on the host, as the graph's
exclusion tool is; people use the HTTP API.
"""
