"""The referral slip: one A4 page for the receiving service, in English or Montenegrin.

It carries the referral's case code (a keyed pseudonym: the provider can quote it back, but
learns nothing from it), the needs, the urgency, the language and interpreter needs, the
basis of consent and the referring coordinator's name and contact. The person's name, age
and sex appear only when the coordinator included identity for this referral (audited).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening import jsonio
from screening.export import pdfdoc, writers

if TYPE_CHECKING:
    from screening.referrals.store import Provider, Referral

LANGUAGES = ("en", "cnr")
LABEL_WIDTH = 60

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Referral",
        "confidential": "Confidential: for the receiving service only. Do not copy or forward.",
        "case_code": "Case code",
        "code_note": "Quote this code in every reply. It does not identify the person.",
        "date": "Referred on",
        "urgency": "Urgency",
        "to": "Referred to",
        "needs": "Needs",
        "language": "Language",
        "interpreter": "Interpreter needed",
        "yes": "yes",
        "no": "no",
        "consent": "Consent to refer",
        "identity": "The person",
        "name": "Name",
        "age": "Age",
        "sex": "Sex",
        "no_identity": "Not included on this slip. The referring coordinator will share it"
        " directly, if the person agrees.",
        "not_recorded": "not recorded",
        "referrer": "Referring coordinator",
        "contact": "Contact",
        "status": "Status",
        "footer": "Screening Desk referral slip",
    },
    "cnr": {
        "title": "Upućivanje",
        "confidential": "Povjerljivo: samo za službu kojoj se upućuje. Ne kopirati i ne"
        " prosljeđivati.",
        "case_code": "Šifra slučaja",
        "code_note": "Navedite ovu šifru u svakom odgovoru. Ona ne otkriva identitet osobe.",
        "date": "Datum upućivanja",
        "urgency": "Hitnost",
        "to": "Upućuje se",
        "needs": "Potrebe",
        "language": "Jezik",
        "interpreter": "Potreban prevodilac",
        "yes": "da",
        "no": "ne",
        "consent": "Saglasnost za upućivanje",
        "identity": "Osoba",
        "name": "Ime",
        "age": "Godine",
        "sex": "Pol",
        "no_identity": "Nije navedeno na ovom listu. Koordinator koji upućuje podijeliće ih"
        " direktno, ako osoba pristane.",
        "not_recorded": "nije zabilježeno",
        "referrer": "Koordinator koji upućuje",
        "contact": "Kontakt",
        "status": "Status",
        "footer": "Screening Desk – list za upućivanje",
    },
}
URGENCY = {
    "en": {"routine": "routine", "urgent": "urgent", "emergency": "EMERGENCY"},
    "cnr": {"routine": "redovno", "urgent": "hitno", "emergency": "HITAN SLUČAJ"},
}
KINDS = {
    "en": {
        "shelter": "shelter",
        "medical": "medical care",
        "psychosocial": "psychosocial support",
        "legal_aid": "legal aid",
        "avrr": "assisted voluntary return and reintegration",
        "child_protection": "child protection",
    },
    "cnr": {
        "shelter": "sklonište",
        "medical": "zdravstvena zaštita",
        "psychosocial": "psihosocijalna podrška",
        "legal_aid": "pravna pomoć",
        "avrr": "potpomognuti dobrovoljni povratak i reintegracija",
        "child_protection": "zaštita djece",
    },
}
NEED_LABELS = {
    "en": {
        "safety": "safety and protection",
        "medical": "medical care",
        "psychosocial": "psychosocial support",
        "shelter": "safe accommodation",
        "legal": "legal aid",
        "avrr": "assisted voluntary return",
        "family_contact": "contact with family",
        "family_tracing": "family tracing",
        "guardian": "a guardian",
        "child_protection": "child protection",
        "education": "education",
        "material": "material assistance",
        "work_training": "work or training",
    },
    "cnr": {
        "safety": "bezbjednost i zaštita",
        "medical": "zdravstvena zaštita",
        "psychosocial": "psihosocijalna podrška",
        "shelter": "bezbjedan smještaj",
        "legal": "pravna pomoć",
        "avrr": "potpomognuti dobrovoljni povratak",
        "family_contact": "kontakt sa porodicom",
        "family_tracing": "traženje porodice",
        "guardian": "staratelj",
        "child_protection": "zaštita djeteta",
        "education": "obrazovanje",
        "material": "materijalna pomoć",
        "work_training": "posao ili obuka",
    },
}
CONSENT = {
    "en": {
        "person": "given by the person",
        "guardian": "given by a parent or guardian",
        "best_interests": "child protection referral in the child's best interests",
    },
    "cnr": {
        "person": "dala je osoba",
        "guardian": "dao je roditelj ili staratelj",
        "best_interests": "upućivanje organu starateljstva u najboljem interesu djeteta",
    },
}
SEX = {
    "en": {"female": "female", "male": "male", "other": "other"},
    "cnr": {"female": "žensko", "male": "muško", "other": "drugo"},
}
STATUS = {
    "en": {"sent": "sent", "accepted": "accepted", "declined": "declined", "closed": "closed"},
    "cnr": {
        "sent": "poslato",
        "accepted": "prihvaćeno",
        "declined": "odbijeno",
        "closed": "zatvoreno",
    },
}


@lru_cache(maxsize=1)
def _spoken_languages() -> dict[str, dict[str, str]]:
    """Labels of the forms' spoken-language codes, by code and language."""
    from screening.forms.catalog import shipped_form_files, shipped_form_text

    labels: dict[str, dict[str, str]] = {}
    for name in shipped_form_files(archived=True):
        lists = jsonio.loads(shipped_form_text(name)).get("choice_lists", {})
        for choice in lists.get("spoken_languages", []):
            labels.setdefault(choice["name"], choice.get("label", {}))
    return labels


def language_label(code: str | None, lang: str) -> str:
    if not code:
        return TEXT[lang]["not_recorded"]
    labels = _spoken_languages().get(code, {})
    return labels.get(lang) or labels.get("en") or code


def _day(moment: str | None) -> str:
    return moment[:10] if moment else ""


def render_slip(
    out: Path,
    referral: Referral,
    provider: Provider,
    identity: dict[str, Any] | None,
    *,
    language: str = "en",
) -> Path:
    """Write the slip PDF (owner-only) and return its path."""
    if language not in LANGUAGES:
        raise ValueError(f"slips are written in {', '.join(LANGUAGES)}")
    t = TEXT[language]
    pdf = pdfdoc.new_document(t["title"])
    family = pdfdoc.FONT_FAMILY

    def heading(text: str, size: float = 11) -> None:
        pdf.set_font(family, "B", size)
        pdf.multi_cell(0, size * 0.55, pdfdoc.check_script(text), new_x="LMARGIN", new_y="NEXT")

    def field(label: str, value: str) -> None:
        pdf.set_font(family, "B", 10)
        pdf.cell(LABEL_WIDTH, 6.5, label)
        pdf.set_font(family, size=10)
        pdf.multi_cell(0, 6.5, pdfdoc.check_script(value), new_x="LMARGIN", new_y="NEXT")

    heading(t["title"], 18)
    pdf.set_font(family, size=9)
    pdf.multi_cell(0, 5, t["confidential"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "B", 10)
    pdf.cell(LABEL_WIDTH, 10, t["case_code"])
    pdf.set_font(family, "B", 20)
    pdf.cell(0, 10, referral.case_code, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=8.5)
    pdf.multi_cell(0, 4.5, t["code_note"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    field(t["date"], _day(referral.sent_at))
    field(t["urgency"], URGENCY[language][referral.urgency])
    kind = KINDS[language][provider.kind]
    field(
        t["to"], f"{provider.name} ({kind})" + (f"\n{provider.contact}" if provider.contact else "")
    )
    field(t["needs"], "\n".join(NEED_LABELS[language].get(n, n) for n in referral.needs))
    field(t["language"], language_label(referral.language, language))
    interpreter = t["no"]
    if referral.interpreter_needed:
        interpreter = f"{t['yes']}: {language_label(referral.interpreter_language, language)}"
    field(t["interpreter"], interpreter)
    field(
        t["consent"],
        f"{CONSENT[language][referral.consent]} ({_day(referral.consent_recorded_at)})",
    )
    pdf.ln(2)
    heading(t["identity"])
    if identity is None:
        pdf.set_font(family, size=10)
        pdf.multi_cell(0, 6, t["no_identity"], new_x="LMARGIN", new_y="NEXT")
    else:
        name = identity.get("preferred_name")
        age = identity.get("age")
        sex = identity.get("sex")
        field(t["name"], str(name) if name else t["not_recorded"])
        field(t["age"], str(age) if isinstance(age, int) else t["not_recorded"])
        field(t["sex"], SEX[language].get(str(sex), t["not_recorded"]))
    pdf.ln(2)
    heading(t["referrer"])
    field(t["name"], referral.referrer)
    field(t["contact"], referral.referrer_contact)
    pdf.ln(2)
    if referral.status != "sent":
        field(t["status"], f"{STATUS[language][referral.status]} "
              f"({_day(referral.status_date(referral.status))})")  # fmt: skip
    pdf.set_y(-22)
    pdf.set_font(family, size=7.5)
    made = datetime.now(UTC).strftime("%Y-%m-%d")
    pdf.cell(0, 5, f"{t['footer']} · {referral.case_code} · {made}", align="C")
    staged = writers.staging_path(out)
    try:
        pdfdoc.save(pdf, staged)
        writers.finish(staged, out)
    except BaseException:
        writers.discard(staged)
        raise
    return out
