"""Decide, for a batch of reports, which case each joins: pure, so it is tested without Neo4j.

Reports that share a linkable identifier or an existing case, directly or through each
other, form one group.
A group that touches no case opens one (named after its first report); a group touching
several cases merges them into the oldest, and the merge is put on the first report that
itself touched two of them. Every report ends in the case it would reach if the reports
were linked one by one; only a case that would open and then merge within the batch is
never opened.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReportKeys:
    report_id: str
    keys: Sequence[str]  # linkable identifier keys only (not excluded, under the degree cap)


@dataclass(frozen=True)
class Decision:
    report_id: str
    case_id: str
    kind: str  # opened | linked | merged
    merged_case_ids: list[str] = field(default_factory=list)
    shared_keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Merge:
    survivor: str
    losers: list[str]
    report_id: str
    shared_keys: list[str]


@dataclass
class Plan:
    decisions: list[Decision]  # in input order
    opened: list[tuple[str, str]]  # (case id, report id)
    merges: list[Merge]


def _components(
    reports: Sequence[ReportKeys], cases_of_key: dict[str, list[str]]
) -> list[list[int]]:
    """Groups of reports joined by a shared key or a shared existing case: two reports that
    reach one case through different keys must land together, or one group could merge
    away the case the other just joined."""
    parent = list(range(len(reports)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[object, int] = {}
    for index, report in enumerate(reports):
        cases = {("case", c) for key in report.keys for c in cases_of_key.get(key, [])}
        for key in [*report.keys, *sorted(cases)]:
            if key in first_with:
                parent[find(index)] = find(first_with[key])
            else:
                first_with[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(reports)):
        groups.setdefault(find(index), []).append(index)
    return sorted(groups.values(), key=lambda members: members[0])


def decide(
    reports: Sequence[ReportKeys],
    cases_of_key: dict[str, list[str]],
    case_order: Callable[[str], Any],
    new_case_id: Callable[[str], str],
) -> Plan:
    """Which case each report joins, which cases open and which merge."""
    decisions: dict[int, Decision] = {}
    plan = Plan(decisions=[], opened=[], merges=[])
    for members in _components(reports, cases_of_key):
        mentions: dict[str, int] = {}
        for index in members:
            for key in set(reports[index].keys):
                mentions[key] = mentions.get(key, 0) + 1
        touched = {case for key in mentions for case in cases_of_key.get(key, [])}
        cases = sorted(touched, key=case_order)

        def shared(index: int, mentions: dict[str, int] = mentions) -> list[str]:
            keys = reports[index].keys
            return sorted({k for k in keys if cases_of_key.get(k) or mentions[k] > 1})

        first = members[0]
        if not cases:
            case_id = new_case_id(reports[first].report_id)
            plan.opened.append((case_id, reports[first].report_id))
            decisions[first] = Decision(reports[first].report_id, case_id, "opened")
            rest = members[1:]
        else:
            case_id, losers = cases[0], cases[1:]
            merger = first
            if losers:
                merger = _first_to_join_two_cases(members, reports, cases_of_key)
                keys = shared(merger)
                plan.merges.append(Merge(case_id, losers, reports[merger].report_id, keys))
                decisions[merger] = Decision(
                    reports[merger].report_id, case_id, "merged", losers, keys
                )
            rest = [i for i in members if i not in decisions]
        for index in rest:
            decisions[index] = Decision(
                reports[index].report_id, case_id, "linked", [], shared(index)
            )
    plan.decisions = [decisions[i] for i in range(len(reports))]
    return plan


def _first_to_join_two_cases(
    members: list[int], reports: Sequence[ReportKeys], cases_of_key: dict[str, list[str]]
) -> int:
    """The report that merges a group's cases, as linking them one by one would find it:
    the first, in batch order, after which two cases are joined (through its keys, or keys
    it shares with reports before it). Credited to the group's first report whenever none
    touched two cases alone, a merge could name a report that joined one case and a new key
    only: its record, for undoing the merge, named the wrong report."""
    parent: dict[object, object] = {}
    cases_under: dict[object, set[str]] = {}

    def find(node: object) -> object:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for index in members:
        keys = reports[index].keys
        cases = {c for k in keys for c in cases_of_key.get(k, [])}
        nodes: list[object] = [*(("key", k) for k in keys), *(("case", c) for c in cases)]
        if not nodes:
            continue
        root = find(nodes[0])
        joined = cases_under.pop(root, set()) | cases
        for node in nodes[1:]:
            other = find(node)
            if other != root:
                parent[other] = root
                joined |= cases_under.pop(other, set())
        cases_under[root] = joined
        if len(joined) >= 2:
            return index
    return members[0]
