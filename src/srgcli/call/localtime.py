"""The client's local time: the zone from the phone number or the object's address, and
whether now is a good moment to call (9:00–20:00 local time, on a working day).

Landline numbers carry their zone (phonenumbers' time-zone data gives one zone for them);
a mobile number gives all of Russia's, so the object's region in the address decides
(`data/regions_tz.tsv`). Days off are those of the workspace's business calendar: Russia's
federal calendar plus the days off set in `[sla]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from srgcli.calendar import BusinessCalendar

REGIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "regions_tz.tsv"
DEFAULT_ZONE = "Europe/Moscow"
CALL_FROM = time(9, 0)
CALL_UNTIL = time(20, 0)
# phonenumbers files Kaliningrad (+7 4012) under a zone of the same offset abroad; Russia's
# own zone has no summer time.
_RUSSIAN_ZONE = {"Europe/Bucharest": "Europe/Kaliningrad"}


@dataclass(frozen=True)
class ClientZone:
    """The client's time zone and where it was found: "phone", "address" or "default"."""

    zone: str
    source: str

    @property
    def info(self) -> ZoneInfo:
        """The zone as a tzinfo."""
        return ZoneInfo(self.zone)


def zone_from_phone(phone: str | None) -> str | None:
    """The one time zone of a number, or None (a mobile number, no number, not parsable)."""
    if not phone:
        return None
    import phonenumbers
    from phonenumbers import timezone

    try:
        number = phonenumbers.parse(phone, "RU")
    except phonenumbers.NumberParseException:
        return None
    zones = timezone.time_zones_for_number(number)
    if len(zones) != 1 or zones[0] == timezone.UNKNOWN_TIMEZONE:
        return None
    zone = str(zones[0])
    if number.country_code == 7:
        zone = _RUSSIAN_ZONE.get(zone, zone)
    return zone


@lru_cache(maxsize=1)
def _regions() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = []
    for raw in REGIONS_FILE.read_text("utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        pattern, zone = raw.split("\t")
        rows.append((re.compile(r"(?<!\w)" + pattern.strip(), re.IGNORECASE), zone.strip()))
    return tuple(rows)


def zone_from_address(address: str | None) -> str | None:
    """The zone of the region named first in an address, or None when none is recognised."""
    if not address:
        return None
    text = address.replace("ё", "е").replace("Ё", "Е")
    best: tuple[int, str] | None = None
    for pattern, zone in _regions():
        found = pattern.search(text)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), zone)
    return best[1] if best else None


def client_zone(phone: str | None, address: str | None) -> ClientZone:
    """The phone's zone when it has one, else the address's, else Moscow's."""
    zone = zone_from_phone(phone)
    if zone:
        return ClientZone(zone, "phone")
    zone = zone_from_address(address)
    if zone:
        return ClientZone(zone, "address")
    return ClientZone(DEFAULT_ZONE, "default")


@dataclass(frozen=True)
class CallTime:
    """The client's local moment and whether a call fits it."""

    zone: ClientZone
    local: datetime
    business_day: bool
    within_hours: bool
    next_window: datetime | None  # the next good moment (local time), when now is not one

    @property
    def good(self) -> bool:
        """True when calling now is polite: working hours on a working day."""
        return self.business_day and self.within_hours

    @property
    def utc_offset(self) -> str:
        """«UTC+7»."""
        offset = self.local.utcoffset() or timedelta(0)
        hours, rest = divmod(int(offset.total_seconds()), 3600)
        minutes = rest // 60
        return f"UTC{hours:+d}" + (f":{minutes:02d}" if minutes else "")


def call_time(zone: ClientZone, moment: datetime, calendar: BusinessCalendar) -> CallTime:
    """Where `moment` falls for the client, and the next good moment when it is a bad one."""
    local = moment.astimezone(zone.info)
    business = calendar.is_business_day(local.date())
    within = CALL_FROM <= local.time() < CALL_UNTIL
    following = None
    if not (business and within):
        day = local.date()
        if business and local.time() < CALL_FROM:
            following = datetime.combine(day, CALL_FROM, tzinfo=zone.info)
        else:
            day += timedelta(days=1)
            while not calendar.is_business_day(day):
                day += timedelta(days=1)
            following = datetime.combine(day, CALL_FROM, tzinfo=zone.info)
    return CallTime(zone, local, business, within, following)
