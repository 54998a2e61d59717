"""Reading the dates and times people type. The clock is read only by the caller (cli)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from rugcoach.errors import UsageError
from rugcoach.i18n import t

_RELATIVE = {"today": 0, "vandaag": 0, "yesterday": 1, "gisteren": 1}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_day(text: str, today: date, option: str = "--date") -> date:
    """`YYYY-MM-DD`, `today` or `yesterday` (also in Dutch); anything else is a usage error."""
    word = text.strip().lower()
    if word in _RELATIVE:
        return today - timedelta(days=_RELATIVE[word])
    try:
        if len(word) == 10:
            return date.fromisoformat(word)
    except ValueError:
        pass
    raise UsageError(t("error.bad_date", option=option, value=text))


def past_day(text: str | None, today: date, option: str = "--date") -> date:
    """The day `text` names (today when None); a day after today is a usage error."""
    day = parse_day(text, today, option) if text else today
    if day > today:
        raise UsageError(t("error.future_date", option=option))
    return day


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def is_iso_date(value: str) -> bool:
    """A real calendar date written exactly as YYYY-MM-DD (what the diary stores)."""
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse_time(text: str) -> str:
    """`HH:MM`, 24-hour clock; a single-digit hour is padded."""
    value = text.strip()
    if re.match(r"^\d:\d\d$", value):
        value = "0" + value
    if not _TIME.match(value):
        raise UsageError(t("error.bad_time", value=text))
    return value


def utc_offset(moment: datetime) -> str | None:
    """The offset as "+01:00" for an aware time; None where the zone's offset is not whole
    minutes (the local mean time of old dates), which the diary cannot hold."""
    offset = moment.utcoffset()
    if offset is None:
        return None
    seconds = int(offset.total_seconds())
    if seconds % 60:
        return None
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def local_offset(day: date, time: str | None) -> str | None:
    """The UTC offset this computer's time zone had at `time` (HH:MM; noon when there is
    none) on `day`: a time typed for another moment gets that moment's summer or winter
    time. Reads the zone, so only the shell calls it at logging time; an export uses it
    only for entries logged before the diary recorded their offset."""
    hour, minute = (int(part) for part in (time or "12:00").split(":"))
    try:
        moment = datetime(day.year, day.month, day.day, hour, minute).astimezone()
    except (OverflowError, OSError, ValueError):  # a date the platform's zone data lacks
        return None
    return utc_offset(moment)
