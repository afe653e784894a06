"""Generate a realistic directory of any size, as the CSV Import-CsDirectory reads or as a ready store file.

    .venv/bin/python bench/gen_directory.py --users 100000 --out /tmp/big.json --format store
    .venv/bin/python bench/gen_directory.py --users 5000 --out users.csv [--pins]

What makes it realistic (deterministic for a given ``--seed``):

- display names ``First Last`` (then ``First M. Last`` once the pairs run out), spread evenly over
  about 90,000 pairs, with near-prefix families (Ken Myer / Ken Myers / Ken Myerson) and a share of
  true duplicates (``--duplicates``, default 2%: two people called Chris Cannon, in different OUs);
- unique logon names, UPNs, SIP addresses, distinguished names and phone numbers (``tel:`` LineURI
  for about 70% of users, who are then Enterprise Voice enabled); a few users are not enabled for
  Skype for Business (no SIP address);
- several OUs (departments), sites with their cities, registrar pools, two site PIN policies and two
  per-user PIN policies granted to a share of users;
- PIN state: ``--unset`` (default 20%) never set a PIN, ``--locked`` (default 10%) are locked out,
  the rest have a PIN; change and expiry dates spread over the last year.

Store files are written through the store's own import (``Directory.import_users``), so they hold
exactly what Import-CsDirectory would produce, except that the PIN hashes are not all distinct:
scrypt is slow on purpose (about 0.1 s a PIN), so a handful of PINs is hashed once and each
user's hash is one of them. A 100,000-user store takes seconds, not hours.

CSV files carry the PIN state (``IsPinSet``, ``IsLockedOut``) but, unless ``--pins`` is given, not
the PIN digits: importing a CSV hashes every PIN it holds, which for 100,000 users takes hours.
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import glob
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from csshell.store.import_plan import merged
from csshell.store.importer import BOOL_COLUMNS, DATE_COLUMNS, OPTIONAL_TEXT, TEXT_COLUMNS, UserSeed

FIRST_NAMES = (
    "Ken", "Pilar", "Aidan", "David", "Jonathan", "Lisa", "Chris", "Mariana", "Tomasz", "Amara", "Yuki", "Anna",
    "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Karin", "Liam", "Maya",
    "Nikolai", "Olga", "Pedro", "Quinn", "Rosa", "Sanjay", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yara",
    "Zoltan", "Adele", "Bruno", "Chloe", "Diego", "Emma", "Felix", "Gita", "Hugo", "Ivy", "Jonas", "Kira", "Leo",
    "Mona", "Nadia", "Oscar", "Priya", "Rafael", "Sofia", "Tobias", "Ursula", "Victor", "Wanda", "Xavier", "Yusuf",
    "Zoe", "Alice", "Bjorn", "Celia", "Daniel", "Erik", "Fatima", "Gustav", "Hana", "Igor", "Julia", "Kamal",
    "Lena", "Marco", "Nora", "Omar", "Paula", "Rahul", "Sara", "Theo", "Una", "Vikram", "Willa", "Yannick", "Zara",
    "Ahmed", "Bianca", "Conor", "Daria", "Emil", "Freya", "Giorgio", "Helga", "Ismael", "Jana", "Kevin", "Lucia",
    "Mateo", "Noor", "Otto", "Petra", "Ravi", "Selma", "Timo", "Uma", "Valentin", "Wendy", "Yosef", "Zeynep",
    "Amir", "Beatriz", "Cyrus", "Dora", "Enzo", "Flora", "Gael", "Hilde", "Ilya", "Joana", "Kai", "Laila", "Milan",
    "Nina",
)

LAST_ROOTS = (
    "Myer", "Acker", "Delan", "Longmu", "Haas", "Jacob", "Cannon", "Orteg", "Nowak", "Okaf", "Tanak", "Ander",
    "Berg", "Carls", "Dahl", "Eriks", "Fisch", "Gard", "Hold", "Ivers", "Jens", "Kral", "Lund", "Mart", "Niel",
    "Olss", "Peters", "Quist", "Ros", "Sand", "Thor", "Ulr", "Vest", "Wall", "Ying", "Zell", "Abb", "Brann", "Cost",
    "Drey", "Ell", "Frost", "Grim", "Hart", "Ing", "Jov", "Kess", "Lark", "Morr", "Nash", "Oak", "Pratt", "Reid",
    "Stein", "Tall", "Vance", "Webb", "Yates", "Zim", "Bell",
)
LAST_SUFFIXES = ("", "s", "son", "er", "man", "ley", "ton", "ford", "ez", "ini", "ova", "berg")

# department (= OU) -> titles
DEPARTMENTS = {
    "Research": ("Engineer", "Senior Engineer", "Researcher", "Manager"),
    "Sales": ("Sales Representative", "Account Manager", "Manager"),
    "Finance": ("Accountant", "Analyst", "Controller", "Manager"),
    "Support": ("Support Engineer", "Technician", "Team Lead"),
    "Marketing": ("Marketing Specialist", "Designer", "Manager"),
    "Legal": ("Counsel", "Paralegal"),
    "Operations": ("Operator", "Planner", "Manager"),
    "HR": ("Recruiter", "HR Partner"),
}
# site -> (city, country calling code + area code, weight)
SITES = {
    "Redmond": ("Redmond", "1425", 40),
    "Dallas": ("Dallas", "1214", 20),
    "Chicago": ("Chicago", "1312", 15),
    "Dublin": ("Dublin", "3531", 15),
    "Singapore": ("Singapore", "656", 10),
}
POOLS = ("pool01.litwareinc.com", "pool02.litwareinc.com", "pool03.litwareinc.com")
# PIN policies the store gets: identity -> New-CsPinPolicy values (store field names)
POLICIES = {
    "site:Dublin": {"min_password_length": 6, "pin_history_count": 5},
    "site:Singapore": {"min_password_length": 6, "pin_lifetime": 180, "pin_history_count": 3},
    "tag:ExecutivePin": {"min_password_length": 8, "pin_history_count": 10, "maximum_logon_attempts": 10},
    "tag:ContractorPin": {"min_password_length": 6, "pin_lifetime": 90, "pin_history_count": 1},
}
USER_POLICY_SHARES = (("ExecutivePin", 0.03), ("ContractorPin", 0.05))
# PINs of 8 digits without repeats, runs or phone digits: valid under every policy above. Each is
# hashed once for a store file; users share these hashes.
PINS = ("80146297", "57319480", "61928073", "40871952", "73915068", "28461395", "91734026", "36192847")
REFERENCE_TIME = _dt.datetime(2026, 6, 1, 9, 0, 0)
COLUMNS = ("DisplayName", "FirstName", "LastName", "SamAccountName", "Domain", "UserPrincipalName", "SipAddress",
           "DistinguishedName", "LineURI", "Title", "Department", "City", "EnterpriseVoiceEnabled",
           "RegistrarPool", "Site", "PinPolicy", "IsPinSet", "IsLockedOut", "Pin", "LastPinChangeTime",
           "PinExpirationTime")


@dataclass
class Shares:
    """What share of users is in each state (fractions of all users)."""
    unset: float = 0.20        # never set a PIN
    locked: float = 0.10       # PIN set and locked out
    duplicates: float = 0.02   # share a display name with an earlier user
    no_sip: float = 0.02       # in the directory but not enabled for Skype for Business
    voice: float = 0.70        # have a LineURI (Enterprise Voice)


# --- names ------------------------------------------------------------------------------------

def last_names() -> list[str]:
    return [root + suffix for root in LAST_ROOTS for suffix in LAST_SUFFIXES]


def name_sequence(count: int) -> Iterator[tuple[str, str, str]]:
    """``count`` distinct (first, middle initial or "", last) triples, pairs first, evenly spread.

    Index i goes to ``(i * step) mod space``, with ``step`` coprime to the space: a permutation, so
    neighbouring users do not share a first name and small directories still use many surnames.
    """
    firsts, lasts = FIRST_NAMES, last_names()
    pairs = len(firsts) * len(lasts)
    if count > pairs * 27:
        raise ValueError(f"at most {pairs * 27} distinct names")
    step = _coprime_step(pairs)
    for i in range(count):
        block, k = divmod(i, pairs)
        j = (k * step) % pairs
        first, last = firsts[j % len(firsts)], lasts[j // len(firsts)]
        yield first, "" if block == 0 else chr(ord("A") + block - 1), last


def _coprime_step(n: int) -> int:
    import math
    step = int(n * 0.6180339887) | 1
    while math.gcd(step, n) != 1:
        step += 2
    return step


# --- rows -------------------------------------------------------------------------------------

def generate_rows(users: int, seed: int = 1, shares: Shares | None = None, pins: bool = True) -> list[dict[str, str]]:
    """``users`` directory rows (CSV column -> text), deterministic for ``seed``."""
    shares = shares or Shares()
    rng = random.Random(seed)
    sites, weights = list(SITES), [SITES[s][2] for s in SITES]
    sams: dict[str, int] = {}
    dns: set[str] = set()
    rows: list[dict[str, str]] = []
    for i, (first, middle, last) in enumerate(name_sequence(users)):
        display = f"{first} {middle}. {last}" if middle else f"{first} {last}"
        if rows and rng.random() < shares.duplicates:
            twin = rows[rng.randrange(len(rows))]
            first, last, display = twin["FirstName"], twin["LastName"], twin["DisplayName"]
        sam = _unique_sam(f"{first[0]}{last}".lower(), sams)
        department = rng.choice(list(DEPARTMENTS))
        site = rng.choices(sites, weights)[0]
        city, prefix, _ = SITES[site]
        dn = f"CN={display},OU={department},DC=litwareinc,DC=com"
        if dn.lower() in dns:                      # a namesake in the same OU: AD needs a distinct CN
            dn = f"CN={display} ({sam}),OU={department},DC=litwareinc,DC=com"
        dns.add(dn.lower())
        enabled = rng.random() >= shares.no_sip
        line_uri = f"tel:+{prefix}{5550000 + i:07d}" if enabled and rng.random() < shares.voice else ""
        row = {"DisplayName": display, "FirstName": first, "LastName": last, "SamAccountName": sam,
               "Domain": "litwareinc", "UserPrincipalName": f"{sam}@litwareinc.com",
               "SipAddress": f"sip:{sam}@litwareinc.com" if enabled else "", "DistinguishedName": dn,
               "LineURI": line_uri, "Title": rng.choice(DEPARTMENTS[department]), "Department": department,
               "City": city, "EnterpriseVoiceEnabled": str(bool(line_uri)),
               "RegistrarPool": POOLS[i % len(POOLS)] if enabled else "", "Site": site,
               "PinPolicy": _user_policy(rng)}
        row.update(_pin_state(rng, shares, enabled, pins))
        rows.append(row)
    return rows


def _unique_sam(base: str, seen: dict[str, int]) -> str:
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}{count + 1}"


def _user_policy(rng: random.Random) -> str:
    draw = rng.random()
    for name, share in USER_POLICY_SHARES:
        if draw < share:
            return name
        draw -= share
    return ""


def _pin_state(rng: random.Random, shares: Shares, enabled: bool, pins: bool) -> dict[str, str]:
    draw = rng.random() * (1 - shares.no_sip)      # shares are of all users; only enabled ones have PINs
    if not enabled or draw < shares.unset:
        return {"IsPinSet": "False", "IsLockedOut": "False", "Pin": "", "LastPinChangeTime": "",
                "PinExpirationTime": ""}
    changed = REFERENCE_TIME - _dt.timedelta(seconds=rng.randrange(400 * 86400))
    expires = changed + _dt.timedelta(days=180) if rng.random() < 0.1 else None
    pin = rng.choice(PINS)                  # drawn either way: the same seed gives the same directory
    return {"IsPinSet": "True", "IsLockedOut": str(draw < shares.unset + shares.locked),
            "Pin": pin if pins else "", "LastPinChangeTime": changed.isoformat(),
            "PinExpirationTime": expires.isoformat() if expires else ""}


def counts(rows: list[dict[str, str]]) -> dict[str, int]:
    """What a generated directory holds, for reports and tests."""
    names: dict[str, int] = {}
    for row in rows:
        names[row["DisplayName"]] = names.get(row["DisplayName"], 0) + 1
    return {"users": len(rows), "enabled": sum(1 for r in rows if r["SipAddress"]),
            "pin_set": sum(1 for r in rows if r["IsPinSet"] == "True"),
            "locked": sum(1 for r in rows if r["IsLockedOut"] == "True"),
            "duplicate_names": sum(1 for n in names.values() if n > 1),
            "with_policy": sum(1 for r in rows if r["PinPolicy"]),
            "voice": sum(1 for r in rows if r["LineURI"])}


def unique_name(rows: list[dict[str, str]], near: float = 0.5) -> str:
    """An enabled user whose display name nobody else has, from about ``near`` of the way into ``rows``."""
    names: dict[str, int] = {}
    for row in rows:
        names[row["DisplayName"]] = names.get(row["DisplayName"], 0) + 1
    start = int(len(rows) * near)
    for row in rows[start:] + rows[:start]:
        if names[row["DisplayName"]] == 1 and row["SipAddress"]:
            return row["DisplayName"]
    raise ValueError("no uniquely named enabled user")


# --- writers ----------------------------------------------------------------------------------

def write_csv(rows: list[dict[str, str]], path: str, pins: bool = False) -> None:
    """The CSV Import-CsDirectory reads (without PIN digits unless ``pins``)."""
    columns = [c for c in COLUMNS if pins or c != "Pin"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


SAMPLE = 300                            # rows at each end of a generated store checked against the import
ACTOR, ORIGIN = "gen_directory", "bench"
_HASHES: dict[str, str] = {}


def hash_once(pin: str) -> str:
    """One scrypt hash per PIN and process, shared by every store this process generates."""
    from csshell.store import pins
    if pin not in _HASHES:
        _HASHES[pin] = pins.hash_pin(pin)
    return _HASHES[pin]


def write_store(rows: list[dict[str, str]], path: str) -> None:
    """A store file holding ``rows`` and :data:`POLICIES`, as Import-CsDirectory would leave it.

    Documents are built here, in one pass, rather than by the import (which validates every row and
    hashes every PIN: minutes at 100,000 users); :func:`check_documents` proves on a sample that both
    give the same documents. Each distinct PIN is hashed once (a fresh salt per PIN, not per user).
    """
    from csshell.store import open_store, schema
    hashes = {pin: hash_once(pin) for pin in sorted({row["Pin"] for row in rows if row["Pin"]})}
    docs = [user_document(row, hashes) for row in rows]
    sample = sorted(set(range(min(SAMPLE, len(rows)))) | set(range(max(0, len(rows) - SAMPLE), len(rows))))
    check_documents([rows[i] for i in sample], [docs[i] for i in sample], hashes, path)
    for old in [path, *glob.glob(glob.escape(path) + ".*")]:     # an earlier store there, its journal, backup...
        if os.path.exists(old):
            os.remove(old)
    store = open_store(path)
    try:
        with store.statement():
            for identity, values in POLICIES.items():
                store.directory.create_pin_policy(identity, values, actor=ACTOR, origin=ORIGIN)
            with store.change():
                users = store.table(schema.USERS)
                users.truncate()               # a whole table replaced, as by an import: the store compacts
                users.insert_multiple(docs)
                store.directory.record_change("Import-CsDirectory", path, ACTOR, ORIGIN,
                                              f"{len(docs)} users generated by bench/gen_directory.py")
                store.invalidate_caches()
    finally:
        store.close()


def user_document(row: dict[str, str], hashes: dict[str, str]) -> dict[str, Any]:
    """The stored user document for one generated row: the row as the importer's validation would leave
    it (without re-checking it: generated rows are valid by construction, see check_documents), merged
    by the import's own :func:`merged`."""
    doc: dict[str, Any] = {col: row.get(col, "") for col in TEXT_COLUMNS}
    for col in OPTIONAL_TEXT:
        doc[col] = doc[col] or None
    for col in BOOL_COLUMNS:
        doc[col] = row[col] == "True"
    for col in DATE_COLUMNS:
        doc[col] = row[col] or None
    pin = row.get("Pin") or None
    return merged(UserSeed(0, doc, pin), None, hashes[pin] if pin else None)


def check_documents(rows: list[dict[str, str]], docs: list[dict[str, Any]], hashes: dict[str, str],
                    path: str) -> None:
    """Refuse to write a store whose documents differ from what Import-CsDirectory makes of the same rows."""
    from csshell.store.importer import validate_rows
    seeds = validate_rows([(n + 2, row) for n, row in enumerate(rows)], path)
    for seed, doc in zip(seeds, docs):
        expected = merged(seed, None, hashes.get(seed.pin or ""))
        if expected != doc:
            raise RuntimeError("bench/gen_directory.py builds user documents unlike Import-CsDirectory now does "
                               f"(line {seed.line}):\n  import: {expected}\n  here:   {doc}\nUpdate user_document().")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--out", required=True, help="the file to write")
    parser.add_argument("--format", choices=("csv", "store"), default=None,
                        help="default: store for a .json file, else csv")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--locked", type=float, default=Shares.locked, help="share of locked-out users")
    parser.add_argument("--unset", type=float, default=Shares.unset, help="share of users without a PIN")
    parser.add_argument("--duplicates", type=float, default=Shares.duplicates, help="share of duplicate names")
    parser.add_argument("--pins", action="store_true", help="CSV: include PIN digits (slow to import)")
    args = parser.parse_args(argv)
    fmt = args.format or ("store" if args.out.lower().endswith(".json") else "csv")
    shares = Shares(unset=args.unset, locked=args.locked, duplicates=args.duplicates)
    start = time.perf_counter()
    rows = generate_rows(args.users, args.seed, shares, pins=fmt == "store" or args.pins)
    if fmt == "store":
        write_store(rows, args.out)
    else:
        write_csv(rows, args.out, pins=args.pins)
    summary = ", ".join(f"{k} {v}" for k, v in counts(rows).items())
    print(f"{args.out}: {fmt}, {summary} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
