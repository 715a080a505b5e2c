"""Sentence templates of the scoring explanation in English, Montenegrin, Arabic and French.

Counts are written as "strong: 2" rather than "2 strong indicators" so that no language needs
plural rules (Montenegrin and Arabic number agreement would otherwise need per-number forms).
Names that would have to be declined in Montenegrin are quoted, so they stay in the nominative.
"""

from __future__ import annotations

from collections.abc import Iterable

from screening.forms.indicators import Element, Strength

SUPPORTED = ("en", "cnr", "ar", "fr")
FALLBACK = "en"

ELEMENT_NAMES: dict[str, dict[Element, str]] = {
    "en": {
        Element.DECEPTIVE_RECRUITMENT: "Deceptive recruitment",
        Element.COERCIVE_RECRUITMENT: "Coercive recruitment",
        Element.RECRUITMENT_ABUSE_OF_VULNERABILITY: "Recruitment by abuse of vulnerability",
        Element.EXPLOITATION: "Exploitation",
        Element.COERCION_AT_DESTINATION: "Coercion at destination",
        Element.ABUSE_OF_VULNERABILITY_AT_DESTINATION: "Abuse of vulnerability at destination",
    },
    "cnr": {
        Element.DECEPTIVE_RECRUITMENT: "Vrbovanje obmanom",
        Element.COERCIVE_RECRUITMENT: "Vrbovanje prinudom",
        Element.RECRUITMENT_ABUSE_OF_VULNERABILITY: "Vrbovanje zloupotrebom ranjivosti",
        Element.EXPLOITATION: "Eksploatacija",
        Element.COERCION_AT_DESTINATION: "Prinuda u mjestu odredišta",
        Element.ABUSE_OF_VULNERABILITY_AT_DESTINATION: (
            "Zloupotreba ranjivosti u mjestu odredišta"
        ),
    },
    "ar": {
        Element.DECEPTIVE_RECRUITMENT: "التجنيد بالخداع",
        Element.COERCIVE_RECRUITMENT: "التجنيد بالإكراه",
        Element.RECRUITMENT_ABUSE_OF_VULNERABILITY: "التجنيد باستغلال حالة الضعف",
        Element.EXPLOITATION: "الاستغلال",
        Element.COERCION_AT_DESTINATION: "الإكراه في مكان الوصول",
        Element.ABUSE_OF_VULNERABILITY_AT_DESTINATION: "استغلال حالة الضعف في مكان الوصول",
    },
    "fr": {
        Element.DECEPTIVE_RECRUITMENT: "Recrutement trompeur",
        Element.COERCIVE_RECRUITMENT: "Recrutement par la contrainte",
        Element.RECRUITMENT_ABUSE_OF_VULNERABILITY: "Recrutement par abus de vulnérabilité",
        Element.EXPLOITATION: "Exploitation",
        Element.COERCION_AT_DESTINATION: "Contrainte à destination",
        Element.ABUSE_OF_VULNERABILITY_AT_DESTINATION: "Abus de vulnérabilité à destination",
    },
}

OUTCOME_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "likely_trafficked": "likely trafficked",
        "possible_trafficking": "possible trafficking (further assessment needed)",
        "no_indication": "no indication of trafficking",
        "incomplete": "incomplete",
    },
    "cnr": {
        "likely_trafficked": "vjerovatna trgovina ljudima",
        "possible_trafficking": "moguća trgovina ljudima (potrebna je dodatna procjena)",
        "no_indication": "nema indikatora trgovine ljudima",
        "incomplete": "nepotpuno",
    },
    "ar": {
        "likely_trafficked": "اتجار بالبشر مرجَّح",
        "possible_trafficking": "اتجار بالبشر محتمل (يلزم تقييم إضافي)",
        "no_indication": "لا مؤشرات على الاتجار بالبشر",
        "incomplete": "غير مكتمل",
    },
    "fr": {
        "likely_trafficked": "traite probable",
        "possible_trafficking": "traite possible (évaluation approfondie nécessaire)",
        "no_indication": "aucun indice de traite",
        "incomplete": "incomplet",
    },
}

STRENGTH_NAMES: dict[str, dict[Strength, str]] = {
    "en": {Strength.STRONG: "strong", Strength.MEDIUM: "medium", Strength.WEAK: "weak"},
    "cnr": {Strength.STRONG: "jak", Strength.MEDIUM: "srednji", Strength.WEAK: "slab"},
    "ar": {Strength.STRONG: "قوي", Strength.MEDIUM: "متوسط", Strength.WEAK: "ضعيف"},
    "fr": {Strength.STRONG: "fort", Strength.MEDIUM: "moyen", Strength.WEAK: "faible"},
}

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "quoted": "“{text}”",
        "counts": "strong: {strong}, medium: {medium}, weak: {weak}",
        "question_choices": "“{question}” → {choices}",
        "choice": "“{choice}” ({strength})",
        "item_plain": "“{question}” ({strength})",
        "list_sep": "; ",
        "name_sep": ", ",
        "element_present": "{element} is present ({counts}): {items}.",
        "element_below": "{element} is not present, below the ILO threshold ({counts}): {items}.",
        "element_none": "{element}: no indicator found.",
        "likely_adult": (
            "Likely trafficked: a recruitment element, exploitation and a means at destination"
            " (coercion or abuse of vulnerability) are present (rule for adults)."
        ),
        "likely_child": (
            "Likely trafficked: a recruitment element and exploitation are present; for a"
            " child the means are not required."
        ),
        "possible_elements": (
            "Possible trafficking, further assessment needed: some elements are present"
            " ({elements}), but not the full combination that indicates likely trafficking."
        ),
        "possible_strong": (
            "Possible trafficking, further assessment needed: no element reaches the ILO"
            " threshold, but a strong indicator was found."
        ),
        "no_indication": (
            "No indication of trafficking in the answers given: no element is present and no"
            " strong indicator was found."
        ),
        "incomplete": (
            "Incomplete: required questions are unanswered in {sections}. The answers so far"
            " point to: {indicated}."
        ),
        "declined": "Declined to answer: {questions}.",
        "dont_know": "Answered “don't know”: {questions}.",
        "nothing_asked": (
            "No question that can carry an indicator was answered; the result reflects only"
            " what was asked."
        ),
        "referral_recommended": "Referral for further assessment is recommended.",
        "screener_yes": "The screener recorded a decision to refer.",
        "consent_refused": (
            "Consent was not given: the interview ended with the minimal record and no"
            " assessment was made."
        ),
        "screener_no": (
            "The screener answered “no” to referral although the indicators recommend it;"
            " record an override with a reason if that is intended."
        ),
        "override": "The screener changed the recommendation to: {outcome}. Reason: {reason}",
    },
    "cnr": {
        "quoted": "„{text}“",
        "counts": "jaki: {strong}, srednji: {medium}, slabi: {weak}",
        "question_choices": "„{question}“ → {choices}",
        "choice": "„{choice}“ ({strength})",
        "item_plain": "„{question}“ ({strength})",
        "list_sep": "; ",
        "name_sep": ", ",
        "element_present": "Element „{element}“ je prisutan ({counts}): {items}.",
        "element_below": (
            "Element „{element}“ nije prisutan, ispod je praga MOR-a ({counts}): {items}."
        ),
        "element_none": "Element „{element}“: nije pronađen nijedan indikator.",
        "likely_adult": (
            "Vjerovatna trgovina ljudima: prisutni su element vrbovanja, eksploatacija i"
            " sredstvo u mjestu odredišta (prinuda ili zloupotreba ranjivosti) (pravilo za"
            " odrasle)."
        ),
        "likely_child": (
            "Vjerovatna trgovina ljudima: prisutni su element vrbovanja i eksploatacija; kod"
            " djeteta sredstva nijesu uslov."
        ),
        "possible_elements": (
            "Moguća trgovina ljudima, potrebna je dodatna procjena: prisutni su neki elementi"
            " ({elements}), ali ne i puna kombinacija koja ukazuje na vjerovatnu trgovinu"
            " ljudima."
        ),
        "possible_strong": (
            "Moguća trgovina ljudima, potrebna je dodatna procjena: nijedan element ne dostiže"
            " prag MOR-a, ali je pronađen jak indikator."
        ),
        "no_indication": (
            "U datim odgovorima nema indikatora trgovine ljudima: nijedan element nije prisutan"
            " i nije pronađen nijedan jak indikator."
        ),
        "incomplete": (
            "Nepotpuno: na obavezna pitanja nije odgovoreno u dijelovima: {sections}."
            " Dosadašnji odgovori ukazuju na: {indicated}."
        ),
        "declined": "Osoba je odbila da odgovori na: {questions}.",
        "dont_know": "Osoba je odgovorila „ne znam“ na: {questions}.",
        "nothing_asked": (
            "Nije odgovoreno ni na jedno pitanje koje može nositi indikator; rezultat odražava"
            " samo ono što je pitano."
        ),
        "referral_recommended": "Preporučuje se upućivanje na dodatnu procjenu.",
        "screener_yes": "Osoba koja vodi skrining evidentirala je odluku o upućivanju.",
        "consent_refused": (
            "Saglasnost nije data: intervju je završen sa minimalnim zapisom i procjena nije"
            " napravljena."
        ),
        "screener_no": (
            "Osoba koja vodi skrining odgovorila je „ne“ na pitanje o upućivanju, iako"
            " indikatori preporučuju upućivanje; ako je to namjera, evidentirajte izmjenu"
            " preporuke s obrazloženjem."
        ),
        "override": (
            "Osoba koja vodi skrining izmijenila je preporuku u: {outcome}. Obrazloženje: {reason}"
        ),
    },
    "ar": {
        "quoted": "«{text}»",
        "counts": "قوي: {strong}، متوسط: {medium}، ضعيف: {weak}",
        # No arrow: "→" is not mirrored in right-to-left text and would point the wrong way.
        "question_choices": "«{question}»: {choices}",
        "choice": "«{choice}» ({strength})",
        "item_plain": "«{question}» ({strength})",
        "list_sep": "؛ ",
        "name_sep": "، ",
        "element_present": "عنصر «{element}» قائم ({counts}): {items}.",
        "element_below": (
            "عنصر «{element}» غير قائم، إذ هو دون عتبة منظمة العمل الدولية ({counts}): {items}."
        ),
        "element_none": "عنصر «{element}»: لم يُعثر على أي مؤشر.",
        "likely_adult": (
            "اتجار بالبشر مرجَّح: تتوافر ثلاثة أمور معًا، وهي عنصرٌ من عناصر التجنيد،"
            " والاستغلالُ، ووسيلةٌ في مكان الوصول (الإكراه أو استغلال حالة الضعف)"
            " (قاعدة البالغين)."
        ),
        "likely_child": (
            "اتجار بالبشر مرجَّح: يتوافر أمران معًا، وهما عنصرٌ من عناصر التجنيد،"
            " والاستغلالُ؛ ولا تُشترط الوسائل في حالة الطفل."
        ),
        "possible_elements": (
            "اتجار بالبشر محتمل، يلزم تقييم إضافي: بعض العناصر قائمة ({elements})، لكن ليس"
            " التركيب الكامل الذي يدل على اتجار مرجَّح."
        ),
        "possible_strong": (
            "اتجار بالبشر محتمل، يلزم تقييم إضافي: لا يبلغ أي عنصر عتبة منظمة العمل الدولية،"
            " لكن عُثر على مؤشر قوي."
        ),
        "no_indication": (
            "لا مؤشرات على الاتجار بالبشر في الإجابات المقدَّمة: لا يوجد عنصر قائم ولم يُعثر"
            " على أي مؤشر قوي."
        ),
        "incomplete": (
            "غير مكتمل: توجد أسئلة إلزامية بلا إجابة في: {sections}. تشير الإجابات حتى الآن"
            " إلى: {indicated}."
        ),
        "declined": "رفض الشخص الإجابة عن: {questions}.",
        "dont_know": "أجاب الشخص «لا أعرف» عن: {questions}.",
        "nothing_asked": (
            "لم تتم الإجابة عن أي سؤال يمكن أن يحمل مؤشرًا؛ والنتيجة لا تعكس إلا ما طُرح من أسئلة."
        ),
        "referral_recommended": "يوصى بالإحالة لإجراء تقييم إضافي.",
        "screener_yes": "سجّل مُجري المقابلة قرارًا بالإحالة.",
        "consent_refused": (
            "لم تُمنح الموافقة: انتهت المقابلة بالحد الأدنى من السجل ولم يُجرَ أي تقييم."
        ),
        "screener_no": (
            "أجاب مُجري المقابلة «لا» عن الإحالة مع أن المؤشرات توصي بها؛ إن كان ذلك مقصودًا"
            " فسجّل تعديلًا للتوصية مع ذكر السبب."
        ),
        "override": "عدّل مُجري المقابلة التوصية إلى: {outcome}. السبب: {reason}",
    },
    "fr": {
        "quoted": "« {text} »",
        "counts": "fort : {strong}, moyen : {medium}, faible : {weak}",
        "question_choices": "« {question} » → {choices}",
        "choice": "« {choice} » ({strength})",
        "item_plain": "« {question} » ({strength})",
        "list_sep": " ; ",
        "name_sep": ", ",
        "element_present": "L'élément « {element} » est présent ({counts}) : {items}.",
        "element_below": (
            "L'élément « {element} » n'est pas présent, sous le seuil de l'OIT ({counts}) :"
            " {items}."
        ),
        "element_none": "L'élément « {element} » : aucun indicateur relevé.",
        "likely_adult": (
            "Traite probable : un élément de recrutement, l'exploitation et un moyen à"
            " destination (contrainte ou abus de vulnérabilité) sont présents (règle pour les"
            " adultes)."
        ),
        "likely_child": (
            "Traite probable : un élément de recrutement et l'exploitation sont présents ;"
            " pour un enfant, les moyens ne sont pas requis."
        ),
        "possible_elements": (
            "Traite possible, évaluation approfondie nécessaire : certains éléments sont"
            " présents ({elements}), mais pas la combinaison complète qui indique une traite"
            " probable."
        ),
        "possible_strong": (
            "Traite possible, évaluation approfondie nécessaire : aucun élément n'atteint le"
            " seuil de l'OIT, mais un indicateur fort a été relevé."
        ),
        "no_indication": (
            "Aucun indice de traite dans les réponses données : aucun élément n'est présent et"
            " aucun indicateur fort n'a été relevé."
        ),
        "incomplete": (
            "Incomplet : des questions obligatoires sont sans réponse dans {sections}. Les"
            " réponses données jusqu'ici indiquent : {indicated}."
        ),
        "declined": "A refusé de répondre : {questions}.",
        "dont_know": "A répondu « je ne sais pas » : {questions}.",
        "nothing_asked": (
            "Aucune question pouvant porter un indicateur n'a reçu de réponse ; le résultat ne"
            " reflète que ce qui a été demandé."
        ),
        "referral_recommended": "Une orientation pour une évaluation approfondie est recommandée.",
        "screener_yes": "L'intervenant a enregistré une décision d'orientation.",
        "consent_refused": (
            "Le consentement n'a pas été donné : l'entretien s'est arrêté avec le dossier"
            " minimal et aucune évaluation n'a été faite."
        ),
        "screener_no": (
            "L'intervenant a répondu « non » à l'orientation alors que les indicateurs la"
            " recommandent ; enregistrez une dérogation motivée si c'est voulu."
        ),
        "override": "L'intervenant a modifié la recommandation : {outcome}. Motif : {reason}",
    },
}


def resolve_language(language: str) -> str:
    """The explanation language for a requested code: itself, its base (fr-CA → fr), or en.

    Falling back keeps the result usable for a form language we have no sentences for; the
    result records which language was actually used.
    """
    if language in TEMPLATES:
        return language
    base = language.split("-", 1)[0].lower()
    return base if base in TEMPLATES else FALLBACK


def text(language: str, key: str, **values: object) -> str:
    return TEMPLATES[language][key].format(**values)


def element_name(language: str, element: Element) -> str:
    return ELEMENT_NAMES[language][element]


def outcome_name(language: str, outcome: str) -> str:
    return OUTCOME_NAMES[language][outcome]


def strength_name(language: str, strength: Strength) -> str:
    return STRENGTH_NAMES[language][strength]


def override_sentence(language: str, recommendation: str, reason: str) -> str:
    language = resolve_language(language)
    return text(language, "override", outcome=outcome_name(language, recommendation), reason=reason)


# Sentences of the catalogue and child rules (docs/scoring.md). Kept together so that a
# translator sees every sentence the rules added in one place; merged into TEMPLATES below.
_RULE_SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "child_exploitation": (
            "The answer to {questions} is exploitation in itself: the exploitation of the"
            " prostitution of others, or, for a child, commercial sexual exploitation or use"
            " in crime (Palermo Protocol art. 3(a); ILO Convention 182 art. 3)."
        ),
        "likely_child_act": (
            "Likely trafficked: someone else recruited, moved, handed over or kept the child,"
            " and exploitation is present; for a child no means are required (Palermo"
            " Protocol art. 3(c))."
        ),
        "minor_at_recruitment": (
            "The person was under 18 when this began: the rule for children applies to that period."
        ),
        "child_protection": "Child protection is needed now: {reasons}.",
        "indicator_list": "Indicator strengths are those of the ILO/EC list for {name}.",
        "other_lists": (
            "The list for {names} applies too and was scored as well; the stronger finding"
            " is reported."
        ),
        "acts": "Done by others ({acts}): {items}.",
        "insufficient_information": (
            "No assessment could be made: no question able to carry an indicator was answered"
            " other than “declined” or “don't know”. This is not a finding of no trafficking."
        ),
    },
    "cnr": {
        "child_exploitation": (
            "Odgovor na {questions} sam po sebi predstavlja eksploataciju: iskorišćavanje"
            " prostitucije drugih, ili, kod djeteta, komercijalnu seksualnu eksploataciju ili"
            " korišćenje za krivična djela (Protokol iz Palerma, čl. 3(a); Konvencija MOR-a"
            " br. 182, čl. 3)."
        ),
        "likely_child_act": (
            "Vjerovatna trgovina ljudima: neko drugi je dijete vrbovao, premjestio, predao ili"
            " držao, a eksploatacija je prisutna; za dijete sredstva nijesu potrebna"
            " (Protokol iz Palerma, čl. 3(c))."
        ),
        "minor_at_recruitment": (
            "Osoba je imala manje od 18 godina kada je ovo počelo: za taj period važi pravilo"
            " za djecu."
        ),
        "child_protection": "Potrebna je zaštita djeteta sada: {reasons}.",
        "indicator_list": "Jačina indikatora je prema listi MOR-a i EK za: {name}.",
        "other_lists": (
            "Primjenjuje se i lista za: {names}, i ona je bodovana; prikazan je jači nalaz."
        ),
        "acts": "Uradili drugi ({acts}): {items}.",
        "insufficient_information": (
            "Procjena nije bila moguća: nijedno pitanje koje može nositi indikator nije dobilo"
            " odgovor osim „ne želi da odgovori“ ili „ne zna“. Ovo nije nalaz da trgovine"
            " ljudima nema."
        ),
    },
    "ar": {
        "child_exploitation": (
            "الإجابة عن {questions} استغلالٌ في حدّ ذاتها: استغلال دعارة الغير، أو بالنسبة إلى"
            " الطفل الاستغلال الجنسي التجاري أو استخدامه في الجريمة (بروتوكول باليرمو،"
            " المادة 3(أ)؛ اتفاقية منظمة العمل الدولية رقم 182، المادة 3)."
        ),
        "likely_child_act": (
            "اتجار بالبشر مرجَّح: قام شخص آخر بتجنيد الطفل أو نقله أو تسليمه أو إيوائه، والاستغلال"
            " متوافر؛ ولا يُشترط توافر الوسائل في حالة الطفل (بروتوكول باليرمو، المادة 3(ج))."
        ),
        "minor_at_recruitment": (
            "كان عمر الشخص أقل من 18 عامًا عندما بدأ ذلك: تُطبَّق قاعدة الأطفال على تلك الفترة."
        ),
        "child_protection": "يلزم توفير حماية الطفل الآن: {reasons}.",
        "indicator_list": (
            "قوة المؤشرات هي تلك الواردة في قائمة منظمة العمل الدولية والمفوضية الأوروبية"
            " لـ: {name}."
        ),
        "other_lists": (
            "تنطبق أيضًا القائمة الخاصة بـ: {names}، وقد قُيّمت كذلك؛ وتُعرض النتيجة الأقوى."
        ),
        "acts": "أفعال قام بها آخرون ({acts}): {items}.",
        "insufficient_information": (
            "تعذّر إجراء تقييم: لم يُجَب عن أي سؤال يمكن أن يحمل مؤشرًا إلا بـ«رفض الإجابة» أو"
            " «لا أعرف». وهذه ليست نتيجة بعدم وجود اتجار."
        ),
    },
    "fr": {
        "child_exploitation": (
            "La réponse à {questions} constitue en soi une exploitation : l'exploitation de la"
            " prostitution d'autrui ou, pour un enfant, l'exploitation sexuelle commerciale ou"
            " l'utilisation dans des activités criminelles (Protocole de Palerme, art. 3 a) ;"
            " Convention n° 182 de l'OIT, art. 3)."
        ),
        "likely_child_act": (
            "Traite probable : quelqu'un d'autre a recruté, déplacé, remis ou hébergé l'enfant,"
            " et l'exploitation est présente ; pour un enfant, aucun moyen n'est requis"
            " (Protocole de Palerme, art. 3 c))."
        ),
        "minor_at_recruitment": (
            "La personne avait moins de 18 ans quand cela a commencé : la règle pour les"
            " enfants s'applique à cette période."
        ),
        "child_protection": (
            "Une protection de l'enfance est nécessaire dès maintenant : {reasons}."
        ),
        "indicator_list": (
            "Les forces des indicateurs sont celles de la liste OIT/CE pour : {name}."
        ),
        "other_lists": (
            "La liste pour : {names} s'applique aussi et a été évaluée ; le résultat le plus"
            " fort est retenu."
        ),
        "acts": "Fait par d'autres ({acts}) : {items}.",
        "insufficient_information": (
            "Aucune évaluation n'a pu être faite : aucune question pouvant porter un indicateur"
            " n'a reçu d'autre réponse que « refuse de répondre » ou « ne sait pas ». Ce n'est"
            " pas une conclusion d'absence de traite."
        ),
    },
}

LIST_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "adult_labour": "adults, labour exploitation",
        "adult_sexual": "adults, sexual exploitation",
        "child_labour": "children, labour exploitation",
        "child_sexual": "children, sexual exploitation",
    },
    "cnr": {
        "adult_labour": "odrasli, radna eksploatacija",
        "adult_sexual": "odrasli, seksualna eksploatacija",
        "child_labour": "djeca, radna eksploatacija",
        "child_sexual": "djeca, seksualna eksploatacija",
    },
    "ar": {
        "adult_labour": "البالغون، الاستغلال في العمل",
        "adult_sexual": "البالغون، الاستغلال الجنسي",
        "child_labour": "الأطفال، الاستغلال في العمل",
        "child_sexual": "الأطفال، الاستغلال الجنسي",
    },
    "fr": {
        "adult_labour": "adultes, exploitation par le travail",
        "adult_sexual": "adultes, exploitation sexuelle",
        "child_labour": "enfants, exploitation par le travail",
        "child_sexual": "enfants, exploitation sexuelle",
    },
}

ACT_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "recruitment": "recruitment",
        "transportation": "transportation",
        "transfer": "transfer",
        "harbouring": "harbouring",
        "receipt": "receipt",
    },
    "cnr": {
        "recruitment": "vrbovanje",
        "transportation": "prevoz",
        "transfer": "predaja drugome",
        "harbouring": "skrivanje ili smještaj",
        "receipt": "prihvat",
    },
    "ar": {
        "recruitment": "التجنيد",
        "transportation": "النقل",
        "transfer": "التسليم إلى آخرين",
        "harbouring": "الإيواء",
        "receipt": "الاستقبال",
    },
    "fr": {
        "recruitment": "recrutement",
        "transportation": "transport",
        "transfer": "transfert",
        "harbouring": "hébergement",
        "receipt": "accueil",
    },
}

PROTECTION_REASONS: dict[str, dict[str, str]] = {
    "en": {
        "exploitation_indicator": "an exploitation indicator was disclosed",
        "unaccompanied_or_separated": "the child is unaccompanied or separated",
    },
    "cnr": {
        "exploitation_indicator": "otkriven je indikator eksploatacije",
        "unaccompanied_or_separated": "dijete je bez pratnje ili odvojeno od porodice",
    },
    "ar": {
        "exploitation_indicator": "كُشف عن مؤشر استغلال",
        "unaccompanied_or_separated": "الطفل غير مصحوب أو منفصل عن ذويه",
    },
    "fr": {
        "exploitation_indicator": "un indicateur d'exploitation a été révélé",
        "unaccompanied_or_separated": "l'enfant est non accompagné ou séparé",
    },
}

for _language, _sentences in _RULE_SENTENCES.items():
    TEMPLATES[_language].update(_sentences)


def list_name(language: str, name: str) -> str:
    return LIST_NAMES[language][name]


def act_name(language: str, act: str) -> str:
    return ACT_NAMES[language][act]


def protection_reason(language: str, reason: str) -> str:
    return PROTECTION_REASONS[language][reason]


def protection_sentence(language: str, reasons: Iterable[str]) -> str:
    """ "Child protection is needed now: …" for the reasons given, in `language`."""
    language = resolve_language(language)
    named = TEMPLATES[language]["name_sep"].join(protection_reason(language, r) for r in reasons)
    return text(language, "child_protection", reasons=named)
