"""The case page's rich text: the interview's details, its answers and its outcome explained.

Form text and answers are escaped here, before they reach the rich-text views. Functions of
`CaseData` only, so the page (`casepage.py`) keeps the widgets and this module the words;
the strings keep the page's translation context, "CasePage".
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from app.coordinator.casedata import CaseData, Explanation, Line
from app.listing.names import local_time

MUTED = "#4b5563"
NOTE = "#f1f5f9"
WARN = "#9a3412"


def _dir(rtl: bool) -> str:
    return ' dir="rtl"' if rtl else ""


def details_html(data: CaseData) -> str:
    r = data.record
    pairs = [
        (QCoreApplication.translate("CasePage", "Started"), local_time(r.created_at)),
        (
            QCoreApplication.translate("CasePage", "Finished"),
            local_time(r.completed_at) if r.completed_at else "—",
        ),
        (QCoreApplication.translate("CasePage", "Centre"), r.location or "—"),
        (QCoreApplication.translate("CasePage", "Screener"), r.screener),
        (
            QCoreApplication.translate("CasePage", "Interview language"),
            language_name(data, r.language),
        ),
        (
            QCoreApplication.translate("CasePage", "Interpreter"),
            QCoreApplication.translate("CasePage", "yes")
            if r.interpreter_used
            else QCoreApplication.translate("CasePage", "no"),
        ),
    ]
    if r.status == "stopped" and r.stop_reason:
        from app.stop_reasons import stop_reason_words

        pairs.append(
            (
                QCoreApplication.translate("CasePage", "Stopped because"),
                stop_reason_words(r.stop_reason),
            )
        )
    if data.received_at:
        pairs.append(
            (QCoreApplication.translate("CasePage", "Received"), local_time(data.received_at))
        )
    return " &nbsp;·&nbsp; ".join(
        f'<span style="color:{MUTED}">{escape(k)}:</span> {escape(v)}' for k, v in pairs
    )


def language_name(data: CaseData, code: str) -> str:
    return next((name for c, name in data.languages if c == code), code)


def answers_html(data: CaseData) -> str:
    d = _dir(data.rtl)
    side = "right" if data.rtl else "left"
    parts = []
    for line in data.lines:
        indent = 18 * line.level
        if line.kind == "heading":
            tag = "h3" if line.level == 0 else "h4"
            parts.append(
                f'<{tag}{d} style="margin-{side}:{indent}px; margin-top:12px">'
                f"{escape(line.text)}</{tag}>"
            )
            continue
        parts.append(answer_html(line, d, side, indent))
    if not parts:
        none = QCoreApplication.translate("CasePage", "No answers were recorded.")
        parts.append(f'<p style="color:{MUTED}">{escape(none)}</p>')
    return "".join(parts)


def answer_html(line: Line, d: str, side: str, indent: int) -> str:
    if line.special is not None:
        marker = (
            QCoreApplication.translate("CasePage", "Declined to answer")
            if line.special == "declined"
            else QCoreApplication.translate("CasePage", "Don't know")
        )
        value = f'<i style="color:{WARN}">{escape(marker)}</i>'
    else:
        value = f"<b>{escape(line.value)}</b>"
    if line.corrected:
        corrected = QCoreApplication.translate("CasePage", "corrected after completion")
        value += f' <span style="color:{MUTED}">({escape(corrected)})</span>'
    return (
        f'<p{d} style="margin-{side}:{indent}px; margin-top:4px; margin-bottom:4px">'
        f'<span style="color:{MUTED}">{escape(line.text)}</span><br/>{value}</p>'
    )


def outcome_html(e: Explanation | None, rtl: bool) -> str:
    if e is None:
        none = QCoreApplication.translate("CasePage", "No outcome was recorded.")
        return f'<p style="color:{MUTED}">{escape(none)}</p>'
    d = _dir(rtl and not e.recorded)
    name = e.names.get
    standing = QCoreApplication.translate("CasePage", "Recommendation: %1").replace(
        "%1", name(e.standing or "", e.standing or "—")
    )
    parts = [f"<h2{d}>{escape(standing)}</h2>"]
    if e.referral is not None:
        referral = (
            QCoreApplication.translate(
                "CasePage", "Referral for further assessment is recommended."
            )
            if e.referral
            else QCoreApplication.translate("CasePage", "No referral indicated by the screening.")
        )
        parts.append(f"<p>{escape(referral)}</p>")
    computed = name(e.computed or "", e.computed or "—")
    if e.override is not None:
        recommendation, reason, by, at = e.override
        heading = QCoreApplication.translate("CasePage", "Screener's override")
        changed = (
            QCoreApplication.translate(
                "CasePage", "%1 changed the recommendation to %2 on %3. Scored result: %4."
            )
            .replace("%1", by)
            .replace("%2", name(recommendation, recommendation))
            .replace("%3", local_time(at))
            .replace("%4", computed)
        )
        because = QCoreApplication.translate("CasePage", "Reason:")
        parts.append(f"<h3>{escape(heading)}</h3>")
        parts.append(
            f'<p style="background:{NOTE}">{escape(changed)}<br/>'
            f"<b>{escape(because)}</b> {escape(reason)}</p>"
        )
    if e.rescored is not None:
        differs = QCoreApplication.translate(
            "CasePage",
            "Scoring these answers again gives %1. The explanation below is the one "
            "recorded with the interview.",
        ).replace("%1", name(e.rescored, e.rescored))
        parts.append(f'<p style="color:{WARN}">{escape(differs)}</p>')
    elif e.recorded and e.sentences:
        recorded = QCoreApplication.translate("CasePage", "As recorded on the screener's laptop.")
        parts.append(f'<p style="color:{MUTED}">{escape(recorded)}</p>')
    if e.sentences:
        heading = QCoreApplication.translate("CasePage", "Explanation")
        parts.append(f"<h3>{escape(heading)}</h3><ul{d}>")
        parts.extend(f"<li>{escape(s)}</li>" for s in e.sentences)
        parts.append("</ul>")
    if e.elements:
        heading = QCoreApplication.translate("CasePage", "Answers behind each element")
        parts.append(f"<h3>{escape(heading)}</h3>")
        for element in e.elements:
            mark = "✓ " if element.present else ""
            weight = "b" if element.present else "span"
            parts.append(
                f"<p{d}><{weight}>{escape(mark + element.name)}</{weight}>"
                f' <span style="color:{MUTED}">· {escape(element.counts)}</span></p>'
            )
            parts.append(f"<ul{d}>")
            parts.extend(f"<li>{escape(line)}</li>" for line in element.lines)
            parts.append("</ul>")
    return "".join(parts)
