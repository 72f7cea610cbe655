"""Data repairs that need Python, run once each by graph.migrate after the Cypher migrations
and marked done in the graph (a (:DataRepair {name}) node). Each can run again safely."""

import re
from collections.abc import Callable
from datetime import UTC, datetime

from neo4j import Driver

from graph.exclusions import LET_LINK_KEYS, same_file_keys
from graph.platform_tasks import repair_platform_tasks
from graph.rekey import rekey
from runtime.logs import get_logger
from runtime.pseudonyms import key_check, unkeyed_pseudonym, victim_pseudonym
from streams.normalise import (
    AROUND_A_HANDLE,
    normalise_key,
    normalise_platform,
    same_number_keys,
)

log = get_logger(__name__)

# Victim-support tasks name their victim by pseudonym in their target. Before 2026-11-30 a
# pseudonym was an unkeyed hash of the victim's reference; tasks still holding one are moved
# to the keyed pseudonym of the same victim, so that the next report about that victim finds
# its open task (the slot is case, type and target) instead of opening a second one.
VICTIM_SUPPORT_TARGETS = """
MATCH (t:Task)
WHERE t.task_type = 'victim_support' AND t.target STARTS WITH 'victim-'
RETURN t.id AS id, t.target AS target
"""
VICTIM_REFS = "MATCH (v:Victim) RETURN v.ref AS ref"
RETARGET = """
UNWIND $rows AS row
MATCH (t:Task {id: row.id})
WHERE t.target = row.old
SET t.target = row.new
"""
BATCH = 5_000


def rekey_victim_pseudonyms(driver: Driver, database: str) -> int:
    """Move victim-support task targets from unkeyed to keyed pseudonyms; return how many."""
    refs, _, _ = driver.execute_query(VICTIM_REFS, database_=database, routing_="r")
    keyed = {unkeyed_pseudonym(r["ref"]): victim_pseudonym(r["ref"]) for r in refs if r["ref"]}
    tasks, _, _ = driver.execute_query(VICTIM_SUPPORT_TARGETS, database_=database, routing_="r")
    rows = [
        {"id": t["id"], "old": t["target"], "new": keyed[t["target"]]}
        for t in tasks
        if t["target"] in keyed
    ]
    for start in range(0, len(rows), BATCH):
        driver.execute_query(RETARGET, rows=rows[start : start + BATCH], database_=database)
    if rows:
        log.info("victim_pseudonyms_rekeyed", tasks=len(rows))
    return len(rows)


# Since 2026-11-30 a URL is compared in a form that reads http as https and percent-encodes
# its path (streams.normalise.canonical_url): one identifier for 'example.com/x' typed by the
# public and 'https://example.com/x' from a platform, or for 'example.com/视频' and its
# encoded form. And a username as people paste it (full-width forms, invisible characters,
# a profile link: streams.normalise.normalise_username). Identifiers, exclusion rules and
# suspects stored in another form move to today's (graph.rekey).


def _key_today(key: str) -> str | None:
    """A stored key as intake would write it today (normalise_key: canonical_url for a URL,
    normalise_username for a handle)."""
    try:
        return normalise_key(key)
    except ValueError:
        return None  # no longer a linkable value: left as it is


def _rekeying(
    prefix: str, why: str, only: Callable[[str], object] | None = None
) -> Callable[..., int]:
    """A repair moving the identifiers, rules and suspects whose keys start with `prefix`
    (and that `only` accepts, if given) to today's form (graph.rekey.rekey), recording `why`.
    Its `within` narrows the keys looked at (a test's own); returns how many identifiers
    moved."""

    def today(key: str) -> str | None:
        return _key_today(key) if only is None or only(key) else key  # key: left as it is

    def repair(driver: Driver, database: str, within: str = prefix) -> int:
        assert within.startswith(prefix)
        return rekey(driver, database, within, today, why)

    return repair


# URL identifiers and rules in today's canonical form.
recanonicalise_urls = _rekeying(
    "url:", "a URL is compared in today's canonical form (data repair 2026-11-30)"
)
# A service's page on its other hosts and domains is the page on its main domain
# ('m.facebook.com/x' and 'www.facebook.com/x' are 'facebook.com/x', 'twitter.com/a' is
# 'x.com/a'; streams.normalise._service_host): URL identifiers and rules move again, with a
# reason of their own in the exclusion history.
join_service_hosts = _rekeying(
    "url:", "a service's page on its other hosts is its page (data repair 2026-11-30)"
)
# A YouTube video is one URL however it is linked ('youtu.be/ID?si=...', '/shorts/ID',
# 'watch?v=ID&t=42s'), and a host typed with an input method in full-width forms or with an
# ideographic full stop is the host (streams.normalise.canonical_url): URL identifiers and
# rules stored in those forms move to today's.
join_video_links_and_typed_hosts = _rekeying(
    "url:",
    "a YouTube video is one URL, a host as typed is the host (data repair 2026-11-30)",
)
# A video linked from YouTube Music ('music.youtube.com/watch?v=ID') is the video. Every URL
# key is read (one stored with a port or user info, 'https://music.youtube.com:8443/...',
# does not start with the host); only YouTube Music's move, with this reason.
join_music_videos = _rekeying(
    "url:",
    "a video on YouTube Music is the video (data repair 2026-11-30)",
    only=re.compile(r"^url:https://(?:[^/@]*@)?music\.youtube\.com[:/]", re.IGNORECASE).match,
)
# Account identifiers, rules and suspects in today's form. A bare run of digits read as a
# Malaysian phone by earlier code stays so: the digits as given are not kept. On a graph of
# 305,000 accounts: ~17 s, reading them all.
rekey_account_handles = _rekeying(
    "account:", "a username is read as people paste it (data repair 2026-11-30)"
)
# A service's own share parameters ('?igsh=' on Instagram, '?s=20&t=...' on X, TikTok's
# '_t', '_r', Facebook's 'mibextid', YouTube's 'si' on channels: streams.normalise): URL
# identifiers and rules of those services move to the link without them. Every URL key is
# read; only those services' move.
drop_share_params = _rekeying(
    "url:",
    "a service's share parameters are no part of its link (data repair 2026-12-01)",
    only=re.compile(
        r"^url:https://(?:[^/@]*@)?(?:x|tiktok|facebook|youtube|instagram)\.com[:/?]",
        re.IGNORECASE,
    ).match,
)
# An e-mail address as mail clients write it ('mailto:', '<...>', a trailing dot, full-width
# forms, invisible characters, the domain in punycode: streams.normalise.normalise_email):
# e-mail identifiers, rules and suspects stored in another form move to today's. An address
# that names no one ('unknown@unknown.com') is left as it is: no report makes its key now.
rekey_emails = _rekeying(
    "email:", "an e-mail address is read as mail clients write it (data repair 2026-12-01)"
)
# '<uncle.x@example.com>.' (a sentence's dot after the bracket) was stored with its '>': those
# e-mail identifiers, rules and suspects move to the address.
rekey_bracketed_emails = _rekeying(
    "email:",
    "an e-mail address is read without a bracket and dot after it (data repair 2026-12-01)",
    only=lambda key: key.endswith(">"),
)
# Facebook counts no periods in a username ('uncle.x' is 'unclex'), a link to a profile
# given as a username is the account its service names ('unknown:u:t.me/uncle_x' is
# 'telegram:u:uncle_x'), and a WhatsApp username of digits is the international number:
# those accounts, their rules and suspects move to today's keys. Every account key is read.
rekey_linked_handles = _rekeying(
    "account:",
    "a username is read as its service reads it (data repair 2026-12-01)",
    only=lambda key: "/" in key or key.startswith(("account:facebook:u:", "account:whatsapp:u:")),
)
# An IMEI is its 14 digits: written with its check digit or as an IMEISV it was a device of
# its own. Device identifiers, rules and suspects move.
rekey_imeis = _rekeying("device:", "an IMEI is its 14 digits (data repair 2026-12-01)")
# Instagram takes no username ending in a period ('uncle.x.' typed at a sentence's end is
# 'uncle.x', as a link to the profile read it): those accounts, rules and suspects move.
rekey_instagram_periods = _rekeying(
    "account:instagram:u:",
    "an Instagram username ends in no period (data repair 2026-12-01)",
    only=lambda key: key.endswith("."),
)
# An e-wallet is named one way ('touchngo:' is 'tng:', "TnG eWallet", "Touch 'n Go", "DuitNow
# ID", "Grab Pay": streams.normalise._WALLET_NAMES): payment identifiers, rules and suspects
# move to today's keys. Every payment key is read.
rekey_wallet_names = _rekeying("payment:", "an e-wallet is named one way (data repair 2026-12-02)")
# A handle on Telegram, X, Instagram, TikTok or Facebook is read without the punctuation a
# sentence or a list puts around it ('uncle_x.', '(uncle.x)', 'uncle.x,'), an e-mail address
# without it or a name before it ('uncle.x@gmail.com,', 'Uncle X <uncle.x@gmail.com>', a
# mailto link's query) (streams.normalise, 2026-12-02): those accounts and addresses, their
# rules and suspects, move to today's keys. Only keys with such a character at an end (or,
# for an address, a bracket or a query inside) are read.
_AROUND = tuple(AROUND_A_HANDLE + "@")
_PUNCTUATED_HANDLE = re.compile(r"^account:(?:telegram|x|instagram|tiktok|facebook):u:(.+)$")


def _handle_in_punctuation(key: str) -> bool:
    found = _PUNCTUATED_HANDLE.match(key)
    handle = found.group(1) if found else ""
    return handle.startswith(_AROUND) or handle.endswith(_AROUND)


def _address_in_punctuation(key: str) -> bool:
    address = key.removeprefix("email:")
    inside = "<" in address or "?" in address
    return inside or address.startswith(_AROUND) or address.endswith(_AROUND)


rekey_punctuated_handles = _rekeying(
    "account:",
    "a handle is read without the punctuation around it (data repair 2026-12-02)",
    only=_handle_in_punctuation,
)
rekey_punctuated_emails = _rekeying(
    "email:",
    "an e-mail address is read without what a list or a sentence puts around it "
    "(data repair 2026-12-02)",
    only=_address_in_punctuation,
)
# A Telegram invite, a Discord invite, a post on X and a TikTok video linked several ways
# are one URL since 2026-12-02 (streams.normalise._one_link_of): URL identifiers and rules
# stored in the other forms move to it.
join_links_of_one_thing = _rekeying(
    "url:",
    "a thing linked several ways is one URL (data repair 2026-12-02)",
    only=re.compile(
        r"^url:https://(?:t\.me/joinchat/|discord\.gg/|discord(?:app)?\.com/invite/|"
        r"x\.com/(?:i/web|[^/?#]+)/status|tiktok\.com/@[^/?#]*[A-Z])"
    ).match,
)
# A MAC address is one in its three written forms, a GUID in braces the GUID (2026-12-02,
# streams.normalise.normalise_device): device identifiers, rules and suspects move.
rekey_mac_and_guid_devices = _rekeying(
    "device:",
    "a MAC address or a GUID written several ways is one device (data repair 2026-12-02)",
    only=re.compile(
        r"^device:device:(?:[0-9a-f]{2}-[0-9a-f]{2}-|[0-9a-f]{4}\.[0-9a-f]{4}\.|\{)"
    ).match,
)
# A Facebook profile linked as '/people/NAME/ID' and given as a username is the account of
# that id (2026-12-02): those accounts, their rules and suspects move. (The same link stored
# as a URL identifier stays one: a URL key is read as a URL; no new report makes it.)
rekey_facebook_people_links = _rekeying(
    "account:",
    "a Facebook profile linked under /people/ is the account of its id (data repair 2026-12-02)",
    only=lambda key: "facebook.com/people/" in key,
)
# A bank account is one key however the bank and the number are written ('CIMB Bank: 8000...'
# is 'cimb:8000...'; 'bank islam 14-0123-...' is 'bank islam 140123...'; streams.normalise,
# 2026-12-02): payment identifiers, rules and suspects move. Every payment key is read.
rekey_bank_accounts = _rekeying(
    "payment:", "a bank account is one key however it is written (data repair 2026-12-02)"
)
_rekey_platform_names = _rekeying(
    "account:", "a platform is named by the service its aliases name (data repair 2026-11-30)"
)


# Since 2026-11-30 (later) a platform is named by the service its aliases resolve to
# (streams.normalise.normalise_platform): accounts stored under an alias move to the
# service's (graph.rekey), then the open tasks addressed to it (graph.platform_tasks).
UNUSED_PLATFORMS = "MATCH (p:Platform) WHERE NOT EXISTS { (p)--() } RETURN p.name AS name"
DELETE_UNUSED_PLATFORMS = """
UNWIND $names AS name
MATCH (p:Platform {name: name})
WHERE NOT EXISTS { (p)--() }
DELETE p
"""


def move_platform_aliases(
    driver: Driver, database: str, within: str = "account:", targets: list[str] | None = None
) -> int:
    """Accounts, their rules and suspects under today's platform names (graph.rekey), then
    the open tasks addressed to an old name, then the platforms no longer named. `within`
    and `targets` narrow what is looked at (a test's own). Returns accounts and tasks moved, and
    tasks closed as duplicates."""
    moved = _rekey_platform_names(driver, database, within)
    tasks = repair_platform_tasks(driver, database, targets)
    unused, _, _ = driver.execute_query(UNUSED_PLATFORMS, database_=database, routing_="r")
    stale = [r["name"] for r in unused if normalise_platform(r["name"]) != r["name"]]
    if stale:
        driver.execute_query(DELETE_UNUSED_PLATFORMS, names=stale, database_=database)
    log.info("platform_aliases_moved", accounts=moved, tasks=tasks, platforms_removed=len(stale))
    return moved + tasks


# Since 2026-11-30 a WhatsApp, Telegram or WeChat handle written as a phone is that phone's
# identifier too, and excluding any key of a number excludes the others (the exclusion
# tool). A rule added before on one of them alone (a handle, say) no longer stops the
# number linking: public reports of it carry the phone now. Each gets its same-number rules.
RULE_KEYS = "MATCH (e:ExclusionRule) RETURN e.key AS key, e.reason AS reason"
# As graph.exclusions.ADD, for rules of keys already in the graph's form, in one statement.
ADD_RULES = """
UNWIND $rows AS row
MERGE (e:ExclusionRule {key: row.key})
  ON CREATE SET e.reason = row.reason, e.added_by = 'system', e.added_at = $now
WITH row, coalesce(e.added_at = $now, false) AS created
CREATE (:ExclusionChange {key: row.key, by: 'system', reason: row.reason, at: $now,
                          action: CASE WHEN created THEN 'added' ELSE 'add_repeated' END})
WITH row
OPTIONAL MATCH (i:Identifier {key: row.key})
FOREACH (_ IN CASE WHEN i IS NULL THEN [] ELSE [1] END | SET i.excluded = true)
"""


def _excluding_siblings(
    same: str, when: str, siblings: Callable[[Driver, str, str], list[str]]
) -> Callable[..., int]:
    """A repair giving each rule's key the rules of the keys that name the same `same`
    (`siblings(driver, key, database)`), with the rule's reason. A `same` one of whose keys
    someone removed the rule of, and did not add again (in its form then or today's), is
    left as it is: a decision to let it link, which a repair does not undo. A removal the
    system recorded (a repair moving a rule) is no such decision. Its `within` narrows the
    rules looked at (a test's own); it returns how many rules it added."""

    def repair(driver: Driver, database: str, within: str = "") -> int:
        rules, _, _ = driver.execute_query(RULE_KEYS, database_=database, routing_="r")
        removed, _, _ = driver.execute_query(LET_LINK_KEYS, database_=database, routing_="r")
        let_link = {r["key"] for r in removed if r["key"]}
        let_link |= {today for key in list(let_link) if (today := _key_today(key))}
        have = {r["key"] for r in rules}
        rows: list[dict[str, str]] = []
        left = 0
        for rule in rules:
            key = rule["key"]
            if not key or not key.startswith(within):
                continue
            others = siblings(driver, key, database)
            if let_link.intersection([key, *others]):
                left += 1
                continue
            reason = rule["reason"] or "no reason recorded"
            for other in others:
                if other not in have:
                    have.add(other)
                    why = f"the same {same} as {key} (data repair {when}): {reason}"
                    rows.append({"key": other, "reason": why})
        for start in range(0, len(rows), BATCH):
            now = datetime.now(UTC)
            driver.execute_query(
                ADD_RULES, rows=rows[start : start + BATCH], now=now, database_=database
            )
        if rows or left:
            log.info("sibling_rules_added", same=same, rules=len(rows), left_to_link=left)
        return len(rows)

    return repair


exclude_same_numbers = _excluding_siblings(
    "number", "2026-11-30", lambda driver, key, database: same_number_keys(key)
)
# Since 2026-12-01 excluding a file by one hash excludes its other hashes (graph.exclusions):
# a rule added before on one of them gets rules on the others, the hashes reports gave with
# it in one content item. Reads the first reports of each content rule.
exclude_same_files = _excluding_siblings("file", "2026-12-01", same_file_keys)


REPAIRS: dict[str, Callable[[Driver, str], int]] = {
    "2026-11-30-victim-pseudonym-keyed": rekey_victim_pseudonyms,
    "2026-11-30-url-canonical": recanonicalise_urls,
    "2026-11-30-account-handles": rekey_account_handles,
    "2026-11-30-platform-aliases": move_platform_aliases,
    "2026-11-30-url-service-hosts": join_service_hosts,
    "2026-11-30-same-number-rules": exclude_same_numbers,
    "2026-11-30-platform-alias-duplicates": repair_platform_tasks,
    "2026-11-30-url-videos-and-typed-hosts": join_video_links_and_typed_hosts,
    "2026-11-30-url-music-videos": join_music_videos,
    # The same step again for the aliases of 2026-12-01 ('fb.watch', 'instagr.am', a name
    # ending in '.'): accounts and open tasks under those names move to the service's.
    "2026-12-01-platform-aliases": move_platform_aliases,
    # And for the names that say "none" or "another" ('N/A', 'Lain-lain', '其他'): accounts
    # stored under them are the unknown platform's now.
    "2026-12-01-platform-placeholders": move_platform_aliases,
    "2026-12-01-email-forms": rekey_emails,
    "2026-12-01-url-share-params": drop_share_params,
    "2026-12-01-account-handles": rekey_linked_handles,
    "2026-12-01-device-imei": rekey_imeis,
    "2026-12-01-instagram-periods": rekey_instagram_periods,
    "2026-12-01-same-file-rules": exclude_same_files,
    # The rekeys of 2026-12-01 turned some accounts into a number's keys (a WhatsApp username
    # of digits, 'wa.me/6591234567' given as a username): a rule moved onto one gets the
    # number's other keys, as the same-number repair of 2026-11-30 gave those of its day.
    "2026-12-01-same-number-rules-after-rekeys": exclude_same_numbers,
    "2026-12-01-email-bracket-dot": rekey_bracketed_emails,
    # The aliases of 2026-12-02 (Tamil script, '面子书', 'tele', a group's or channel's word:
    # 'WhatsApp 群组', 'Telegram grup'): accounts and open tasks move to the service's; a
    # task that stays takes the urgency of one it continues (graph.platform_tasks).
    "2026-12-02-platform-aliases": move_platform_aliases,
    "2026-12-02-wallet-names": rekey_wallet_names,
    # MAE and Setel are e-wallets since 2026-12-02: a number's rule gets its keys there too.
    "2026-12-02-same-number-rules-wallets": exclude_same_numbers,
    "2026-12-02-punctuated-handles": rekey_punctuated_handles,
    "2026-12-02-punctuated-emails": rekey_punctuated_emails,
    "2026-12-02-links-of-one-thing": join_links_of_one_thing,
    "2026-12-02-mac-and-guid-devices": rekey_mac_and_guid_devices,
    "2026-12-02-facebook-people-links": rekey_facebook_people_links,
    # Platform names typed with a ':' ('IG:', 'Platform: Instagram', 'facebook.com:8080'):
    # their accounts never reached the graph (the linker could not read their keys), but
    # open tasks were addressed to them; they move to the service's name.
    "2026-12-02-platform-colons": move_platform_aliases,
    "2026-12-02-bank-accounts": rekey_bank_accounts,
}


KEY_CHECK = """
MERGE (k:InstallKey {name: 'pseudonym'}) ON CREATE SET k.check = $check, k.at = datetime()
RETURN k.check AS check
"""


def check_pseudonym_key(driver: Driver, database: str = "neo4j") -> None:
    """Refuse to go on with a pseudonym key other than the one this graph was made with:
    task targets and graph views would name each victim two ways (a worker started where
    the install's key file is not, a container without OCSEA_PSEUDONYM_KEY)."""
    mine = key_check()
    rows, _, _ = driver.execute_query(KEY_CHECK, check=mine, database_=database)
    if rows[0]["check"] != mine:
        raise RuntimeError(
            "this process's pseudonym key (OCSEA_PSEUDONYM_KEY, or the install's key file) is "
            "not the one this graph was made with: victims would be named two ways"
        )


def run_repairs(driver: Driver, database: str = "neo4j") -> list[str]:
    """Run the repairs not yet marked done; return their names. First check the pseudonym
    key, which the victim-pseudonym repair writes with."""
    check_pseudonym_key(driver, database)
    done_rows, _, _ = driver.execute_query(
        "MATCH (r:DataRepair) RETURN r.name AS name", database_=database, routing_="r"
    )
    done = {r["name"] for r in done_rows}
    ran = []
    for name, repair in REPAIRS.items():
        if name in done:
            continue
        changed = repair(driver, database)
        driver.execute_query(
            "MERGE (r:DataRepair {name: $name}) SET r.done_at = datetime(), r.changed = $changed",
            name=name,
            changed=changed,
            database_=database,
        )
        ran.append(name)
    return ran
