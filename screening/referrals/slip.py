"""The referral slip: one A4 page for the receiving service, in English, Montenegrin, French
or Arabic (laid out right to left, with the letters shaped by uharfbuzz).

The French and Arabic texts are unreviewed translations (docs/referrals.md).

It carries the referral's case code (a keyed pseudonym: the provider can quote it back, but
learns nothing from it), the needs, the urgency, the language and interpreter needs, the
basis of consent and the referring coordinator's name and contact. The person's name, age
and sex appear only when the coordinator included identity for this referral (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from screening import jsonio
from screening.export import pdfdoc, writers
from screening.vault.referral_queries import Provider, Referral

LANGUAGES = ("en", "cnr", "fr", "ar")
RTL = frozenset({"ar"})
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
    "fr": {
        "title": "Orientation",
        "confidential": "Confidentiel : réservé au service destinataire. Ne pas copier ni"
        " transmettre.",
        "case_code": "Code du dossier",
        "code_note": "Rappelez ce code dans chaque réponse. Il n'identifie pas la personne.",
        "date": "Orientée le",
        "urgency": "Urgence",
        "to": "Orientée vers",
        "needs": "Besoins",
        "language": "Langue",
        "interpreter": "Interprète nécessaire",
        "yes": "oui",
        "no": "non",
        "consent": "Consentement à l'orientation",
        "identity": "La personne",
        "name": "Nom",
        "age": "Âge",
        "sex": "Sexe",
        "no_identity": "Non indiqué sur cette fiche. Le coordinateur qui oriente le"
        " communiquera directement, si la personne est d'accord.",
        "not_recorded": "non renseigné",
        "referrer": "Coordinateur qui oriente",
        "contact": "Contact",
        "status": "Statut",
        "footer": "Screening Desk – fiche d'orientation",
    },
    "ar": {
        "title": "إحالة",
        "confidential": "سري: للجهة المستقبِلة فقط. لا يُنسخ ولا يُعاد إرساله.",
        "case_code": "رمز الحالة",
        "code_note": "يُرجى ذكر هذا الرمز في كل رد. لا يكشف الرمز هوية الشخص.",
        "date": "تاريخ الإحالة",
        "urgency": "درجة الاستعجال",
        "to": "الجهة المحال إليها",
        "needs": "الاحتياجات",
        "language": "اللغة",
        "interpreter": "الحاجة إلى مترجم",
        "yes": "نعم",
        "no": "لا",
        "consent": "الموافقة على الإحالة",
        "identity": "الشخص",
        "name": "الاسم",
        "age": "العمر",
        "sex": "الجنس",
        "no_identity": "غير مذكور في هذه الورقة. سيشاركه المنسق المُحيل مباشرةً إذا وافق الشخص.",
        "not_recorded": "غير مسجل",
        "referrer": "المنسق المُحيل",
        "contact": "وسيلة الاتصال",
        "status": "الحالة",
        "footer": "Screening Desk – ورقة إحالة",
    },
}
URGENCY = {
    "en": {"routine": "routine", "urgent": "urgent", "emergency": "EMERGENCY"},
    "cnr": {"routine": "redovno", "urgent": "hitno", "emergency": "HITAN SLUČAJ"},
    "fr": {"routine": "normale", "urgent": "urgente", "emergency": "URGENCE VITALE"},
    "ar": {"routine": "عادية", "urgent": "عاجلة", "emergency": "حالة طارئة"},
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
    "fr": {
        "shelter": "hébergement",
        "medical": "soins médicaux",
        "psychosocial": "soutien psychosocial",
        "legal_aid": "aide juridique",
        "avrr": "aide au retour volontaire et à la réintégration",
        "child_protection": "protection de l'enfance",
    },
    "ar": {
        "shelter": "مأوى",
        "medical": "رعاية طبية",
        "psychosocial": "دعم نفسي واجتماعي",
        "legal_aid": "مساعدة قانونية",
        "avrr": "العودة الطوعية المدعومة وإعادة الإدماج",
        "child_protection": "حماية الطفل",
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
    "fr": {
        "safety": "sécurité et protection",
        "medical": "soins médicaux",
        "psychosocial": "soutien psychosocial",
        "shelter": "hébergement sûr",
        "legal": "aide juridique",
        "avrr": "aide au retour volontaire",
        "family_contact": "contact avec la famille",
        "family_tracing": "recherche de la famille",
        "guardian": "un tuteur",
        "child_protection": "protection de l'enfance",
        "education": "éducation",
        "material": "aide matérielle",
        "work_training": "travail ou formation",
    },
    "ar": {
        "safety": "السلامة والحماية",
        "medical": "رعاية طبية",
        "psychosocial": "دعم نفسي واجتماعي",
        "shelter": "سكن آمن",
        "legal": "مساعدة قانونية",
        "avrr": "العودة الطوعية المدعومة",
        "family_contact": "التواصل مع الأسرة",
        "family_tracing": "البحث عن الأسرة",
        "guardian": "وصي",
        "child_protection": "حماية الطفل",
        "education": "التعليم",
        "material": "مساعدة مادية",
        "work_training": "عمل أو تدريب",
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
    "fr": {
        "person": "donné par la personne",
        "guardian": "donné par un parent ou un tuteur",
        "best_interests": "orientation vers la protection de l'enfance dans l'intérêt supérieur"
        " de l'enfant",
    },
    "ar": {
        "person": "أعطاها الشخص نفسه",
        "guardian": "أعطاها أحد الوالدين أو الوصي",
        "best_interests": "إحالة إلى حماية الطفل بما يحقق المصلحة الفضلى للطفل",
    },
}
SEX = {
    "en": {"female": "female", "male": "male", "other": "other"},
    "cnr": {"female": "žensko", "male": "muško", "other": "drugo"},
    "fr": {"female": "féminin", "male": "masculin", "other": "autre"},
    "ar": {"female": "أنثى", "male": "ذكر", "other": "آخر"},
}
STATUS = {
    "en": {"sent": "sent", "accepted": "accepted", "declined": "declined", "closed": "closed"},
    "cnr": {
        "sent": "poslato",
        "accepted": "prihvaćeno",
        "declined": "odbijeno",
        "closed": "zatvoreno",
    },
    "fr": {"sent": "envoyée", "accepted": "acceptée", "declined": "refusée", "closed": "clôturée"},
    "ar": {"sent": "أُرسلت", "accepted": "قُبلت", "declined": "رُفضت", "closed": "أُغلقت"},
}


@lru_cache(maxsize=1)
def _spoken_languages() -> dict[str, dict[str, str]]:
    """Labels of the forms' spoken-language codes, by code and language."""
    from screening.forms.catalog import archived_form_files, shipped_form_files, shipped_form_text

    labels: dict[str, dict[str, str]] = {}
    for name in [*shipped_form_files(), *archived_form_files()]:
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


@dataclass(frozen=True, slots=True)
class SlipPart:
    """One line of the slip, in order: what the PDF writer and a printer both lay out.

    `kind`: "title", "notice" (the confidentiality line), "code" (the case code, large),
    "small" (the note under the code), "gap" (`text` holds the space in mm), "heading",
    "paragraph", "field" (`label` and `text`; `text` may hold line breaks) or "footer".
    """

    kind: str
    text: str
    label: str = ""


def slip_parts(
    referral: Referral,
    provider: Provider,
    identity: dict[str, Any] | None,
    *,
    language: str = "en",
) -> list[SlipPart]:
    """The slip's contents in `language`, top to bottom (no layout)."""
    if language not in LANGUAGES:
        raise ValueError(f"slips are written in {', '.join(LANGUAGES)}")
    t = TEXT[language]
    parts = [
        SlipPart("title", t["title"]),
        SlipPart("notice", t["confidential"]),
        SlipPart("gap", "4"),
        SlipPart("code", referral.case_code, t["case_code"]),
        SlipPart("small", t["code_note"]),
        SlipPart("gap", "3"),
    ]

    def field(label: str, value: str) -> None:
        parts.append(SlipPart("field", value, label))

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
    parts += [SlipPart("gap", "2"), SlipPart("heading", t["identity"])]
    if identity is None:
        parts.append(SlipPart("paragraph", t["no_identity"]))
    else:
        name = identity.get("preferred_name")
        age = identity.get("age")
        sex = identity.get("sex")
        field(t["name"], str(name) if name else t["not_recorded"])
        field(t["age"], str(age) if isinstance(age, int) else t["not_recorded"])
        field(t["sex"], SEX[language].get(str(sex), t["not_recorded"]))
    parts += [SlipPart("gap", "2"), SlipPart("heading", t["referrer"])]
    field(t["name"], referral.referrer)
    field(t["contact"], referral.referrer_contact)
    parts.append(SlipPart("gap", "2"))
    if referral.status != "sent":
        field(t["status"], f"{STATUS[language][referral.status]} "
              f"({_day(referral.status_date(referral.status))})")  # fmt: skip
    made = datetime.now(UTC).strftime("%Y-%m-%d")
    parts.append(SlipPart("footer", f"{t['footer']} · {referral.case_code} · {made}"))
    return parts


def render_slip(
    out: Path,
    referral: Referral,
    provider: Provider,
    identity: dict[str, Any] | None,
    *,
    language: str = "en",
) -> Path:
    """Write the slip PDF (owner-only) and return its path."""
    parts = slip_parts(referral, provider, identity, language=language)
    t = TEXT[language]
    pdf = pdfdoc.new_document(t["title"])
    family = pdfdoc.FONT_FAMILY
    rtl = language in RTL
    # Right to left: paragraphs run from the right margin, labels stand on the right.
    align = "R" if rtl else "L"
    if rtl:
        # One clear sentence when Arabic cannot be shaped. The direction of each paragraph is
        # left to the bidi algorithm (its first strong letter), so that a phone number or a
        # Latin name beside Arabic labels keeps its own order.
        pdfdoc.check_script(t["title"])

    def paragraph(height: float, text: str) -> None:
        pdf.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(text: str, size: float = 11) -> None:
        pdf.set_font(family, "B", size)
        paragraph(size * 0.55, pdfdoc.check_script(text))

    def field(label: str, value: str) -> None:
        pdf.set_font(family, "B", 10)
        if rtl:
            pdf.set_x(pdf.w - pdf.r_margin - LABEL_WIDTH)
            pdf.cell(LABEL_WIDTH, 6.5, label, align="R")
            pdf.set_x(pdf.l_margin)
            pdf.set_font(family, size=10)
            width = pdf.w - pdf.l_margin - pdf.r_margin - LABEL_WIDTH - 2
            pdf.multi_cell(width, 6.5, pdfdoc.check_script(value), align="R",
                           new_x="LMARGIN", new_y="NEXT")  # fmt: skip
            return
        pdf.cell(LABEL_WIDTH, 6.5, label)
        pdf.set_font(family, size=10)
        pdf.multi_cell(0, 6.5, pdfdoc.check_script(value), new_x="LMARGIN", new_y="NEXT")

    def code(label: str, value: str) -> None:
        pdf.set_font(family, "B", 10)
        if rtl:
            pdf.set_x(pdf.w - pdf.r_margin - LABEL_WIDTH)
            pdf.cell(LABEL_WIDTH, 10, label, align="R")
            pdf.set_x(pdf.l_margin)
            pdf.set_font(family, "B", 20)
            width = pdf.w - pdf.l_margin - pdf.r_margin - LABEL_WIDTH - 2
            pdf.cell(width, 10, value, align="R", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(LABEL_WIDTH, 10, label)
            pdf.set_font(family, "B", 20)
            pdf.cell(0, 10, value, new_x="LMARGIN", new_y="NEXT")

    for part in parts:
        if part.kind == "title":
            heading(part.text, 18)
        elif part.kind == "notice":
            pdf.set_font(family, size=9)
            paragraph(5, part.text)
        elif part.kind == "gap":
            pdf.ln(float(part.text))
        elif part.kind == "code":
            code(part.label, part.text)
        elif part.kind == "small":
            pdf.set_font(family, size=8.5)
            paragraph(4.5, part.text)
        elif part.kind == "heading":
            heading(part.text)
        elif part.kind == "paragraph":
            pdf.set_font(family, size=10)
            paragraph(6, part.text)
        elif part.kind == "field":
            field(part.label, part.text)
        elif part.kind == "footer":
            pdf.set_y(-22)
            pdf.set_font(family, size=7.5)
            pdf.cell(0, 5, part.text, align="C")
    staged = writers.staging_path(out)
    try:
        pdfdoc.save(pdf, staged)
        writers.finish(staged, out)
    except BaseException:
        writers.discard(staged)
        raise
    return out
