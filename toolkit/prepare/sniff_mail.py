r"""An e-mail saved as text, headers and all (:func:`mail_kind`, asked by
:func:`toolkit.prepare.sniff.markup_kind`).

An e-mail saved with its headers (.eml, an mbox's "From " line first): its parts (the text,
the HTML, quoted-printable "=3D" and "=" line ends) would be translated as one article, and
a plain one's headers (From:, To:, Received: ...) as its first lines: names and addresses
built as English sentences. A text that opens with "Title:/Date:/Content-Type: text/plain"
lines is text with a header: only MIME-Version, a content type other than text/plain or an
encoded body make it MIME.

Without MIME, a header block (every line ``Name: value`` up to the first blank line, blank
space on it or not; line ends ``\n``, ``\r\n``, ``\r\r\n`` or a lone ``\r``) is an e-mail's
when it has

* a sender line (From:, Sender:, Return-Path:, Outlook's Von:/Van:/De:/Da:) and a header only
  e-mail has (To:, Subject:, Message-ID:, Received:, Sent: ..., :data:`_MAIL_ONLY`): one with
  a sender's address, two distinct ones for a sender named without one (Outlook copies "Von:
  Hans Müller"), and an e-mail's signal besides: the sender's address, a date as only mail
  software writes it (:data:`_MAIL_DATE`), a subject field, empty or not (:data:`_SUBJECT`),
  or Outlook's Sent:/Gesendet:/Envoyé :/Verzonden:/Enviado el: line (Inviato:/Enviado: with
  the date and time Outlook writes) with a recipient's (:data:`_SENT`); or
* a sender's address and such a date (a bare "From:"/"Date:" pair).

A sender line given twice is no header block: speakers' initials in an interview's transcript
("DE: Frau Neumann, wie ...?" / "AN: Danke ..." / "DE: ..."). A byline "Von: Anna Huber",
"From: Reuters", "From: Anna Huber (@annahuber)", a press release's From:/Date: with a date as
people write it ("1 December 2026"), a vote's tally ("De : l'Assemblée nationale" / "Pour :
312 voix" / "Contre : ..." / "À : main levée": no address, mail date or subject) are text. A
memo's block with a subject ("De : Direction" / "À : Tous les services" / "Objet : ...") is
read as an e-mail's headers and refused: it has every field an Outlook copy has, and
``plain_text:`` builds it as it is.

A forwarded message's block (Gmail's, Thunderbird's and Outlook's "Forwarded message" lines,
Apple Mail's "Begin forwarded message:", Outlook's line of underscores above
From:/Sent:/To:/Subject:) is the message only where it
opens the text, after at most the forwarder's short note (:data:`_NOTE`), or a longer one
that opens with a greeting ("Hallo Frau Berger,") and is signed with a sign-off and a name right
above the block (:data:`_SIGNED_NOTE`; every forwarded line within it is tried, a signature's
underscores above an "Original Message" line too): an article quoting a forwarded e-mail below
its own prose is text, a letter or reply it quotes signed and all (BENCHMARKS.md, "Markup saved
as text"). A false refusal stops a document, a missed e-mail is only built as text: where the
two meet, the rule lets the text through.
A header's name may hold any letter ("À:", "Envoyé :"), and French typography puts a space
before its colon ("Objet :", "Date :").

    >>> mail_kind("From: a@example.org\nTo: b@example.org\nSubject: Hi\n \nText.")
    'an e-mail message with its headers'
    >>> mail_kind("DE: Wie geht es?\nAN: Gut.\nDE: Und Ihnen?\nAN: Danke.\n\nText.") is None
    True
"""

from __future__ import annotations

import re

_COLON = r"[ \t\u00a0\u202f]?:"
# Spanish Outlook's "Enviado el:" is the one header name with a space in it.
_HEADER = re.compile(rf"((?i:enviado el)|[^\W\d_][\w-]{{0,200}}?){_COLON}")
_BLANK = re.compile(r"\n[^\S\n]*\n")  # a blank line, blank space on it or not
_MIME = re.compile(
    r"mime-version:|content-type:[ \t]*(?!text/plain\b)\S"
    r"|content-transfer-encoding:[ \t]*(?:quoted-printable|base64)",
    re.I,
)
# Outlook pastes the headers it shows in the reader's language: Von:/An:/Betreff:/Gesendet:,
# Van:/Aan:/Onderwerp:/Verzonden:, De :/À :/Objet :/Envoyé :, Thunderbird's Pour :/Sujet :,
# De:/Para:/Asunto:/Enviado:, Da:/Oggetto:/Inviato: (Italian's "A:" is left out: an
# interview's answer lines).
_SENDER = re.compile(rf"(?:from|sender|return-path|von|van|de|da){_COLON}", re.I)
_ADDRESS = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")  # bounded: linear
_MAIL_ONLY = re.compile(
    r"(?:to|cc|bcc|subject|message-id|received|sent|reply-to|in-reply-to|references|x-mailer"
    r"|delivered-to|an|betreff|gesendet|aan|onderwerp|verzonden|\u00e0|objet|envoy\u00e9|pour"
    rf"|sujet|para|asunto|enviado(?: el)?|oggetto|inviato){_COLON}",
    re.I,
)
# A subject field, empty or not ("Betreff: " in an Outlook copy sent without one).
_SUBJECT = re.compile(rf"(?:subject|betreff|onderwerp|objet|sujet|asunto|oggetto){_COLON}", re.I)
# Outlook's "Sent:" line, which no other program writes: with a sender and a recipient
# (:data:`_TO`) a sign of e-mail. Italian's "Inviato:" and Spanish "Enviado:" also name a
# newspaper's correspondent ("Inviato: a Roma"): they count only with the date and time Outlook
# writes there ("Inviato: luned\u00ec 1 dicembre 2026 10:00"), a year and then a time (bounded
# spans between them: linear on a long line).
_SENT = re.compile(
    rf"(?:sent|gesendet|envoy\u00e9|verzonden|enviado el){_COLON}"
    rf"|(?:inviato|enviado){_COLON}[^\n]{{0,60}}?\b\d{{4}}\b[^\n]{{0,20}}?\b\d{{1,2}}:\d\d\b",
    re.I,
)
# With a Sent line, Italian Outlook's recipient "A:" is one (alone, an interview's answer).
_TO = re.compile(rf"(?:to|an|aan|\u00e0|para|a){_COLON}", re.I)
# RFC 5322's date, as mail software writes it ("Date: Mon, 1 Dec 2026 10:00:00 +0100"), and
# Thunderbird's German "Datum:" line: no person writes a press release's date so.
_MAIL_DATE = re.compile(
    rf"dat(?:e|um){_COLON}[ \t]*(?:[a-z]{{3}},[ \t]*)?\d{{1,2}}[ \t]+[a-z]{{3}}[ \t]+\d{{4}}"
    r"[ \t]+\d\d:\d\d(?::\d\d)?[ \t]+(?:[+-]\d{4}|gmt|ut|utc)\b",
    re.I,
)
# What Gmail, Thunderbird, Outlook and Apple Mail write above a forwarded message's headers
# (often after a note of the forwarder's): a labelled line (dashed, or Apple's "Begin forwarded
# message:"), whose headers follow, blank lines above them or not, or Outlook's line of
# underscores, a whole header block below it.
_FORWARDED = re.compile(
    r"^(?:(-{5,}[ \t]*(?:forwarded message|weitergeleitete nachricht|original message"
    r"|urspr\u00fcngliche nachricht|message transf\u00e9r\u00e9|message d'origine"
    r"|doorgestuurd bericht|oorspronkelijk bericht|mensaje reenviado|mensaje original"
    r"|messaggio inoltrato|messaggio originale)[ \t]*-*"
    r"|(?:begin forwarded message|anfang der weitergeleiteten nachricht"
    r"|d\u00e9but du message r\u00e9exp\u00e9di\u00e9|begin doorgestuurd bericht)" + _COLON + r")"
    r"|_{20,})[ \t]*\n",
    re.I | re.M,
)
_TWO_HEADERS = re.compile(rf"(?:[^\S\n]*\n)*(?:[^\W\d_][\w-]{{0,40}}{_COLON}[^\n]*\n){{2}}")
# The forwarder's note above the forwarded block: at most this many characters, blank space
# aside ("FYI", "Hi Jane, see below. Best, John" and a signature's name and title). Longer,
# the text is an article quoting the message. 10kGNAD's articles pass 200 such characters
# within their first three sentences in 913 of 1,028, their first two in 398, their first in 6:
# a message quoted that early in an article is still refused (BENCHMARKS.md).
_NOTE = 200
# A longer note is the forwarder's only when it opens with a greeting (:data:`_GREETING`) and
# is signed, a sign-off and a name right above the forwarded line (:func:`_signed`), and then
# at most this long: an article quotes a forwarded e-mail below a paragraph of prose (a reply
# it quotes signed, "Mit freundlichen Grüßen / Maria Huber", above the message it answers),
# and a letter it reprints further on.
_SIGNED_NOTE = 1500
# The note's first line: a greeting and at most a few words up to a comma, "!" or ":" ("Hallo
# Frau Berger,", "Hi Jane, see below", "Dear all:"), or alone on the line with at most three
# ("Hallo zusammen"): a headline "Liebe in Zeiten der Krise" is none.
_GREETING = re.compile(
    r"(?:hallo|hello|hi|hey|dear|liebe[rs]?|sehr[ \t]+geehrte[rs]?|guten[ \t]+(?:tag|morgen)"
    r"|servus|moin|good[ \t]+(?:morning|afternoon)|bonjour|salut|ch\u00e8re?s?|cher|madame"
    r"|monsieur|hola|estimad[oa]s?|querid[oa]s?|buen(?:os|as)[ \t]+d\u00edas|ciao|car[oaie]"
    r"|gentil[ei]|buongiorno|beste|geachte|hoi|dag)(?=[ \t,!:]|$)"
    r"(?P<rest>[^\n,!?.:;]{0,40})(?P<end>[,!:]|$)",
    re.I,
)
_SIGN_OFF = re.compile(
    r"(?:(?:best|kind|warm|many)[ \t]+(?:regards|wishes|thanks)|regards|best|cheers|thanks"
    r"|thank you|all the best|sincerely|(?:mit[ \t]+)?(?:viele|beste|liebe|herzliche"
    r"|freundliche|freundlichen)[ \t]+gr\u00fc(?:\u00dfe|\u00dfen|sse|ssen)|gr\u00fc(?:\u00dfe|sse)"
    r"|gru\u00df|mfg|lg|vg|danke|vielen dank|(?:bien[ \t]+)?cordialement|bien \u00e0 vous"
    r"|amicalement|merci|bises|(?:un[ \t]+)?saludos?(?:[ \t]+cordiales)?|atentamente"
    r"|un abrazo|(?:muchas[ \t]+)?gracias|(?:cordiali|distinti)[ \t]+saluti|saluti"
    r"|un saluto|grazie|a presto|(?:met[ \t]+)?(?:vriendelijke|hartelijke)[ \t]+groet(?:en)?"
    r"|groet(?:en)?|bedankt)[ \t]*(?P<mark>[,.!]?)(?:[ \t]+(?P<name>[^\n]{1,40}))?",
    re.I,
)
# Lines below the sign-off at most: a name, a title, a company, a street, a city, telephone
# numbers, an e-mail address, a web address. Each at most 80 characters, but for one holding
# "|": "Hans Müller | Pressesprecher | Beispiel GmbH | Musterstraße 1, 8010 Graz | ..." is one.
_SIGNATURE = 10
# A name on the sign-off's line addressing someone is an interview's thanks ("Vielen Dank,
# Herr Müller."), no signature.
_ADDRESSED = re.compile(
    r"(?:herrn?|frau|mr|mrs|ms|dr|prof|monsieur|madame|se\u00f1ora?|signora?|meneer|mevrouw)\b",
    re.I,
)


def mail_kind(head: str) -> str | None:
    """"an e-mail message (MIME)" or "an e-mail message with its headers" when ``head`` (a
    text's first 16 KiB) starts with an e-mail's headers, or a forwarded message's block
    opens it after at most the forwarder's note; else None."""
    # "\r\r\n": a "\r\n" file written again in text mode; one line end, not a blank line.
    head = head.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    kind = _headers_kind(head)
    if kind is not None:
        return kind
    # Every forwarded line within the note is tried: a signature's underscores above an
    # "-----Original Message-----" line are no header block, the labelled line below them is.
    # The lines tried count toward the note: at most about a hundred are tried.
    for forwarded in _FORWARDED.finditer(head):
        note = head[: forwarded.start()]
        size = len("".join(note.split()))
        if size > _SIGNED_NOTE:
            return None
        if size > _NOTE and not (_greeted(note) and _signed(note)):
            continue
        kind = _forwarded_kind(forwarded[1] is not None, head[forwarded.end() :])
        if kind is not None:
            return kind
    return None


def _greeted(note: str) -> bool:
    """Whether ``note``'s first line is a greeting (:data:`_GREETING`): a forwarder's note
    opens so, an article's prose does not."""
    first = note.lstrip().split("\n", 1)[0].strip()
    greeting = _GREETING.match(first)
    return greeting is not None and (greeting["end"] != "" or len(greeting["rest"].split()) <= 3)


def _signed(note: str) -> bool:
    """Whether ``note`` ends in a sign-off and a name: "Best," above "John Smith" (and at most
    :data:`_SIGNATURE` more signature lines, none a sentence), or "Viele Gr\u00fc\u00dfe Anna"
    or "Thanks, John" on one line. A one-word sign-off takes a name on its line only after a
    comma ("LG Electronics", "Best Western Hotels", "Danke Deutschland" are none), and a name
    there is no one addressed and ends no sentence ("Vielen Dank, Herr M\u00fcller.")."""
    lines = [line.strip() for line in note[-2000:].split("\n") if line.strip()]
    for at, line in enumerate(lines[-_SIGNATURE - 1 :], start=max(0, len(lines) - _SIGNATURE - 1)):
        signed = _SIGN_OFF.fullmatch(line)
        below = lines[at + 1 :]
        if signed is None or any(_prose(other) for other in below):
            continue
        if signed["name"] is None:
            if below:
                return True
            continue
        off, name = line[: signed.start("mark")].strip(), signed["name"].strip()
        if " " not in off and signed["mark"] != ",":
            continue  # "LG Electronics": a word of the sign-offs' as a name's first
        if _ADDRESSED.match(name) or name[-1] in ".!?:":
            continue
        if all(word[:1].isupper() for word in name.split()):
            return True
    return False


def _prose(line: str) -> bool:
    """A line below a sign-off that is no signature's: too long (but for "|" lines) or a
    sentence."""
    return (len(line) > 80 and "|" not in line) or _sentence(line)


def _sentence(line: str) -> bool:
    """A line of prose rather than a signature's name, title or telephone."""
    return line[-1] in "!?:" or (line[-1] == "." and len(line.split()) > 3)


def _forwarded_kind(labelled: bool, rest: str) -> str | None:
    """:func:`mail_kind`'s answer for the text ``rest`` below a forwarded line: a labelled
    line's header lines follow it, Outlook's underscores a whole header block."""
    if not labelled:
        return _headers_kind(rest)
    return "an e-mail message with its headers" if _TWO_HEADERS.match(rest) else None


def _headers_kind(head: str) -> str | None:
    """:func:`mail_kind`'s answer for a header block at the start of ``head``."""
    blank = _BLANK.search(head)
    if blank is None:
        return None
    lines = head[: blank.start()].split("\n")
    if lines[0].startswith("From "):
        lines = lines[1:]
    names = [_HEADER.match(line) for line in lines]
    if not all(name or line[:1] in " \t" for name, line in zip(names, lines, strict=True)):
        return None
    if any(_MIME.match(line) for line in lines):
        return "an e-mail message (MIME)"
    named = [(name[1].lower(), line) for name, line in zip(names, lines, strict=True) if name]
    senders = [name for name, line in named if _SENDER.match(line)]
    if len(set(senders)) < len(senders):
        return None  # "DE:" ... "DE:": speakers in a transcript
    fields = {name for name, line in named if _MAIL_ONLY.match(line)}
    addressed = any(_ADDRESS.search(line) for line in lines if _SENDER.match(line))
    dated = any(map(_MAIL_DATE.match, lines))
    recipients = {name for name, line in named if _TO.match(line)}
    outlook = any(map(_SENT.match, lines)) and bool(recipients)
    if outlook:
        fields |= recipients  # Italian's "A:", a field only beside Outlook's Sent line
    signal = addressed or dated or outlook or any(map(_SUBJECT.match, lines))
    if senders and signal and len(fields) >= (1 if addressed else 2):
        return "an e-mail message with its headers"
    if addressed and dated:
        return "an e-mail message with its headers"
    return None


__all__ = ["mail_kind"]
