"""Which cases a graph read showed, so that each case's own trail records it."""

from uuid import uuid4

from api.audit import cases_in


def test_cases_are_found_wherever_an_answer_shows_them() -> None:
    a, b, c, d = (str(uuid4()) for _ in range(4))
    path = {
        "nodes": [
            {"ref": f"case:{a}", "labels": ["Case"], "properties": {"id": a}},
            {"ref": "report:r1", "labels": ["Report"], "properties": {"case_id": b}},
            {"ref": "phone:+60123456789", "labels": ["Identifier"], "properties": {}},
        ],
        "relationships": [{"type": "PART_OF", "from": "report:r1", "to": f"case:{a}"}],
    }
    search = {"results": [{"key": "phone:+60123456789", "cases": [c, a]}]}
    shared = {"cases": [{"case_id": d, "status": "open"}]}
    assert cases_in(path) == [a, b]
    assert cases_in(search) == [c, a]
    assert cases_in(shared) == [d]


def test_ids_that_are_not_cases_are_not_taken_for_cases() -> None:
    report, task = str(uuid4()), str(uuid4())
    answer = {
        "nodes": [
            {"ref": f"report:{report}", "properties": {"id": report, "task_id": task}},
            {"ref": "case:not-a-uuid", "properties": {"case_id": "n/a"}},
        ]
    }
    assert cases_in(answer) == []
