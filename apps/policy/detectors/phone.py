"""Phone numbers, judged by Google's libphonenumber on cheap regex candidates.

Sellers write many long numbers that are not phones (order, tracking, SKU and case numbers,
dates, prices), and almost any ten digits are a valid number *somewhere*. So a candidate is
accepted on three kinds of evidence together:

* shape: runs of 7-15 digits with separators; dates, prices, measurements and the shapes
  of tracking numbers (4-4-4-…) and ZIP+4 codes are masked or rejected first;
* libphonenumber: `+CC …`/`00CC …` must be a possible international number; a national
  number must be valid (or, for NANP-style ten-digit numbers, possible) in one of the
  configured regions, written with the trunk prefix that region requires ("0…" in GB/DE/FR);
* context: "call/phone/WhatsApp …" before a number raises confidence, "order/tracking/SKU
  …" right before it rules it out, as does a number glued to letters ("1Z999AA1…").
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from ..hits import Hit
from ..normalize import NormText
from ..superset import WIDE_ALNUM, WIDE_OTHER, encode, wide_characters

CATEGORY = "phone"

# Inside a run of digits: dates ("12/03/2025", "2025-03-12") are cut out before judging.
_DATE = re.compile(
    r"(?<![0-9])(?<![0-9][/.\-])(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{2,4})(?![0-9]|[/.\-]\d)"
)
# Right before or after a run: money and units ("$12,345.67", "1.299,99 €", "2500 mAh", "15%").
_MONEY_BEFORE = frozenset("$€£¥₹")
_UNIT_AFTER = re.compile(
    r"\s?(?:€|\$|£|%|eur|euros?|usd|dollars?|gbp|pesos|mxn|inr|cents?|mm|cm|km|m|in|inch(?:es)?|ft|feet|kg|g"
    r"|lbs?|oz|ml|l|mah|gb|tb|mb|ghz|mhz|hz|w|kw|kwh|v|psi|rpm|dpi|pcs|pieces|units|packs?|x)(?![a-z0-9])"
)
# A digit first, not an optional "+": then the engine skips to digits at C speed (the "+"
# is taken back on in `_digit_runs`).
_DIGIT_RUN = re.compile(r"[0-9](?:[\s().\-/_*·,|~]{0,3}[0-9]){6,}")
_SEPARATOR = re.compile(r"[\s().\-/_*·,|~]")
_MASK = bytes(
    ord("d") if chr(c) in "0123456789" else ord("s") if _SEPARATOR.fullmatch(chr(c)) else ord("x")
    for c in range(256)
)
_MASK = _MASK[:WIDE_ALNUM] + b"xx" + _MASK[WIDE_OTHER + 1 :]  # the stand-ins for wider characters
_MASKED_RUN = re.compile(rb"d(?:s{0,3}d){6,}")
_GLUED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789#")
_GROUP = re.compile(r"[0-9]+")
_STRONG_SEPARATOR = re.compile(r"\s*[,;|/]\s*|\n[^\S\n]*\n|\s{3,}")
_LIST_SEPARATOR = re.compile(r"\s*[,;|]\s*|\s*/\s+|\s+/\s*")
_MIN_DIGITS, _MAX_DIGITS = 7, 15

# The nearest keyword before a number decides what it is.
_CONTEXT = re.compile(
    r"""(?:
    (?P<phone>call|calling|phone|ph|tel|telephone|mobile|mob|cell|cellphone|text|txt|sms|whats\w*|wa
      |telegram|signal|viber|wechat|ring|dial|fax|reach\ me|contact\ me|my\ number|number\ is|numbers?\ are
      |llama\w*|llame|tel[eé]fono|telefono|m[oó]vil|celular|cel|handy\w*|telefon\w*|anruf\w*|ruf
      |portable|t[eé]l[eé]phone|appel\w*|mobil)
    | (?P<ref>order|orders|tracking|track|trk|invoice|receipt|sku|model|part|ref|reference|case|ticket|asin
      |serial|s/n|sn|confirmation|transaction|rma|return|isbn|upc|ean|gtin|lot|batch|iban|bic|vat|tax|awb
      |waybill|barcode|imei|mpn|code|pin|otp|locker|parcel|package|shipment|item|listing|article|art|id
      |pedido|seguimiento|factura|referencia|commande|suivi|facture|colis|bestell\w*|sendung\w*|rechnung
      |artikel|modell|paquete|env[ií]o|albar[aá]n|n[ºo°]\ de\ (?:pedido|seguimiento|commande)|account|acct)
    | (?P<carrier>ups|usps|fedex|dhl|dpd|gls|hermes|evri|royal\ mail|parcelforce|canada\ post|australia\ post
      |correos|seur|la\ poste|colissimo|chronopost|deutsche\ post|poste\ italiane|estafeta|ontrac|purolator)
    | (?P<weak>number|num|no|nr|n[ºo°]|\#|n[uú]mero|num[eé]ro|nummer|contact|contacto|kontakt)
    )(?![a-z])""",
    re.VERBOSE,
)
_CONTEXT_REACH = 36
# Regions whose numbers are usually written without the trunk prefix ("(11) 91234-5678").
_TRUNK_OPTIONAL = frozenset({"BR", "IN"})
_AFTER_CUE = re.compile(
    r"\s*(?:is|es|ist|est)?\s*(?:my|mi|mein|meine|mon|our)\s+(?:cell|phone|mobile|number|whatsapp|tel)"
)


class _Candidate(NamedTuple):  # a tuple: made by the thousand, and cheaper to make than a dataclass
    start: int
    end: int
    text: str
    digits: str
    groups: tuple[int, ...]
    international: bool


def find_phones(view: NormText, regions: tuple[str, ...]) -> list[Hit]:
    """Phone numbers in the digits view (see numbers.py), as Hits on the original text."""
    text = view.text
    hits: list[Hit] = []
    for match_text, match_start in _candidates(text):
        raw_start, raw_end = view.span(match_start, match_start + len(match_text))
        # A number spelled out in words ("five five five, eight six seven …") is an evasion:
        # its commas are not a list, and it is no order reference.
        spelled = raw_end - raw_start > 2 * len(match_text)
        if _plain_reference(match_text, match_start, text):
            continue
        for candidate in _pieces(match_text, match_start, lists=not spelled):
            confidence = _judge(candidate, text, regions)
            if confidence is None:
                continue
            start, end = view.span(candidate.start, candidate.end)
            hits.append(Hit(CATEGORY, start, end, max(confidence, 0.9) if spelled else confidence))
    return hits


def _plain_reference(raw: str, start: int, text: str) -> bool:
    """Whether _pieces and _judge would find no phone in the run, told without parsing it
    (most digit runs in order talk): no list in it, and either too many digits with nothing
    to split them at, or kept whole, not international and after an order or tracking word."""
    if raw.startswith(("+", "00", "(")) or _LIST_SEPARATOR.search(raw):
        return False
    if sum(map(raw.count, "0123456789")) > _MAX_DIGITS:
        return not _STRONG_SEPARATOR.search(raw)
    return _context_before(text[max(0, start - _CONTEXT_REACH) : start]) == "ref"


def _candidates(text: str) -> list[tuple[str, int]]:
    """Digit runs, minus dates, prices, measurements and numbers glued to letters."""
    found: list[tuple[str, int]] = []
    mask = _run_mask(text)
    for start, end in _digit_runs(text, 0, len(text), mask):
        # "1Z999AA1012345678", "SKU4411220", "INV-2025-000123": digits glued to letters
        # (or to a code's letters and a dash) are references.
        if start and (
            text[start - 1] in _GLUED or (text[start - 1] in "-_/" and text[start - 2 : start - 1].isalpha())
        ):
            continue
        if text[max(0, start - 2) : start].strip() in _MONEY_BEFORE or _UNIT_AFTER.match(text, end):
            continue
        cursor = start
        for date in _DATE.finditer(text, start, end):
            if _is_date(date):
                found.extend(_runs(text, cursor, date.start(), mask))
                cursor = date.end()
        if cursor != start:
            found.extend(_runs(text, cursor, end, mask))
        elif start and text[start - 1] == "(" and ")" in text[start:end]:
            found.append(("(" + text[start:end], start - 1))  # keep "(11) 91234-5678" whole
        else:
            found.append((text[start:end], start))
    return found


def _run_mask(text: str) -> bytes | None:
    """`text` one byte per character: "d" for a digit, "s" for a separator _DIGIT_RUN allows
    between digits, "x" for anything else (None when a character past Latin-1 is whitespace,
    which the encoding cannot tell from other symbols)."""
    if any(c.isspace() for c in wide_characters(text)):
        return None
    return encode(text).translate(_MASK)


def _digit_runs(text: str, start: int, end: int, mask: bytes | None) -> list[tuple[int, int]]:
    """Spans of runs of seven or more digits in text[start:end], with a "+" in front.

    Read in `mask` when there is one: the same runs, found about twice as fast.
    """
    runs = []
    found = _DIGIT_RUN.finditer(text, start, end) if mask is None else _MASKED_RUN.finditer(mask, start, end)
    for match in found:
        low, high = match.span()
        runs.append((low - 1 if low > start and text[low - 1] == "+" else low, high))
    return runs


def _is_date(match: re.Match[str]) -> bool:
    first, second, third = match.group("a", "b", "c")
    a, b, c = int(first), int(second), int(third)
    if len(first) == 4:
        return 1 <= b <= 12 and 1 <= c <= 31
    if len(third) not in (2, 4):
        return False
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)


def _runs(text: str, start: int, end: int, mask: bytes | None) -> list[tuple[str, int]]:
    return [(text[low:high], low) for low, high in _digit_runs(text, start, end, mask)]


def _pieces(raw: str, offset: int, *, lists: bool = True) -> list[_Candidate]:
    """The run split at list separators ("100, 250, 500", "52.52, 13.40") unless it is
    single digits ("5, 5, 5, …") or `lists` is off, then too-long runs at wide gaps."""
    whole = _candidate(raw, offset)
    if lists and whole.groups and max(whole.groups) > 1 and _LIST_SEPARATOR.search(raw):
        parts = _split(raw, offset, _LIST_SEPARATOR)
    elif len(whole.digits) > _MAX_DIGITS:
        parts = _split(raw, offset, _STRONG_SEPARATOR)
    else:
        return [whole]
    return [p for p in parts if _MIN_DIGITS <= len(p.digits) <= _MAX_DIGITS]


def _split(raw: str, offset: int, separator: re.Pattern[str]) -> list[_Candidate]:
    pieces, cursor = [], 0
    for sep in separator.finditer(raw):
        pieces.append(_candidate(raw[cursor : sep.start()], offset + cursor))
        cursor = sep.end()
    pieces.append(_candidate(raw[cursor:], offset + cursor))
    return pieces


def _candidate(raw: str, offset: int) -> _Candidate:
    lead, stripped, digits, groups, international = _parse(raw)
    return _Candidate(offset + lead, offset + lead + len(stripped), stripped, digits, groups, international)


@lru_cache(maxsize=8192)
def _parse(raw: str) -> tuple[int, str, str, tuple[int, ...], bool]:
    """(lead, stripped, digits, group lengths, international) of a run: a pure function of
    its text, and the same order, SKU and tracking numbers recur from message to message."""
    stripped = raw.rstrip(" \t\n(.-/_*·,|~")
    if stripped.endswith(")") and "(" not in stripped:
        stripped = stripped.rstrip(")")
    lead = len(stripped) - len(stripped.lstrip(" \t\n.-/_*·,|~" + ("" if ")" in stripped else "(")))
    stripped = stripped[lead:]
    found = _GROUP.findall(stripped)
    groups = tuple(map(len, found))
    digits = "".join(found)
    international = stripped.startswith("+") or (stripped.startswith("00") and groups[0] <= 4)
    if stripped.startswith("00") and international:
        digits = digits[2:]
    return lead, stripped, digits, groups, international


def _judge(candidate: _Candidate, text: str, regions: tuple[str, ...]) -> float | None:
    digits, groups = candidate.digits, candidate.groups
    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        return None
    context = _context(text, candidate.start, candidate.end)
    if context == "ref" and not candidate.international:
        return None
    evasive = len(groups) >= 5 and max(groups) <= 2 and groups.count(1) >= 3
    if (
        not candidate.international
        and context != "phone"
        and not evasive
        and _looks_like_reference(digits, groups)
    ):
        return None
    if candidate.international:
        return _international(digits)
    if context == "phone" and not digits.startswith("0") and len(digits) >= 11:
        # "WhatsApp number is 44 7911 123456": a country code without its "+".
        with_code = _international(digits)
        if with_code and with_code >= 0.9:
            return with_code
    if len(digits) < 9 and not digits.startswith("0"):
        # Seven or eight digits are a local number only when the text says it is a phone.
        local = context in ("phone", "weak") and len(groups) >= 2
        return (0.9 if context == "phone" else 0.7) if local else None
    valid, nanp = _national(digits, regions)
    phone_like = evasive or (2 <= len(groups) <= 6 and max(groups) <= 8)
    if len(groups) == 1 and not context:
        # Ten bare digits are valid *somewhere* and also look like any reference number:
        # a moderator should look rather than the filter decide.
        return 0.55 if valid or nanp else None
    if valid:
        confidence = 0.9 if phone_like or context else 0.75
    elif nanp and (phone_like or context):
        # "555 123 4567": NANP shape, not a real area code; people use such numbers all the time.
        confidence = 0.8 if context == "phone" or evasive else 0.7
    elif nanp:
        confidence = 0.55  # ten bare digits: a moderator should look
    else:
        return None
    if context == "phone":
        confidence = max(confidence, 0.9)
    return confidence


def _looks_like_reference(digits: str, groups: tuple[int, ...]) -> bool:
    if len(groups) >= 3 and all(g == 4 for g in groups[:-1]) and not digits.startswith("0"):
        return True  # 4-4-4(-4…): tracking and card numbers; German phones start with 0
    if groups == (5, 4):
        return True  # ZIP+4
    # "sizes 36 38 40 42 44"; French numbers, also in pairs, start with 0.
    return len(groups) >= 4 and all(g == 2 for g in groups) and not digits.startswith("0")


def _context(text: str, start: int, end: int) -> str | None:
    """ "phone" if the nearest keyword before says so, else "ref" if any reference word
    ("order", "tracking", "SKU" …) is near, else "weak" ("number") or None."""
    before = _context_before(text[max(0, start - _CONTEXT_REACH) : start])
    if before in ("phone", "ref"):
        return before
    if _AFTER_CUE.match(text, end):
        return "phone"
    return before


@lru_cache(maxsize=8192)
def _context_before(window: str) -> str | None:
    """What the keywords in the window before a number say (cached: the same few words
    come before numbers again and again)."""
    kinds = [match.lastgroup for match in _CONTEXT.finditer(window)]
    if kinds and kinds[-1] == "phone":
        return "phone"
    if "ref" in kinds or "carrier" in kinds:
        return "ref"  # an order's reference, or a carrier's own hotline: order talk
    return "weak" if kinds else None


@lru_cache(maxsize=4096)
def _international(digits: str) -> float | None:
    import phonenumbers  # imported on first use: `import apps.policy` stays light
    from phonenumbers import NumberParseException

    try:
        number = phonenumbers.parse("+" + digits, None)
    except NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return 0.95
    if phonenumbers.is_possible_number(number):
        return 0.8
    return None


@lru_cache(maxsize=4096)
def _national(digits: str, regions: tuple[str, ...]) -> tuple[bool, bool]:
    """(valid in one of the regions, NANP-shaped), honouring each region's trunk prefix.

    Validity alone would not do: almost any ten digits are a valid number somewhere, which
    is why the trunk prefix must be the one the region writes ("0…" in GB, DE, FR).
    """
    import phonenumbers
    from phonenumbers import NumberParseException

    for region in regions:
        trunk, lengths = _region_rules(region)
        national = digits
        if trunk == "1" and digits.startswith("1") and len(digits) == 11:
            national = digits[1:]
        elif trunk == "0" and not digits.startswith("0") and region not in _TRUNK_OPTIONAL:
            continue  # GB/DE/FR numbers are written with their leading 0
        length = len(national) - (1 if trunk == "0" and national.startswith("0") else 0)
        if length not in lengths:
            continue
        try:
            number = phonenumbers.parse(national, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True, True
    nanp_digits = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    nanp = ("US" in regions or "CA" in regions) and len(nanp_digits) == 10 and nanp_digits[0] in "23456789"
    return False, nanp


@cache
def _region_rules(region: str) -> tuple[str | None, frozenset[int]]:
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return None, frozenset()
    lengths = set(metadata.general_desc.possible_length or ())
    return metadata.national_prefix, frozenset(lengths)
