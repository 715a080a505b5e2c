"""A referral slip as a text document for a printer (QtPrintSupport prints QTextDocument).

The lines and their order are `screening.referrals.slip.slip_parts`, the same the saved PDF
is written from; only the layout is Qt's: a title, the confidentiality line, the case code
large, label and value in a two-column table, headings between the groups. Arabic slips run
right to left. Text is escaped: a provider's name or contact is data, never markup.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument, QTextOption

if TYPE_CHECKING:
    from screening.referrals.slip import SlipPart


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def slip_html(parts: list[SlipPart], *, rtl: bool) -> str:
    align = "right" if rtl else "left"
    html: list[str] = [f'<html dir="{"rtl" if rtl else "ltr"}"><body>']
    rows: list[str] = []

    def flush() -> None:
        if rows:
            html.append(f'<table width="100%" cellpadding="3" align="{align}">')
            html.extend(rows)
            html.append("</table>")
            rows.clear()

    for part in parts:
        if part.kind == "field":
            rows.append(
                f'<tr><td width="32%" align="{align}"><b>{_text(part.label)}</b></td>'
                f'<td align="{align}">{_text(part.text)}</td></tr>'
            )
            continue
        flush()
        if part.kind == "title":
            html.append(f'<h1 align="{align}">{_text(part.text)}</h1>')
        elif part.kind == "notice":
            html.append(f'<p align="{align}" style="font-size:9pt">{_text(part.text)}</p>')
        elif part.kind == "code":
            html.append(
                f'<p align="{align}"><b>{_text(part.label)}</b>&nbsp;&nbsp;'
                f'<span style="font-size:20pt; font-weight:bold">{_text(part.text)}</span></p>'
            )
        elif part.kind == "small":
            html.append(f'<p align="{align}" style="font-size:8pt">{_text(part.text)}</p>')
        elif part.kind == "heading":
            html.append(f'<h3 align="{align}">{_text(part.text)}</h3>')
        elif part.kind == "paragraph":
            html.append(f'<p align="{align}">{_text(part.text)}</p>')
        elif part.kind == "footer":
            html.append(f'<p align="center" style="font-size:7pt">{_text(part.text)}</p>')
    flush()
    html.append("</body></html>")
    return "".join(html)


def slip_document(parts: list[SlipPart], *, rtl: bool) -> QTextDocument:
    document = QTextDocument()
    option = QTextOption()
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    document.setDefaultTextOption(option)
    document.setHtml(slip_html(parts, rtl=rtl))
    return document
