<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sr_ME" sourcelanguage="en">
<context>
    <name>InterviewView</name>
    <message>
        <source>An answer is needed. If the person prefers not to say, press Declined.</source>
        <translation>Potreban je odgovor. Ako osoba ne želi da kaže, pritisnite Odbijeno.</translation>
    </message>
    <message>
        <source>An answer is needed before moving on.</source>
        <translation>Prije nastavka potreban je odgovor.</translation>
    </message>
    <message>
        <source>At least {0} entries are needed here.</source>
        <translation>Ovdje je potrebno najmanje {0} unosa.</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>Intervju</translation>
    </message>
    <message>
        <source>{0} saved answers do not fit this questionnaire version.</source>
        <translation>Sačuvani odgovori ({0}) ne odgovaraju ovoj verziji upitnika.</translation>
    </message>
    <message>
        <source>Start the child interview?</source>
        <translation>Započeti intervju za djecu?</translation>
    </message>
    <message>
        <source>This interview stops here and the child screening interview starts, with the consent, languages, interpreter and the answers already given carried over, so nothing is asked twice.</source>
        <translation>Ovaj intervju se ovdje prekida i počinje intervju za djecu; saglasnost, jezici, prevodilac i već dati odgovori se prenose, tako da se ništa ne pita dvaput.</translation>
    </message>
    <message>
        <source>&amp;Start the child interview</source>
        <translation>&amp;Započni intervju za djecu</translation>
    </message>
    <message>
        <source>&amp;Not now</source>
        <translation>&amp;Ne sada</translation>
    </message>
    <message>
        <source>Finish: see the outcome →</source>
        <translation>Završi: pogledaj ishod →</translation>
    </message>
    <message>
        <source>Pause (F8)</source>
        <translation>Pauza (F8)</translation>
    </message>
    <message>
        <source>Pause the interview now</source>
        <translation>Odmah pauziraj intervju</translation>
    </message>
    <message>
        <source>Stop…</source>
        <translation>Prekini…</translation>
    </message>
    <message>
        <source>Stop the interview</source>
        <translation>Prekini intervju</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>Jezici</translation>
    </message>
    <message>
        <source>Change language…</source>
        <translation>Promijeni jezik…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pauzirano</translation>
    </message>
    <message>
        <source>Add a reason…</source>
        <translation>Dodaj razlog…</translation>
    </message>
    <message>
        <source>Under 18: this person must be interviewed with the child screening interview, and child protection informed.</source>
        <translation>Mlađe od 18: s ovom osobom treba voditi intervju za djecu i obavijestiti službu za zaštitu djece.</translation>
    </message>
    <message>
        <source>Under 18</source>
        <translation>Mlađe od 18</translation>
    </message>
    <message>
        <source>Start the child interview…</source>
        <translation>Započni intervju za djecu…</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Odjeljci</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Napredak</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Poruka</translation>
    </message>
    <message>
        <source>← Previous</source>
        <translation>← Prethodno</translation>
    </message>
    <message>
        <source>Every answer is saved the moment it is given</source>
        <translation>Svaki odgovor se čuva čim je dat</translation>
    </message>
    <message>
        <source>Save state</source>
        <translation>Stanje čuvanja</translation>
    </message>
    <message>
        <source>Next →</source>
        <translation>Dalje →</translation>
    </message>
    <message>
        <source>Section {0} of {1}</source>
        <translation>Odjeljak {0} od {1}</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>Nije sačuvano: {0}</translation>
    </message>
    <message>
        <source>The last answer was NOT saved</source>
        <translation>Posljednji odgovor NIJE sačuvan</translation>
    </message>
    <message>
        <source>Every answer saved · {0}</source>
        <translation>Svi odgovori sačuvani · {0}</translation>
    </message>
    <message>
        <source>Some questions still need an answer before the outcome.</source>
        <translation>Neka pitanja još traže odgovor prije ishoda.</translation>
    </message>
    <message>
        <source>This question cannot be marked that way.</source>
        <translation>Ovo pitanje se ne može tako označiti.</translation>
    </message>
    <message>
        <source>no reason given yet</source>
        <translation>razlog još nije naveden</translation>
    </message>
    <message>
        <source>Paused by {0} at {1}. Reason: {2}.</source>
        <translation>Pauzirao/la {0}, {1}. Razlog: {2}.</translation>
    </message>
    <message>
        <source>Interviewee&apos;s language: {0}  ·  screener: {1}</source>
        <translation>Jezik sagovornika: {0}  ·  skriner: {1}</translation>
    </message>
</context>
<context>
    <name>LanguageDialog</name>
    <message>
        <source>Interviewee&apos;s language</source>
        <translation>Jezik sagovornika</translation>
    </message>
    <message>
        <source>The questions will be shown in this language from now on. Answers already given stay as they are; the change is recorded in the audit log.</source>
        <translation>Pitanja će se od sada prikazivati na ovom jeziku. Već dati odgovori ostaju kakvi jesu; promjena se bilježi u revizijskom zapisu.</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Promijeni</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Otkaži</translation>
    </message>
    <message>
        <source>Change language</source>
        <translation>Promijeni jezik</translation>
    </message>
</context>
<context>
    <name>NewInterviewDialog</name>
    <message>
        <source>Not yet reviewed by a native speaker in the field: %1. Listen for misunderstandings and report confusing wording to your coordinator.</source>
        <translation>Još nije provjereno od strane izvornog govornika na terenu: %1. Pazite na nesporazume i prijavite koordinatoru nejasne formulacije.</translation>
    </message>
    <message>
        <source>New interview</source>
        <translation>Novi intervju</translation>
    </message>
    <message>
        <source>Show older versions</source>
        <translation>Prikaži starije verzije</translation>
    </message>
    <message>
        <source>An interpreter is taking part</source>
        <translation>Učestvuje prevodilac</translation>
    </message>
    <message>
        <source>Centre name or code, e.g. BAR-2</source>
        <translation>Naziv ili šifra centra, npr. BAR-2</translation>
    </message>
    <message>
        <source>&amp;Questionnaire</source>
        <translation>&amp;Upitnik</translation>
    </message>
    <message>
        <source>&amp;Interview language (the person&apos;s)</source>
        <translation>&amp;Jezik intervjua (jezik osobe)</translation>
    </message>
    <message>
        <source>&amp;Screener language</source>
        <translation>Jezik &amp;skrinera</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>Prevodilac</translation>
    </message>
    <message>
        <source>&amp;Centre</source>
        <translation>&amp;Centar</translation>
    </message>
    <message>
        <source>Write the centre only, never an address or the person&apos;s details.</source>
        <translation>Upišite samo centar, nikada adresu ni podatke o osobi.</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Start with consent</source>
        <translation>Počni sa saglasnošću</translation>
    </message>
    <message>
        <source>from your organisation</source>
        <translation>od vaše organizacije</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>isporučen uz program</translation>
    </message>
    <message>
        <source>%1 · version %2 · %3</source>
        <translation>%1 · verzija %2 · %3</translation>
    </message>
</context>
<context>
    <name>OutcomeView</name>
    <message>
        <source>Child protection</source>
        <translation>Zaštita djeteta</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ishod</translation>
    </message>
    <message>
        <source>Interview status</source>
        <translation>Status intervjua</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>Preporuka</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>Izmjena preporuke</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>Upućivanje</translation>
    </message>
    <message>
        <source>Why: elements of trafficking</source>
        <translation>Zašto: elementi trgovine ljudima</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Sažetak</translation>
    </message>
    <message>
        <source>Needs identified</source>
        <translation>Utvrđene potrebe</translation>
    </message>
    <message>
        <source>Declined and “don&apos;t know”</source>
        <translation>Odbijeno i „ne znam”</translation>
    </message>
    <message>
        <source>Screener&apos;s override</source>
        <translation>Izmjena preporuke od strane skrinera</translation>
    </message>
    <message>
        <source>If your professional judgement differs, choose another recommendation and write why. The reason is kept with the interview and the change is audited.</source>
        <translation>Ako se vaša stručna procjena razlikuje, izaberite drugu preporuku i napišite zašto. Razlog se čuva uz intervju, a promjena se bilježi u revizijskom zapisu.</translation>
    </message>
    <message>
        <source>Different recommendation</source>
        <translation>Druga preporuka</translation>
    </message>
    <message>
        <source>Reason for the override</source>
        <translation>Razlog izmjene</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Razlog (obavezno)</translation>
    </message>
    <message>
        <source>Record override</source>
        <translation>Zabilježi izmjenu</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Poruka</translation>
    </message>
    <message>
        <source>← Back to the questions</source>
        <translation>← Nazad na pitanja</translation>
    </message>
    <message>
        <source>Complete interview</source>
        <translation>Završi intervju</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zatvori</translation>
    </message>
    <message>
        <source>After this the answers can only be corrected with a reason.</source>
        <translation>Nakon ovoga odgovori se mogu ispraviti samo uz razlog.</translation>
    </message>
    <message>
        <source>Draft: not completed yet</source>
        <translation>Nacrt: još nije završen</translation>
    </message>
    <message>
        <source>Completed · read-only</source>
        <translation>Završen · samo za čitanje</translation>
    </message>
    <message>
        <source>Stopped · read-only</source>
        <translation>Prekinut · samo za čitanje</translation>
    </message>
    <message>
        <source>by {0}, {1}</source>
        <translation>prekinuo/la {0}, {1}</translation>
    </message>
    <message>
        <source>reason: {0}</source>
        <translation>razlog: {0}</translation>
    </message>
    <message>
        <source>This questionnaire has no scoring rules.</source>
        <translation>Ovaj upitnik nema pravila bodovanja.</translation>
    </message>
    <message>
        <source>None recorded.</source>
        <translation>Ništa nije zabilježeno.</translation>
    </message>
    <message>
        <source>Declined: {0}</source>
        <translation>Odbijeno: {0}</translation>
    </message>
    <message>
        <source>Don&apos;t know: {0}</source>
        <translation>Ne zna: {0}</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Nema.</translation>
    </message>
    <message>
        <source>Referral for further assessment is recommended.</source>
        <translation>Preporučuje se upućivanje na dalju procjenu.</translation>
    </message>
    <message>
        <source>No referral indicated by the screening.</source>
        <translation>Skrining ne ukazuje na potrebu upućivanja.</translation>
    </message>
    <message>
        <source>Changed by {0}. Computed result: {1}. Reason: {2}</source>
        <translation>Izmijenio/la {0}. Izračunati rezultat: {1}. Razlog: {2}</translation>
    </message>
    <message>
        <source>Choose a different recommendation…</source>
        <translation>Izaberite drugu preporuku…</translation>
    </message>
    <message>
        <source>Complete the interview?</source>
        <translation>Završiti intervju?</translation>
    </message>
    <message>
        <source>Complete this interview with the recommendation shown? After this it is read-only: answers can only be corrected with a reason.</source>
        <translation>Završiti ovaj intervju s prikazanom preporukom? Nakon toga je samo za čitanje: odgovori se mogu ispraviti samo uz razlog.</translation>
    </message>
    <message>
        <source>&amp;Complete</source>
        <translation>&amp;Završi</translation>
    </message>
    <message>
        <source>&amp;Not yet</source>
        <translation>&amp;Ne još</translation>
    </message>
    <message>
        <source>Interview {0} completed and saved.</source>
        <translation>Intervju {0} je završen i sačuvan.</translation>
    </message>
</context>
<context>
    <name>PauseReasonDialog</name>
    <message>
        <source>Why was the interview paused?</source>
        <translation>Zašto je intervju pauziran?</translation>
    </message>
    <message>
        <source>Save reason</source>
        <translation>Sačuvaj razlog</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Otkaži</translation>
    </message>
</context>
<context>
    <name>QuestionBlock</name>
    <message>
        <source>Computed value</source>
        <translation>Izračunata vrijednost</translation>
    </message>
    <message>
        <source>screener</source>
        <translation>skriner</translation>
    </message>
    <message>
        <source>interviewee</source>
        <translation>sagovornik</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>Problem s ovim odgovorom</translation>
    </message>
    <message>
        <source>Answer state</source>
        <translation>Stanje odgovora</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Odbijeno</translation>
    </message>
    <message>
        <source>Don&apos;t know</source>
        <translation>Ne zna</translation>
    </message>
    <message>
        <source>Clear answer</source>
        <translation>Obriši odgovor</translation>
    </message>
    <message>
        <source>Filled in by the form from other answers; you can change it. It is filled in again when those answers change.</source>
        <translation>Obrazac ovo popunjava sam iz drugih odgovora; možete to promijeniti. Ponovo se popunjava kada se ti odgovori promijene.</translation>
    </message>
    <message>
        <source>Filled in by the form when the interview began; you can change it.</source>
        <translation>Obrazac je ovo popunio sam na početku intervjua; možete to promijeniti.</translation>
    </message>
    <message>
        <source>Set by the form each time the answer to “{0}” changes; you can change it.</source>
        <translation>Obrazac ovo postavlja svaki put kada se promijeni odgovor na „{0}”; možete to promijeniti.</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>izabrano</translation>
    </message>
    <message>
        <source>Declined to answer · saved</source>
        <translation>Odbio/la da odgovori · sačuvano</translation>
    </message>
    <message>
        <source>Don&apos;t know · saved</source>
        <translation>Ne zna · sačuvano</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Sačuvano</translation>
    </message>
    <message>
        <source>Answer needed</source>
        <translation>Potreban odgovor</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Bez odgovora</translation>
    </message>
</context>
<context>
    <name>RepeatPanel</name>
    <message>
        <source>{0} added so far.</source>
        <translation>Do sada dodato: {0}.</translation>
    </message>
    <message>
        <source>Add another</source>
        <translation>Dodaj još jedan</translation>
    </message>
    <message>
        <source>{0}: {1} of {2}</source>
        <translation>{0}: {1} od {2}</translation>
    </message>
    <message>
        <source>Remove this one</source>
        <translation>Ukloni ovaj</translation>
    </message>
</context>
<context>
    <name>SectionNavigator</name>
    <message>
        <source>Sections</source>
        <translation>Odjeljci</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>završeno</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>u toku</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>nije započeto</translation>
    </message>
    <message>
        <source>not asked</source>
        <translation>ne postavlja se</translation>
    </message>
</context>
<context>
    <name>StopDialog</name>
    <message>
        <source>no reason recorded</source>
        <translation>razlog nije zabilježen</translation>
    </message>
    <message>
        <source>Stop the interview</source>
        <translation>Prekini intervju</translation>
    </message>
    <message>
        <source>Stopping ends the interview: the answers given so far are kept and become read-only, and it cannot be resumed. To come back later, pause instead (F8).</source>
        <translation>Prekid završava intervju: dosad dati odgovori se čuvaju i postaju samo za čitanje, a intervju se ne može nastaviti. Da biste se kasnije vratili, radije pauzirajte (F8).</translation>
    </message>
    <message>
        <source>Say briefly why (needed for another reason)</source>
        <translation>Ukratko navedite zašto (obavezno za drugi razlog)</translation>
    </message>
    <message>
        <source>Other reason</source>
        <translation>Drugi razlog</translation>
    </message>
    <message>
        <source>The person is distressed</source>
        <translation>Osoba je uznemirena</translation>
    </message>
    <message>
        <source>Consent withdrawn</source>
        <translation>Saglasnost povučena</translation>
    </message>
    <message>
        <source>Interpreter unavailable</source>
        <translation>Prevodilac nije dostupan</translation>
    </message>
    <message>
        <source>&amp;Stop interview…</source>
        <translation>&amp;Prekini intervju…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Otkaži</translation>
    </message>
    <message>
        <source>Yes, stop for good</source>
        <translation>Da, prekini trajno</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>Ne, vrati se</translation>
    </message>
    <message>
        <source>Stop this interview for good? Reason: {0}. It cannot be resumed; the answers given so far stay in the vault, read-only.</source>
        <translation>Trajno prekinuti ovaj intervju? Razlog: {0}. Ne može se nastaviti; dosad dati odgovori ostaju u trezoru, samo za čitanje.</translation>
    </message>
</context>
<context>
    <name>RankInput</name>
    <message>
        <source>Move up</source>
        <translation>Pomjeri gore</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Pomjeri dolje</translation>
    </message>
    <message>
        <source>Keep this order</source>
        <translation>Zadrži ovaj redoslijed</translation>
    </message>
    <message>
        <source>Ctrl+Up</source>
        <translation>Ctrl+strelica gore</translation>
    </message>
    <message>
        <source>Ctrl+Down</source>
        <translation>Ctrl+strelica dolje</translation>
    </message>
</context>
</TS>
