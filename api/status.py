"""Report status: where a submitted report ended up."""

from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel

from api.errors import ApiError, ErrorBody

router = APIRouter(tags=["intake"])

REPORT_STATUS = """
MATCH (r:Report {id: $rid})
OPTIONAL MATCH (r)-[:PART_OF]->(c:Case)
OPTIONAL MATCH (r)-[:SUBMITTED_BY]->(o:Organisation)
RETURN r.priority AS priority, r.categories AS categories, c.id AS case_id, c.status AS case_status,
       o.id AS organisation_id
"""


class ReportStatus(BaseModel):
    report_id: UUID
    status: str
    priority: str | None = None
    categories: list[str] = []
    case_id: UUID | None = None


@router.get(
    "/v1/reports/{report_id}", response_model=ReportStatus, responses={404: {"model": ErrorBody}}
)
async def report_status(report_id: UUID, request: Request) -> ReportStatus:
    """Whether a report has been routed into a case yet (organisations see only their own,
    with their X-API-Key)."""
    state = request.app.state
    # Who is asking is settled before the report is looked up, and an organisation's report
    # that is not the caller's answers as a missing one: a platform or NGO report's id is
    # derived from (organisation, reference), and answering 401 for it without a key told
    # anyone whether that organisation had filed that reference.
    caller = await state.keys.organisation(request) if request.headers.get("x-api-key") else None
    records, _, _ = await state.graph.execute_query(
        REPORT_STATUS, rid=str(report_id), database_=state.settings.neo4j_database
    )
    if not records or records[0]["organisation_id"] not in (None, caller):
        raise ApiError(
            404,
            "not_found",
            "no such report has been routed yet; retry shortly after submitting (an "
            "organisation's reports are answered with its X-API-Key)",
        )
    row = records[0]
    return ReportStatus(
        report_id=report_id,
        status="in_case" if row["case_id"] else "received",
        priority=row["priority"],
        categories=row["categories"] or [],
        case_id=row["case_id"],
    )
