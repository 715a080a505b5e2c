<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sr_ME" sourcelanguage="en">
<context>
    <name>CasePage</name>
    <message>
        <source>Interview %1</source>
        <translation>Intervju %1</translation>
    </message>
    <message>
        <source>Opening the interview…</source>
        <translation>Otvaranje intervjua…</translation>
    </message>
    <message>
        <source>The interview could not be opened.</source>
        <translation>Intervju nije mogao da se otvori.</translation>
    </message>
    <message>
        <source>Interview %1 · %2 · %3</source>
        <translation>Intervju %1 · %2 · %3</translation>
    </message>
    <message>
        <source>The questionnaire %1 is not installed here: answers are shown by question id, as stored, and the outcome as the screener&apos;s laptop recorded it.</source>
        <translation>Upitnik %1 ovdje nije instaliran: odgovori su prikazani po oznaci pitanja, onako kako su sačuvani, a ishod onako kako ga je zabilježio laptop procjenjivača.</translation>
    </message>
    <message>
        <source>Stored answers that no longer fit the questionnaire are not shown: %1.</source>
        <translation>Sačuvani odgovori koji više ne odgovaraju upitniku nijesu prikazani: %1.</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Započet</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Završen</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>Centar</translation>
    </message>
    <message>
        <source>Screener</source>
        <translation>Procjenjivač</translation>
    </message>
    <message>
        <source>Interview language</source>
        <translation>Jezik intervjua</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>Prevodilac</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>da</translation>
    </message>
    <message>
        <source>no</source>
        <translation>ne</translation>
    </message>
    <message>
        <source>Stopped because</source>
        <translation>Prekinut zbog</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Primljen</translation>
    </message>
    <message>
        <source>No answers were recorded.</source>
        <translation>Nijesu zabilježeni odgovori.</translation>
    </message>
    <message>
        <source>Declined to answer</source>
        <translation>Osoba je odbila da odgovori</translation>
    </message>
    <message>
        <source>Don&apos;t know</source>
        <translation>„Ne znam“</translation>
    </message>
    <message>
        <source>corrected after completion</source>
        <translation>ispravljeno nakon završetka</translation>
    </message>
    <message>
        <source>No outcome was recorded.</source>
        <translation>Ishod nije zabilježen.</translation>
    </message>
    <message>
        <source>Recommendation: %1</source>
        <translation>Preporuka: %1</translation>
    </message>
    <message>
        <source>Referral for further assessment is recommended.</source>
        <translation>Preporučuje se upućivanje na dalju procjenu.</translation>
    </message>
    <message>
        <source>No referral indicated by the screening.</source>
        <translation>Procjena ne ukazuje na potrebu upućivanja.</translation>
    </message>
    <message>
        <source>Screener&apos;s override</source>
        <translation>Izmjena procjenjivača</translation>
    </message>
    <message>
        <source>%1 changed the recommendation to %2 on %3. Scored result: %4.</source>
        <translation>Izmjena: %1, %3. Nova preporuka: %2. Izračunati rezultat: %4.</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Razlog:</translation>
    </message>
    <message>
        <source>Scoring these answers again gives %1. The explanation below is the one recorded with the interview.</source>
        <translation>Ponovno bodovanje ovih odgovora daje: %1. Objašnjenje ispod je ono koje je zabilježeno uz intervju.</translation>
    </message>
    <message>
        <source>As recorded on the screener&apos;s laptop.</source>
        <translation>Onako kako je zabilježeno na laptopu procjenjivača.</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>Objašnjenje</translation>
    </message>
    <message>
        <source>Answers behind each element</source>
        <translation>Odgovori po elementima</translation>
    </message>
    <message>
        <source>Screener&apos;s laptop</source>
        <translation>Laptop procjenjivača</translation>
    </message>
    <message>
        <source>This vault</source>
        <translation>Ovaj trezor</translation>
    </message>
    <message>
        <source>%1 (revision %2)</source>
        <translation>%1 (revizija %2)</translation>
    </message>
    <message>
        <source>form %1</source>
        <translation>obrazac %1</translation>
    </message>
    <message>
        <source>delivered to the hub</source>
        <translation>dostavljeno centralnom serveru</translation>
    </message>
    <message>
        <source>Interview started</source>
        <translation>Intervju započet</translation>
    </message>
    <message>
        <source>Answer given or changed</source>
        <translation>Odgovor dat ili promijenjen</translation>
    </message>
    <message>
        <source>Answer removed</source>
        <translation>Odgovor uklonjen</translation>
    </message>
    <message>
        <source>Answer corrected</source>
        <translation>Odgovor ispravljen</translation>
    </message>
    <message>
        <source>Outcome scored</source>
        <translation>Ishod izračunat</translation>
    </message>
    <message>
        <source>Recommendation overridden</source>
        <translation>Preporuka izmijenjena</translation>
    </message>
    <message>
        <source>Interview completed</source>
        <translation>Intervju završen</translation>
    </message>
    <message>
        <source>Interview stopped</source>
        <translation>Intervju prekinut</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Poslato</translation>
    </message>
    <message>
        <source>Received by sync</source>
        <translation>Primljeno sinhronizacijom</translation>
    </message>
    <message>
        <source>Answers purged</source>
        <translation>Odgovori obrisani</translation>
    </message>
    <message>
        <source>Interview paused</source>
        <translation>Intervju pauziran</translation>
    </message>
    <message>
        <source>Reason for the pause added</source>
        <translation>Dodat razlog pauze</translation>
    </message>
    <message>
        <source>Interviewee&apos;s language changed</source>
        <translation>Promijenjen jezik sagovornika</translation>
    </message>
    <message>
        <source>Continued in another interview</source>
        <translation>Nastavljeno u drugom intervjuu</translation>
    </message>
    <message>
        <source>Continues an earlier interview</source>
        <translation>Nastavak ranijeg intervjua</translation>
    </message>
    <message>
        <source>Opened for review</source>
        <translation>Otvoreno radi pregleda</translation>
    </message>
    <message>
        <source>&amp;Referrals…</source>
        <translation>&amp;Upućivanja…</translation>
    </message>
    <message>
        <source>Referrals of this interview</source>
        <translation>Upućivanja iz ovog intervjua</translation>
    </message>
    <message>
        <source>Refer the person to a service, follow the referral, save the slip</source>
        <translation>Uputite osobu službi, pratite upućivanje, sačuvajte list</translation>
    </message>
    <message>
        <source>← Received interviews</source>
        <translation>← Primljeni intervjui</translation>
    </message>
    <message>
        <source>Back to the received interviews</source>
        <translation>Nazad na primljene intervjue</translation>
    </message>
    <message>
        <source>Back to the received interviews (Esc)</source>
        <translation>Nazad na primljene intervjue (Esc)</translation>
    </message>
    <message>
        <source>Answers in:</source>
        <translation>Odgovori na jeziku:</translation>
    </message>
    <message>
        <source>Language of questions and explanation</source>
        <translation>Jezik pitanja i objašnjenja</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>Intervju</translation>
    </message>
    <message>
        <source>Interview details</source>
        <translation>Podaci o intervjuu</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Napomena</translation>
    </message>
    <message>
        <source>Opening the interview</source>
        <translation>Otvaranje intervjua</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Odgovori</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ishod</translation>
    </message>
    <message>
        <source>Outcome and explanation</source>
        <translation>Ishod i objašnjenje</translation>
    </message>
    <message>
        <source>Audit trail of this interview</source>
        <translation>Revizijski trag ovog intervjua</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Kolone</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Redovi</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kada</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Ko</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Šta</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Pojedinosti</translation>
    </message>
    <message>
        <source>Recorded on</source>
        <translation>Zabilježeno na</translation>
    </message>
</context>
<context>
    <name>CoordinatorShell</name>
    <message>
        <source>Export…</source>
        <translation>Izvoz…</translation>
    </message>
    <message>
        <source>Export anonymised data</source>
        <translation>Izvoz anonimizovanih podataka</translation>
    </message>
    <message>
        <source>Anonymised statistics as CSV, XLSX, HTCDS JSON or a PDF report</source>
        <translation>Anonimizovana statistika kao CSV, XLSX, HTCDS JSON ili PDF izvještaj</translation>
    </message>
    <message>
        <source>Received interviews</source>
        <translation>Primljeni intervjui</translation>
    </message>
    <message>
        <source>Interviews sent by the screeners&apos; laptops, for review</source>
        <translation>Intervjui koje su poslali laptopovi procjenjivača, za pregled</translation>
    </message>
    <message>
        <source>Held conflicts…</source>
        <translation>Zadržani sukobi…</translation>
    </message>
    <message>
        <source>Interviews changed both here and on a laptop</source>
        <translation>Intervjui izmijenjeni i ovdje i na laptopu</translation>
    </message>
    <message>
        <source>Compare two copies of an interview and choose the one to keep</source>
        <translation>Uporedite dvije kopije intervjua i izaberite onu koju zadržavate</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to</source>
        <translation>Izvezi u</translation>
    </message>
    <message>
        <source>%1 files (*%2)</source>
        <translation>%1 datoteke (*%2)</translation>
    </message>
    <message>
        <source>Counting the interviews…</source>
        <translation>Brojanje intervjua…</translation>
    </message>
    <message>
        <source>Choose the file to export to.</source>
        <translation>Izaberite datoteku u koju se izvozi.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Izvoz u toku…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Otkazivanje…</translation>
    </message>
    <message>
        <source>Export anonymised data</source>
        <translation>Izvoz anonimizovanih podataka</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>Excel workbook (XLSX)</source>
        <translation>Excel radna sveska (XLSX)</translation>
    </message>
    <message>
        <source>HTCDS JSON</source>
        <translation>HTCDS JSON</translation>
    </message>
    <message>
        <source>PDF report</source>
        <translation>PDF izvještaj</translation>
    </message>
    <message>
        <source>All forms</source>
        <translation>Svi obrasci</translation>
    </message>
    <message>
        <source>Any day</source>
        <translation>Bilo koji dan</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Export format</source>
        <translation>Format izvoza</translation>
    </message>
    <message>
        <source>Started fro&amp;m:</source>
        <translation>Započeti o&amp;d:</translation>
    </message>
    <message>
        <source>Interviews started from</source>
        <translation>Intervjui započeti od</translation>
    </message>
    <message>
        <source>Started &amp;to:</source>
        <translation>Započeti d&amp;o:</translation>
    </message>
    <message>
        <source>Interviews started until</source>
        <translation>Intervjui započeti do</translation>
    </message>
    <message>
        <source>F&amp;orm:</source>
        <translation>O&amp;brazac:</translation>
    </message>
    <message>
        <source>Form to export</source>
        <translation>Obrazac za izvoz</translation>
    </message>
    <message>
        <source>Smallest &amp;group (k):</source>
        <translation>Najmanja &amp;grupa (k):</translation>
    </message>
    <message>
        <source>k, the smallest group of alike rows</source>
        <translation>k, najmanja grupa sličnih redova</translation>
    </message>
    <message>
        <source>&amp;Save to:</source>
        <translation>&amp;Sačuvaj u:</translation>
    </message>
    <message>
        <source>File to export to</source>
        <translation>Datoteka u koju se izvozi</translation>
    </message>
    <message>
        <source>Every exported row shares all its values but the case code with at least k-1 other rows.</source>
        <translation>Svaki izvezeni red dijeli sve svoje vrijednosti osim šifre slučaja s najmanje k-1 drugih redova.</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>Izab&amp;eri…</translation>
    </message>
    <message>
        <source>Choose the file to export to</source>
        <translation>Izaberite datoteku u koju se izvozi</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Pregled</translation>
    </message>
    <message>
        <source>Preview what gets generalised and suppressed</source>
        <translation>Pregled onoga što se uopštava i prikriva</translation>
    </message>
    <message>
        <source>Export preview</source>
        <translation>Pregled izvoza</translation>
    </message>
    <message>
        <source>Sample rows as they will be written</source>
        <translation>Primjeri redova onako kako će biti zapisani</translation>
    </message>
    <message>
        <source>Select all sample rows</source>
        <translation>Izaberi sve primjere redova</translation>
    </message>
    <message>
        <source>What the export protects</source>
        <translation>Šta izvoz štiti</translation>
    </message>
    <message>
        <source>Press Preview to see what the export generalises and suppresses.</source>
        <translation>Pritisnite Pregled da vidite šta izvoz uopštava i prikriva.</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>Napredak izvoza</translation>
    </message>
    <message>
        <source>Export status</source>
        <translation>Stanje izvoza</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Izvezi</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Izvezi</translation>
    </message>
    <message>
        <source>&amp;Cancel export</source>
        <translation>Otk&amp;aži izvoz</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Otkaži izvoz</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>&amp;Zatvori</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zatvori</translation>
    </message>
    <message>
        <source>No one can be picked out of the export: every row shares its age band, sex, nationality, place and month with at least %1 other rows, and rows that would stand out are blurred (*) or left out.</source>
        <translation>Niko se ne može izdvojiti iz izvoza: svaki red dijeli starosnu grupu, pol, državljanstvo, mjesto i mjesec s najmanje %1 drugih redova, a redovi koji bi se isticali se zamagljuju (*) ili izostavljaju.</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Obrazac</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mjesec</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Mjesto</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Godine</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Pol</translation>
    </message>
    <message>
        <source>Nationality</source>
        <translation>Državljanstvo</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ishod</translation>
    </message>
    <message>
        <source>Preview ready; nothing was written.</source>
        <translation>Pregled je spreman; ništa nije upisano.</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2. k achieved: %3. Suppressed: %4; left out: %5. Report: %6.</source>
        <translation>Izvezeno je %1 redova u %2. Postignuto k: %3. Prikriveno: %4; izostavljeno: %5. Izvještaj: %6.</translation>
    </message>
    <message>
        <source>The export failed; nothing was written.</source>
        <translation>Izvoz nije uspio; ništa nije upisano.</translation>
    </message>
    <message>
        <source>The export was cancelled; nothing was written.</source>
        <translation>Izvoz je otkazan; ništa nije upisano.</translation>
    </message>
    <message>
        <source>Interviews considered: %1</source>
        <translation>Razmotreni intervjui: %1</translation>
    </message>
    <message>
        <source>Left out, no consent: %1</source>
        <translation>Izostavljeno, bez pristanka: %1</translation>
    </message>
    <message>
        <source>Rows exported: %1</source>
        <translation>Izvezeni redovi: %1</translation>
    </message>
    <message>
        <source>How coarsely each identifying detail is written:</source>
        <translation>Koliko se grubo zapisuje svaki podatak koji bi mogao otkriti osobu:</translation>
    </message>
    <message>
        <source>Rows suppressed (every value replaced by *): %1</source>
        <translation>Prikriveni redovi (svaka vrijednost zamijenjena sa *): %1</translation>
    </message>
    <message>
        <source>  detail released: %1</source>
        <translation>  objavljeni detalji: %1</translation>
    </message>
    <message>
        <source>Same case codes as in earlier exports</source>
        <translation>Iste šifre slučajeva kao u ranijim izvozima</translation>
    </message>
    <message>
        <source>Warning: with the same case codes, this file can be joined row by row with every other export made this way, and joined files can single people out. The file is then pseudonymised personal data. Leave this off unless someone must follow the same people across exports.</source>
        <translation>Upozorenje: s istim šiframa slučajeva ova datoteka se može spojiti red po red sa svakim drugim izvozom napravljenim na ovaj način, a spojene datoteke mogu izdvojiti pojedine osobe. Datoteka je tada pseudonimizovani lični podatak. Ostavite ovo isključeno osim ako neko mora pratiti iste osobe kroz izvoze.</translation>
    </message>
    <message>
        <source>Warning about stable case codes</source>
        <translation>Upozorenje o stalnim šiframa slučajeva</translation>
    </message>
    <message>
        <source>Rows left out (too rare even when suppressed): %1</source>
        <translation>Izostavljeni redovi (prerijetki i kad su prikriveni): %1</translation>
    </message>
    <message>
        <source>k requested: %1; k achieved: %2</source>
        <translation>Traženo k: %1; postignuto k: %2</translation>
    </message>
    <message>
        <source>Steps taken:</source>
        <translation>Preduzeti koraci:</translation>
    </message>
</context>
<context>
    <name>NewReferralDialog</name>
    <message>
        <source>New referral</source>
        <translation>Novo upućivanje</translation>
    </message>
    <message>
        <source>&amp;Provider</source>
        <translation>&amp;Pružalac usluge</translation>
    </message>
    <message>
        <source>Needs</source>
        <translation>Potrebe</translation>
    </message>
    <message>
        <source>&amp;Urgency</source>
        <translation>&amp;Hitnost</translation>
    </message>
    <message>
        <source>Consent to refer</source>
        <translation>Saglasnost za upućivanje</translation>
    </message>
    <message>
        <source>Your phone or e-mail, printed on the slip</source>
        <translation>Vaš telefon ili e-pošta, štampa se na listu</translation>
    </message>
    <message>
        <source>Your &amp;contact</source>
        <translation>Vaš &amp;kontakt</translation>
    </message>
    <message>
        <source>Print the person&apos;s name, age and sex on the slip</source>
        <translation>Odštampaj ime, godine i pol osobe na listu</translation>
    </message>
    <message>
        <source>Refer</source>
        <translation>Uputi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Otkaži</translation>
    </message>
    <message>
        <source>Record the referral</source>
        <translation>Zabilježi upućivanje</translation>
    </message>
    <message>
        <source>No service providers are listed yet. An administrator adds them with “screening referral provider add”.</source>
        <translation>Još nema upisanih pružalaca usluga. Administrator ih dodaje naredbom „screening referral provider add”.</translation>
    </message>
    <message>
        <source>The person agreed</source>
        <translation>Osoba je pristala</translation>
    </message>
    <message>
        <source>A parent or guardian agreed (child)</source>
        <translation>Roditelj ili staratelj je pristao (dijete)</translation>
    </message>
    <message>
        <source>In the child&apos;s best interests (child protection only)</source>
        <translation>U najboljem interesu djeteta (samo zaštita djece)</translation>
    </message>
    <message>
        <source>Choose the basis of consent for this referral.</source>
        <translation>Izaberite osnov saglasnosti za ovo upućivanje.</translation>
    </message>
</context>
<context>
    <name>ReceivedModel</name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>Centar</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Obrazac</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ishod</translation>
    </message>
    <message>
        <source>Screener&apos;s override</source>
        <translation>Izmjena procjenjivača</translation>
    </message>
    <message>
        <source>Screener</source>
        <translation>Procjenjivač</translation>
    </message>
</context>
<context>
    <name>ReceivedPage</name>
    <message>
        <source>Received interviews: %1</source>
        <translation>Primljeni intervjui: %1</translation>
    </message>
    <message>
        <source>No received interviews match the search and filters.</source>
        <translation>Nijedan primljeni intervju ne odgovara pretrazi i filterima.</translation>
    </message>
    <message>
        <source>No interviews have been received yet. They arrive with sync.</source>
        <translation>Još nije primljen nijedan intervju. Stižu sinhronizacijom.</translation>
    </message>
    <message>
        <source>All forms</source>
        <translation>Svi obrasci</translation>
    </message>
    <message>
        <source>All centres</source>
        <translation>Svi centri</translation>
    </message>
    <message>
        <source>Received interviews</source>
        <translation>Primljeni intervjui</translation>
    </message>
    <message>
        <source>Search by ID, form, centre or screener</source>
        <translation>Pretraga po ID-u, obrascu, centru ili procjenjivaču</translation>
    </message>
    <message>
        <source>Search received interviews</source>
        <translation>Pretraga primljenih intervjua</translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation>Filter statusa</translation>
    </message>
    <message>
        <source>Form filter</source>
        <translation>Filter obrasca</translation>
    </message>
    <message>
        <source>Centre filter</source>
        <translation>Filter centra</translation>
    </message>
    <message>
        <source>Recommendation filter</source>
        <translation>Filter preporuke</translation>
    </message>
    <message>
        <source>The recommendation that stands: the screener&apos;s override where there is one.</source>
        <translation>Važeća preporuka: izmjena procjenjivača, ako postoji.</translation>
    </message>
    <message>
        <source>Override filter</source>
        <translation>Filter izmjene</translation>
    </message>
    <message>
        <source>Interview date between</source>
        <translation>Datum intervjua između</translation>
    </message>
    <message>
        <source>Filter by interview date</source>
        <translation>Filtriraj po datumu intervjua</translation>
    </message>
    <message>
        <source>Interview on or after</source>
        <translation>Intervju na dan ili poslije</translation>
    </message>
    <message>
        <source>Interview on or before</source>
        <translation>Intervju na dan ili prije</translation>
    </message>
    <message>
        <source>Press Enter to open the selected interview; Escape goes back.</source>
        <translation>Pritisnite Enter da otvorite izabrani intervju; Escape vraća nazad.</translation>
    </message>
    <message>
        <source>Columns: click to sort</source>
        <translation>Kolone: kliknite za sortiranje</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Redovi</translation>
    </message>
    <message>
        <source>Number of received interviews</source>
        <translation>Broj primljenih intervjua</translation>
    </message>
    <message>
        <source>Searching the vault</source>
        <translation>Pretraga trezora</translation>
    </message>
    <message>
        <source>No received interviews</source>
        <translation>Nema primljenih intervjua</translation>
    </message>
    <message>
        <source>Completed and stopped</source>
        <translation>Završeni i prekinuti</translation>
    </message>
    <message>
        <source>All recommendations</source>
        <translation>Sve preporuke</translation>
    </message>
    <message>
        <source>With or without override</source>
        <translation>Sa izmjenom ili bez nje</translation>
    </message>
    <message>
        <source>Overridden by the screener</source>
        <translation>S izmjenom procjenjivača</translation>
    </message>
    <message>
        <source>Not overridden</source>
        <translation>Bez izmjene</translation>
    </message>
</context>
<context>
    <name>ReferralsDialog</name>
    <message>
        <source>Referrals of this interview</source>
        <translation>Upućivanja iz ovog intervjua</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Pružalac usluge</translation>
    </message>
    <message>
        <source>Needs</source>
        <translation>Potrebe</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Hitnost</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Case code</source>
        <translation>Šifra slučaja</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>Upućivanja</translation>
    </message>
    <message>
        <source>&amp;New referral…</source>
        <translation>&amp;Novo upućivanje…</translation>
    </message>
    <message>
        <source>Provider &amp;accepted</source>
        <translation>Pružalac je &amp;prihvatio</translation>
    </message>
    <message>
        <source>Provider &amp;declined</source>
        <translation>Pružalac je &amp;odbio</translation>
    </message>
    <message>
        <source>C&amp;lose referral</source>
        <translation>&amp;Zatvori upućivanje</translation>
    </message>
    <message>
        <source>&amp;Save slip as PDF…</source>
        <translation>&amp;Sačuvaj list kao PDF…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Gotovo</translation>
    </message>
    <message>
        <source>This interview has not been referred yet.</source>
        <translation>Iz ovog intervjua još nije bilo upućivanja.</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Poslato</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Prihvaćeno</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Odbijeno</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Zatvoreno</translation>
    </message>
    <message>
        <source>Save the referral slip</source>
        <translation>Sačuvaj list za upućivanje</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF datoteke (*.pdf)</translation>
    </message>
    <message>
        <source>Slip saved: {0}. Print it from there; it is confidential.</source>
        <translation>List je sačuvan: {0}. Odštampajte ga odatle; povjerljiv je.</translation>
    </message>
    <message>
        <source>&amp;Print slip…</source>
        <translation>Š&amp;tampaj list…</translation>
    </message>
    <message>
        <source>Print the referral slip</source>
        <translation>Štampanje uputnog lista</translation>
    </message>
    <message>
        <source>Slip sent to the printer: {0}.</source>
        <translation>List je poslat štampaču: {0}.</translation>
    </message>
    <message>
        <source>The slip could not be printed: {0}</source>
        <translation>List nije mogao da se odštampa: {0}</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Two copies of one interview</source>
        <translation>Dvije kopije jednog intervjua</translation>
    </message>
    <message>
        <source>Interview {0} ({1}) was changed here and on the screener&apos;s laptop. Compare the two copies and choose the one to keep; the other is kept aside in the vault, not deleted.</source>
        <translation>Intervju {0} ({1}) je izmijenjen ovdje i na laptopu procjenjivača. Uporedite dvije kopije i izaberite onu koju zadržavate; druga se čuva po strani u trezoru, ne briše se.</translation>
    </message>
    <message>
        <source>Why it was held: {0}</source>
        <translation>Zašto je zadržan: {0}</translation>
    </message>
    <message>
        <source>Differences: {0}, marked ≠ and in bold.</source>
        <translation>Razlike: {0}, označene sa ≠ i podebljano.</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Pitanje</translation>
    </message>
    <message>
        <source>This copy (here)</source>
        <translation>Ova kopija (ovdje)</translation>
    </message>
    <message>
        <source>Incoming copy (laptop)</source>
        <translation>Pristigla kopija (laptop)</translation>
    </message>
    <message>
        <source>Both copies, question by question</source>
        <translation>Obje kopije, pitanje po pitanje</translation>
    </message>
    <message>
        <source>Latest audit entries of this copy</source>
        <translation>Posljednji zapisi revizije ove kopije</translation>
    </message>
    <message>
        <source>Latest audit entries of the incoming copy</source>
        <translation>Posljednji zapisi revizije pristigle kopije</translation>
    </message>
    <message>
        <source>&amp;Keep this copy</source>
        <translation>&amp;Zadrži ovu kopiju</translation>
    </message>
    <message>
        <source>&amp;Take the incoming copy</source>
        <translation>&amp;Preuzmi pristiglu kopiju</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zatvori</translation>
    </message>
    <message>
        <source>This copy: latest audit entries</source>
        <translation>Ova kopija: posljednji zapisi revizije</translation>
    </message>
    <message>
        <source>Incoming copy: latest audit entries</source>
        <translation>Pristigla kopija: posljednji zapisi revizije</translation>
    </message>
    <message>
        <source>{0}, {1}</source>
        <translation>{0}, {1}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nema</translation>
    </message>
    <message>
        <source>Override: {0} ({1}), by {2}</source>
        <translation>Izmjena preporuke: {0} ({1}), unio/la {2}</translation>
    </message>
    <message>
        <source>Last changed by</source>
        <translation>Posljednji izmijenio/la</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ishod</translation>
    </message>
    <message>
        <source>(no answer)</source>
        <translation>(nema odgovora)</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>razlikuje se</translation>
    </message>
    <message>
        <source>laptop</source>
        <translation>laptop</translation>
    </message>
    <message>
        <source>here</source>
        <translation>ovdje</translation>
    </message>
    <message>
        <source>Confirm your choice</source>
        <translation>Potvrdite izbor</translation>
    </message>
    <message>
        <source>Keep the copy here and set the laptop&apos;s copy aside? The laptop&apos;s copy stays in the vault but will not be used.</source>
        <translation>Zadržati kopiju ovdje i staviti kopiju s laptopa po strani? Kopija s laptopa ostaje u trezoru, ali se neće koristiti.</translation>
    </message>
    <message>
        <source>Keep this copy</source>
        <translation>Zadrži ovu kopiju</translation>
    </message>
    <message>
        <source>Replace the copy here with the laptop&apos;s copy? Changes made here are set aside in the vault, not deleted.</source>
        <translation>Zamijeniti kopiju ovdje kopijom s laptopa? Izmjene napravljene ovdje čuvaju se po strani u trezoru, ne brišu se.</translation>
    </message>
    <message>
        <source>Take the incoming copy</source>
        <translation>Preuzmi pristiglu kopiju</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Otkaži</translation>
    </message>
    <message>
        <source>The copy here was kept; the laptop&apos;s copy is set aside in the vault.</source>
        <translation>Kopija ovdje je zadržana; kopija s laptopa je stavljena po strani u trezoru.</translation>
    </message>
    <message>
        <source>The laptop&apos;s copy now replaces the copy here; the replaced copy is set aside in the vault.</source>
        <translation>Kopija s laptopa sada zamjenjuje kopiju ovdje; zamijenjena kopija je stavljena po strani u trezoru.</translation>
    </message>
</context>
<context>
    <name>HeldConflictsDialog</name>
    <message>
        <source>Held conflicts</source>
        <translation>Zadržani sukobi</translation>
    </message>
    <message>
        <source>These interviews were changed both here and on a screener&apos;s laptop. Nothing was overwritten: open one to compare the two copies and choose.</source>
        <translation>Ovi intervjui su izmijenjeni i ovdje i na laptopu procjenjivača. Ništa nije prepisano: otvorite jedan da uporedite dvije kopije i izaberete.</translation>
    </message>
    <message>
        <source>Held since</source>
        <translation>Zadržan od</translation>
    </message>
    <message>
        <source>Laptop</source>
        <translation>Laptop</translation>
    </message>
    <message>
        <source>Why it was held</source>
        <translation>Zašto je zadržan</translation>
    </message>
    <message>
        <source>&amp;Compare the two copies…</source>
        <translation>&amp;Uporedi dvije kopije…</translation>
    </message>
    <message>
        <source>Compare the two copies</source>
        <translation>Uporedi dvije kopije</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zatvori</translation>
    </message>
    <message>
        <source>Waiting for a choice: {0}.</source>
        <translation>Čeka na izbor: {0}.</translation>
    </message>
    <message>
        <source>No conflicts are held: every update received was applied.</source>
        <translation>Nema zadržanih sukoba: svaka primljena izmjena je primijenjena.</translation>
    </message>
</context>
</TS>
