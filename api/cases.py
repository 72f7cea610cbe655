"""Case detail, the linked graph and the audit trail, for officers, analysts and admins."""

import re
import time
from collections import Counter
from collections.abc import AsyncGenerator, Callable
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from api.errors import ApiError, ErrorBody
from api.security.deps import require
from api.security.permissions import CROSS_AGENCY_READERS, Permission, allowed
from api.security.principal import Principal
from graph import analyst, submitted
from graph.audit import GLOBAL_CHAIN, audit_trail
from graph.queries import IDENTIFIER_KINDS, UnknownEntity, iso_time, match_entity
from streams import normalise

router = APIRouter(tags=["cases"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 422, 429)
}
Reader = Annotated[Principal, Depends(require(Permission.CASES_READ))]
NOT_FOUND = "no such case among those you may read"
# Graph reads a person may have running at once. Each may hold Neo4j up to the read timeout
# (graph.queries.TIMEOUT_S), and a hundred at once from one token slowed the linker's
# writes, so P1 tasks reached their agencies later.
GRAPH_READS_PER_SUBJECT = 2
_graph_reads: Counter[str] = Counter()


async def _graph_read_slot(
    principal: Annotated[Principal, Depends(require(Permission.GRAPH_READ))],
) -> AsyncGenerator[Principal, None]:
    """The caller, holding one of their graph-read slots until the answer is made; 429
    too_many_graph_reads when both are taken."""
    if _graph_reads[principal.subject] >= GRAPH_READS_PER_SUBJECT:
        message = f"at most {GRAPH_READS_PER_SUBJECT} graph reads at once: wait for one to end"
        raise ApiError(429, "too_many_graph_reads", message, headers={"Retry-After": "1"})
    _graph_reads[principal.subject] += 1
    try:
        yield principal
    finally:
        _graph_reads[principal.subject] -= 1
        if _graph_reads[principal.subject] <= 0:
            del _graph_reads[principal.subject]


GraphReader = Annotated[Principal, Depends(_graph_read_slot)]


async def _may_read_case(request: Request, principal: Principal, case_id: str) -> None:
    """Officers and caseworkers read the cases their agency has a task on; others any case."""
    if principal.role in CROSS_AGENCY_READERS:
        return
    state = request.app.state
    if principal.agency is None or not await analyst.agency_has_task(
        state.graph, case_id, principal.agency.value, state.settings.neo4j_database
    ):
        raise ApiError(404, "not_found", NOT_FOUND)


async def _case_exists(request: Request, principal: Principal, case_id: str, action: str) -> None:
    """404 for a case id no case has, before its read is audited (the purpose checked first,
    as for any read): the audit record of a read of a made-up id opened an audit chain for a
    case that never was (and /graph answered 200 with an empty graph where the case's detail
    answered 404)."""
    state = request.app.state
    state.auditor.fields(request, principal, action, case_id=case_id)
    if not await analyst.case_exists(state.graph, case_id, state.settings.neo4j_database):
        raise ApiError(404, "not_found", NOT_FOUND)


@router.get("/v1/cases/{case_id}", responses=ERRORS)
async def case_detail(case_id: UUID, request: Request, principal: Reader) -> dict[str, Any]:
    """A case with its reports, tasks, victims (pseudonymised unless allowed) and timeline."""
    state = request.app.state
    await _may_read_case(request, principal, str(case_id))
    await _case_exists(request, principal, str(case_id), "case.read")
    await state.auditor.record(request, principal, "case.read", case_id=str(case_id))
    reveal = allowed(principal, Permission.VICTIMS_READ, principal.agency)
    detail = await analyst.case_detail(
        state.graph, str(case_id), reveal, state.settings.neo4j_database
    )
    if detail is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return detail


@router.get(
    "/v1/cases/{case_id}/reports/{report_id}", responses=ERRORS | {500: {"model": ErrorBody}}
)
async def case_report(
    case_id: UUID, report_id: UUID, request: Request, principal: Reader
) -> dict[str, Any]:
    """A report of the case as its reporter submitted it: description, incident, accounts,
    content (hashes and URLs), hosting. The victim's details and the reporter's contact are
    withheld (named in `withheld`) from those who may not see victim details."""
    state = request.app.state
    await _may_read_case(request, principal, str(case_id))
    await _case_exists(request, principal, str(case_id), "report.read")
    await state.auditor.record(
        request, principal, "report.read", case_id=str(case_id), target=f"report:{report_id}"
    )
    stored = await submitted.read_stored(
        state.graph, str(case_id), str(report_id), state.settings.neo4j_database
    )
    if stored is None:
        raise ApiError(
            404, "not_found", "no such report in this case (after a merge: in the surviving case)"
        )
    if stored.message is None:
        raise ApiError(
            404,
            "content_not_kept",
            "this report's content was not kept: it was linked before reports' content was"
            " kept (2026-11-30), or was too large to carry whole (README)",
        )
    reveal = allowed(principal, Permission.VICTIMS_READ, principal.agency)
    try:
        return submitted.submitted_view(stored, reveal)
    except ValueError as exc:
        raise ApiError(500, "content_unreadable", "the stored report could not be read") from exc


@router.get("/v1/cases/{case_id}/graph", responses=ERRORS)
async def case_graph(
    case_id: UUID,
    request: Request,
    principal: GraphReader,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """The case's newest reports and what they mention, at most `limit` reports and items
    each; `truncated` says when some were left out (`reports_total`: the case's reports)."""
    state = request.app.state
    await _case_exists(request, principal, str(case_id), "case.graph")
    await state.auditor.record(request, principal, "case.graph", case_id=str(case_id))
    reveal = allowed(principal, Permission.VICTIMS_READ, principal.agency)
    return await analyst.case_subgraph(
        state.graph, str(case_id), reveal, limit, state.settings.neo4j_database
    )


AuditReader = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
AuditLimit = Annotated[int, Query(ge=1, le=500)]
AuditAfter = Annotated[int | None, Query(ge=0)]


@router.get("/v1/cases/{case_id}/audit", responses=ERRORS)
async def case_audit(
    case_id: UUID,
    request: Request,
    principal: AuditReader,
    limit: AuditLimit = 500,
    after: AuditAfter = None,
) -> dict[str, Any]:
    """Who read or changed the case, when and why: the newest `limit` records, or those
    after the `after`-th. `chain_valid` covers the whole chain, and is false after tampering."""
    # No purpose, no read: the whole chain was verified (seconds on a long one) before a
    # request without X-Purpose was refused.
    request.app.state.auditor.fields(request, principal, "case.audit", case_id=str(case_id))
    page = await _chain_page(request, str(case_id), limit, after)
    state = request.app.state
    database = state.settings.neo4j_database
    if page["length"] == 0 and not await analyst.case_exists(state.graph, str(case_id), database):
        # Recorded, the read of a made-up id opened an audit chain for it (a review).
        raise ApiError(404, "not_found", NOT_FOUND)
    # A merged case keeps its own chain (its records were made under its id): the cases
    # merged into this one are named, so that an administrator reads their trails too (the
    # reads and actions on a merged case's tasks were in no trail the survivor pointed to).
    page["merged_from"] = await analyst.merged_into(
        state.graph, str(case_id), state.settings.neo4j_database
    )
    await state.auditor.record(request, principal, "case.audit", case_id=str(case_id))
    return page


@router.get("/v1/audit/global", responses=ERRORS)
async def global_audit(
    request: Request, principal: AuditReader, limit: AuditLimit = 500, after: AuditAfter = None
) -> dict[str, Any]:
    """The records of no single case: queue listings, and every read across the graph (what
    was sought, how many cases it showed; each case's own chain records it too)."""
    request.app.state.auditor.fields(request, principal, "audit.global")  # no purpose, no read
    page = await _chain_page(request, GLOBAL_CHAIN, limit, after)
    await request.app.state.auditor.record(request, principal, "audit.global")
    return page


async def _chain_page(
    request: Request, chain: str, limit: int, after: int | None
) -> dict[str, Any]:
    state = request.app.state
    database = state.settings.neo4j_database
    # Verified before the page is read (graph.audit.ChainChecks: whole at times, else from
    # where the last check ended): the page never holds records the check has not seen, and
    # records appended meanwhile are left for the next read.
    valid, length, whole_at = await state.chain_checks.check(state.graph, chain, database)
    start = max(0, length - limit) if after is None else min(after, length)
    # No further than the check went: read to `limit`, a page showed records past the head
    # it verified (appended since, or forged) under chain_valid: true.
    shown = min(limit, length - start)
    entries = await audit_trail(state.graph, chain, shown, database, start) if shown else []
    return {
        "chain_valid": valid,
        "length": length,
        # How long ago the chain was last verified from its first record (records after
        # the last check's end are verified at every read).
        "verified_whole_s_ago": round(time.monotonic() - whole_at, 1),
        # Its stored place in the chain: a record deleted shows as a gap (numbered by
        # position on the page, none did).
        "records": [
            {**_entry(e), "seq": start + i + 1 if e.seq is None else e.seq}
            for i, e in enumerate(entries)
        ],
        "earlier_after": max(0, start - limit) if start > 0 else None,
        # The page before this one ends where this one starts: read from 0 it holds fewer
        # than `limit` (records 201-500 were shown twice, on the oldest two pages).
        "earlier_limit": min(limit, start) if start > 0 else None,
    }


def _entry(entry: Any) -> dict[str, Any]:
    data = dict(entry.__dict__)
    data["at"] = iso_time(data["at"])
    return data


def _entity(ref: str, field: str = "entity") -> str:
    """`ref` if it names an entity of a known kind; 422 invalid_entity naming `field`."""
    kind, _, value = ref.partition(":")
    if not value.strip():
        raise ApiError(
            422, "invalid_entity", "an entity is <kind>:<value>, e.g. phone:+60123456789", field
        )
    try:
        match_entity(ref, "e", "e")
    except UnknownEntity as exc:
        raise ApiError(422, "invalid_entity", str(exc), field) from exc
    if kind in IDENTIFIER_KINDS:
        # As reports carry it (and as search normalises it): 'phone:012-999 1234' found
        # nothing where 'phone:+60129991234' found the case, and the analyst read '(none)'.
        try:
            key = normalise.normalise_key(ref)
        except ValueError as exc:
            raise ApiError(422, "invalid_entity", str(exc), field) from exc
        if kind == "url":
            # A link to a profile is kept as the account it names (since 2026-12-02): a walk
            # from the link found nothing of the reports since (a review).
            accounts = [
                k for k in normalise.profile_account_keys(key[4:]) if k.startswith("account:")
            ]
            return accounts[0] if accounts else key
        return key
    # As the graph names them: 'platform:Telegram' and 'platform:Snap' (Snapchat), or a
    # case id in capitals, walked from nothing, where /v1/cases/<ID> read the case.
    if kind == "platform":
        return f"platform:{normalise.normalise_platform(value)}"
    if kind in ("case", "report"):
        try:
            return f"{kind}:{UUID(value)}"
        except ValueError:
            return ref
    return ref


@router.get("/v1/graph/neighbourhood", responses=ERRORS)
async def neighbourhood(
    request: Request,
    principal: GraphReader,
    entity: str,
    depth: Annotated[int, Query(ge=1, le=3)] = 2,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """What lies within `depth` hops of an entity, never walking through hubs."""
    state = request.app.state
    state.auditor.fields(request, principal, "graph.neighbourhood")  # no purpose, no read
    # Recorded as read (normalised), as a search is: 'phone:012-777 1234' and 'phone:+6012
    # 777 1234' were two targets in the trail for one number.
    key = _entity(entity)
    answer = await analyst.neighbourhood(
        state.graph, key, depth, limit, state.settings.neo4j_database
    )
    await state.auditor.record_read(request, principal, "graph.neighbourhood", key, answer)
    return answer


@router.get("/v1/graph/path", responses=ERRORS)
async def path(
    request: Request,
    principal: GraphReader,
    source: Annotated[str, Query(alias="from")],
    target: Annotated[str, Query(alias="to")],
) -> dict[str, Any]:
    """The shortest path between two entities (at most 6 hops)."""
    state = request.app.state
    state.auditor.fields(request, principal, "graph.path")  # no purpose, no read
    # Each side named by its own parameter: an unknown kind in `to` was blamed on `from`.
    source, target = _entity(source, "from"), _entity(target, "to")
    answer = await analyst.shortest_path(state.graph, source, target, state.settings.neo4j_database)
    await state.auditor.record_read(
        request, principal, "graph.path", f"{source} -> {target}", answer
    )
    return answer


@router.get("/v1/graph/shared-cases", responses=ERRORS)
async def shared_cases(
    request: Request,
    principal: GraphReader,
    entity: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Cases whose reports mention this identifier, most urgent first; `truncated` when
    there are more than `limit`, or the identifier has more mentions than are read for one
    answer (a hub's, 20,000: its cases are those of the mentions read)."""
    state = request.app.state
    state.auditor.fields(request, principal, "graph.shared_cases")  # no purpose, no read
    key = _entity(entity)
    cases, more = await analyst.cases_sharing(
        state.graph, key, limit, state.settings.neo4j_database
    )
    answer = {"cases": cases, "truncated": more}
    await state.auditor.record_read(request, principal, "graph.shared_cases", key, answer)
    return answer


SearchKind = Literal["username", "hash", "phone", "email", "url"]
_PHOTODNA_HEX = re.compile(f"[0-9a-f]{{{2 * normalise.PHOTODNA_BYTES}}}")


def username_search_keys(value: str) -> tuple[str, list[str]]:
    """The handle as it is sought on every platform (by the end of an account's key), and
    the accounts it is on the services whose rules read it otherwise, as intake reads a
    report's: Facebook without its periods, Instagram without a closing one, a number as
    E.164 on WhatsApp and Telegram, a link to a profile as its account. Sought as typed only,
    'uncle.x' (a report's Facebook 'unclex'), 'instagram.com/x' or '011-7003 0186' found
    nothing where the account was in ten reports (a helper's bug hunt)."""
    generic = normalise.normalise_username("", value)
    exact = {
        f"account:{service}:u:{form}"
        for service in normalise.SERVICES
        if (form := normalise.normalise_username(service, value)) and form != generic
    }
    exact.update(k for k in normalise.profile_account_keys(value) if k.startswith("account:"))
    return generic, sorted(exact)


def search_keys(kind: str, value: str) -> list[str]:
    """Identifier keys a search value can stand for, normalised as intake normalises them."""
    if kind == "hash":
        algs = ("md5", "sha1", "sha256", "pdq")
        found = [normalise.normalise_hash(alg, value) for alg in algs]
        keys = [f"content:{alg}:{h}" for alg, h in zip(algs, found, strict=True) if h]
        # PhotoDNA, the hash NCMEC and platforms share most, was refused as 'not a valid
        # hash': sought where its encoding (hex, base64 or decimals) gives its 144 bytes.
        photodna = normalise.normalise_hash("photodna", value)
        if photodna and _PHOTODNA_HEX.fullmatch(photodna):
            keys.append(f"content:photodna:{photodna}")
        return keys
    normalisers: dict[str, Callable[[str], str | None]] = {
        "phone": normalise.normalise_phone,
        "email": normalise.normalise_email,
        "url": normalise.canonical_url,
    }
    normalised = normalisers[kind](value)
    if not normalised:
        return []
    # A link to a profile is kept as the account it names (since 2026-12-02; older reports
    # hold the link too): both are sought.
    also = normalise.profile_account_keys(normalised) if kind == "url" else []
    return [f"{kind}:{normalised}", *also]


def _cut_search(results: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """At most `limit` identifiers, each with at most `limit` cases, saying where cut."""
    shown = [
        {**row, "cases": row["cases"][:limit], "cases_truncated": len(row["cases"]) > limit}
        for row in results[:limit]
    ]
    more = len(results) > limit
    truncated = more or any(row["cases_truncated"] for row in shown)
    return {"results": shown, "truncated": truncated, "identifiers_truncated": more}


@router.get("/v1/search", responses=ERRORS)
async def search(
    request: Request,
    principal: GraphReader,
    kind: SearchKind,
    value: Annotated[str, Query(min_length=1, max_length=2048)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Find identifiers by username (any platform), hash, phone, e-mail or URL, with their cases."""
    state = request.app.state
    state.auditor.fields(request, principal, "graph.search")  # no purpose, no read
    database = state.settings.neo4j_database
    # One more than asked, of identifiers and of each one's cases: a list cut at the limit
    # says so (`truncated`, `cases_truncated`), as the walks' answers do.
    if kind == "username":
        username, exact = username_search_keys(value)
        # Recorded as sought: the services' forms follow from it (listed, they filled the
        # record's target past what an audit table shows).
        keys = [f"username:{username}"]
        results = await analyst.search(state.graph, [], username, limit + 1, database)
        if exact:
            seen = {row["key"] for row in results}
            more = await analyst.search(state.graph, exact, None, limit + 1, database)
            results += [row for row in more if row["key"] not in seen]
    else:
        keys = search_keys(kind, value)
        if not keys:
            raise ApiError(422, "invalid_value", f"not a valid {kind}", "value")
        results = await analyst.search(state.graph, keys, None, limit + 1, database)
    answer = _cut_search(results, limit)
    # What was looked for, as normalised: "an analyst searched a phone" told an auditor
    # nothing, and a search confirms whether a number is known at all.
    await state.auditor.record_read(request, principal, "graph.search", " ".join(keys), answer)
    return answer
