<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sr_ME" sourcelanguage="en">
<context>
    <name>CaseListPage</name>
    <message>
        <source>All forms</source>
        <translation>Svi obrasci</translation>
    </message>
    <message numerus="yes">
        <source>%Ln interview(s)</source>
        <translation>
            <numerusform>%Ln intervju</numerusform>
            <numerusform>%Ln intervjua</numerusform>
            <numerusform>%Ln intervjua</numerusform>
        </translation>
    </message>
    <message>
        <source>No interviews match the search and filters.</source>
        <translation>Nijedan intervju ne odgovara pretrazi i filterima.</translation>
    </message>
    <message>
        <source>No interviews yet. Press Ctrl+N to start a new interview.</source>
        <translation>Još nema intervjua. Pritisnite Ctrl+N da započnete novi intervju.</translation>
    </message>
    <message>
        <source>Search by ID, form, place or screener</source>
        <translation>Pretraga po ID-u, obrascu, mjestu ili procjenjivaču</translation>
    </message>
    <message>
        <source>Search interviews</source>
        <translation>Pretraga intervjua</translation>
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
        <source>Outcome filter</source>
        <translation>Filter ishoda</translation>
    </message>
    <message>
        <source>Started between</source>
        <translation>Započet između</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Poništi filtere</translation>
    </message>
    <message>
        <source>Clear search and filters</source>
        <translation>Poništi pretragu i filtere</translation>
    </message>
    <message>
        <source>Filter by start date</source>
        <translation>Filtriraj po datumu početka</translation>
    </message>
    <message>
        <source>Started on or after</source>
        <translation>Započet na dan ili poslije</translation>
    </message>
    <message>
        <source>Started on or before</source>
        <translation>Započet na dan ili prije</translation>
    </message>
    <message>
        <source>Interviews</source>
        <translation>Intervjui</translation>
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
        <source>Number of interviews</source>
        <translation>Broj intervjua</translation>
    </message>
    <message>
        <source>No interviews</source>
        <translation>Nema intervjua</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Svi statusi</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Svi ishodi</translation>
    </message>
</context>
<context>
    <name>CaseNames</name>
    <message>
        <source>Draft</source>
        <translation>Nacrt</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Završen</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Prekinut</translation>
    </message>
    <message>
        <source>Purged</source>
        <translation>Obrisan</translation>
    </message>
    <message>
        <source>Likely trafficked</source>
        <translation>Vjerovatna trgovina ljudima</translation>
    </message>
    <message>
        <source>Possible trafficking</source>
        <translation>Moguća trgovina ljudima</translation>
    </message>
    <message>
        <source>No indication</source>
        <translation>Nema indikacija</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>Nepotpun</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Obrazac</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Započet</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Jezik</translation>
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
        <source>Sync</source>
        <translation>Sinhronizacija</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Primljeno</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Poslato</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Nije poslato</translation>
    </message>
    <message>
        <source>Stopped by {0}, {1}</source>
        <translation>Prekinuo/la {0}, {1}</translation>
    </message>
    <message>
        <source>Paused by {0}, {1}</source>
        <translation>Pauzirao/la {0}, {1}</translation>
    </message>
    <message>
        <source>no reason given yet</source>
        <translation>razlog još nije naveden</translation>
    </message>
    <message>
        <source>{0}. Reason: {1}</source>
        <translation>{0}. Razlog: {1}</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>Enrol this laptop</source>
        <translation>Upiši ovaj laptop</translation>
    </message>
    <message>
        <source>Your coordinator gives you the organisation file and a one-time code. Enrolling lets this laptop send finished interviews to the organisation&apos;s hub, and makes the organisation&apos;s key this vault&apos;s recovery key.</source>
        <translation>Koordinator vam daje datoteku organizacije i jednokratnu šifru. Upis omogućava ovom laptopu da šalje završene intervjue na čvorište organizacije, a ključ organizacije postaje ključ za oporavak ovog trezora.</translation>
    </message>
    <message>
        <source>Organisation file</source>
        <translation>Datoteka organizacije</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>&amp;Izaberi…</translation>
    </message>
    <message>
        <source>Choose the organisation file</source>
        <translation>Izaberite datoteku organizacije</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organizacija</translation>
    </message>
    <message>
        <source>One-time enrolment code</source>
        <translation>Jednokratna šifra za upis</translation>
    </message>
    <message>
        <source>Organisation &amp;file</source>
        <translation>&amp;Datoteka organizacije</translation>
    </message>
    <message>
        <source>One-time &amp;code</source>
        <translation>Jednokratna &amp;šifra</translation>
    </message>
    <message>
        <source>Enrolling</source>
        <translation>Upis u toku</translation>
    </message>
    <message>
        <source>Enrolment status</source>
        <translation>Stanje upisa</translation>
    </message>
    <message>
        <source>&amp;Enrol</source>
        <translation>&amp;Upiši</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zatvori</translation>
    </message>
    <message>
        <source>%1 · fingerprint %2: compare it with your coordinator&apos;s.</source>
        <translation>%1 · otisak %2: uporedite ga s onim koji ima koordinator.</translation>
    </message>
    <message>
        <source>Enrolling with the hub…</source>
        <translation>Upis na čvorište…</translation>
    </message>
    <message>
        <source>Organisation files (*.json)</source>
        <translation>Datoteke organizacije (*.json)</translation>
    </message>
    <message>
        <source>Enrolled as device %1 with %2.</source>
        <translation>Upisan kao uređaj %1 kod organizacije %2.</translation>
    </message>
    <message>
        <source>Enrolment failed; nothing was changed.</source>
        <translation>Upis nije uspio; ništa nije promijenjeno.</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>%1 · fingerprint %2. The laptop is enrolled once the vault exists.</source>
        <translation>%1 · otisak %2. Laptop se upisuje čim trezor bude napravljen.</translation>
    </message>
    <message>
        <source>Type your name: it is how the vault knows you.</source>
        <translation>Upišite svoje ime: po njemu vas trezor prepoznaje.</translation>
    </message>
    <message>
        <source>The two passphrases are not the same; type them again.</source>
        <translation>Dvije lozinke nijesu iste; upišite ih ponovo.</translation>
    </message>
    <message>
        <source>Welcome to Screening Desk</source>
        <translation>Dobro došli u Screening Desk</translation>
    </message>
    <message>
        <source>Create the encrypted vault of this laptop. You will be its first administrator and can add the other screeners afterwards.</source>
        <translation>Napravite šifrovani trezor ovog laptopa. Vi ćete biti njegov prvi administrator i kasnije možete dodati ostale procjenjivače.</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Jezik interfejsa</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Vaše ime</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Lozinka</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>Ponovite lozinku</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Jačina</translation>
    </message>
    <message>
        <source>Organisation (optional)</source>
        <translation>Organizacija (neobavezno)</translation>
    </message>
    <message>
        <source>Organisation file…</source>
        <translation>Datoteka organizacije…</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organizacija</translation>
    </message>
    <message>
        <source>four or five unrelated words</source>
        <translation>četiri ili pet nepovezanih riječi</translation>
    </message>
    <message>
        <source>Write the passphrase down and keep it somewhere safe. A forgotten passphrase cannot be recovered without your organisation&apos;s recovery key, and without it the interviews on this laptop are lost.</source>
        <translation>Zapišite lozinku i čuvajte je na sigurnom mjestu. Zaboravljena lozinka ne može se povratiti bez ključa za oporavak vaše organizacije, a bez njega su intervjui na ovom laptopu izgubljeni.</translation>
    </message>
    <message>
        <source>Passphrase warning</source>
        <translation>Upozorenje o lozinki</translation>
    </message>
    <message>
        <source>One-time enrolment code</source>
        <translation>Jednokratna šifra za upis</translation>
    </message>
    <message>
        <source>Vault folder: %1</source>
        <translation>Folder trezora: %1</translation>
    </message>
    <message>
        <source>Vault folder</source>
        <translation>Folder trezora</translation>
    </message>
    <message>
        <source>Create vault</source>
        <translation>Napravi trezor</translation>
    </message>
    <message>
        <source>Creating the vault</source>
        <translation>Pravljenje trezora</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation>Uvod</translation>
    </message>
</context>
<context>
    <name>IdleBanner</name>
    <message numerus="yes">
        <source>No activity: the screen locks in %n second(s).</source>
        <translation>
            <numerusform>Nema aktivnosti: ekran se zaključava za %n sekundu.</numerusform>
            <numerusform>Nema aktivnosti: ekran se zaključava za %n sekunde.</numerusform>
            <numerusform>Nema aktivnosti: ekran se zaključava za %n sekundi.</numerusform>
        </translation>
    </message>
    <message>
        <source>Idle warning</source>
        <translation>Upozorenje o neaktivnosti</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Ostani prijavljen/a</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Interview %1 completed and saved.</source>
        <translation>Intervju %1 je završen i sačuvan.</translation>
    </message>
    <message>
        <source>Screening Desk — locked</source>
        <translation>Screening Desk — zaključano</translation>
    </message>
    <message>
        <source>The user name or passphrase is wrong.</source>
        <translation>Korisničko ime ili lozinka nijesu ispravni.</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>Prijavljeni ste kao %1</translation>
    </message>
    <message>
        <source>Screening Desk</source>
        <translation>Screening Desk</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Izađi</translation>
    </message>
    <message>
        <source>New interview</source>
        <translation>Novi intervju</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Pretraga</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sinhronizacija</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Podešavanja</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Zaključaj</translation>
    </message>
    <message>
        <source>Hide now</source>
        <translation>Sakrij odmah</translation>
    </message>
    <message>
        <source>Enrol this laptop…</source>
        <translation>Upiši ovaj laptop…</translation>
    </message>
    <message>
        <source>Main actions</source>
        <translation>Glavne radnje</translation>
    </message>
    <message>
        <source>Signed-in user</source>
        <translation>Prijavljeni korisnik</translation>
    </message>
    <message>
        <source>Adding demo interviews…</source>
        <translation>Dodavanje demo intervjua…</translation>
    </message>
</context>
<context>
    <name>NeutralPage</name>
    <message>
        <source>Continue</source>
        <translation>Nastavi</translation>
    </message>
    <message>
        <source>Blank screen</source>
        <translation>Prazan ekran</translation>
    </message>
</context>
<context>
    <name>PassphraseFields</name>
    <message>
        <source>✓ The two passphrases match.</source>
        <translation>✓ Dvije lozinke se podudaraju.</translation>
    </message>
    <message>
        <source>✗ The two passphrases differ.</source>
        <translation>✗ Dvije lozinke se razlikuju.</translation>
    </message>
    <message>
        <source>Show the passphrase</source>
        <translation>Prikaži lozinku</translation>
    </message>
    <message>
        <source>Passphrases match</source>
        <translation>Podudaranje lozinki</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Podešavanja</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Sačuvaj</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Otkaži</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Sačuvaj podešavanja</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Jezik interfejsa</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Veličina slova</translation>
    </message>
    <message>
        <source>Lock after idle time</source>
        <translation>Zaključaj nakon neaktivnosti</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Sync status</source>
        <translation>Stanje sinhronizacije</translation>
    </message>
    <message>
        <source>Sync now: send finished interviews to the hub</source>
        <translation>Sinhronizuj sada: pošalji završene intervjue na čvorište</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Sinhronizacija u toku…</translation>
    </message>
    <message>
        <source>Syncing… sent %1 of %2</source>
        <translation>Sinhronizacija u toku… poslato %1 od %2</translation>
    </message>
    <message>
        <source>Syncing… received %1</source>
        <translation>Sinhronizacija u toku… primljeno %1</translation>
    </message>
    <message>
        <source>%1 held back for review</source>
        <translation>%1 zadržano radi provjere</translation>
    </message>
    <message>
        <source>Envelopes that could not be imported are kept and tried again at every sync. &apos;screening sync --held&apos; lists them with the reason.</source>
        <translation>Koverte koje nije bilo moguće uvesti čuvaju se i ponovo pokušavaju pri svakoj sinhronizaciji. &apos;screening sync --held&apos; ih navodi s razlogom.</translation>
    </message>
    <message>
        <source>Last synced %1</source>
        <translation>Posljednja sinhronizacija %1</translation>
    </message>
    <message>
        <source>Sync: not enrolled</source>
        <translation>Sinhronizacija: računar nije prijavljen</translation>
    </message>
    <message>
        <source>Offline: could not reach the hub</source>
        <translation>Van mreže: čvorište nije dostupno</translation>
    </message>
    <message>
        <source>Sync stopped: %1</source>
        <translation>Sinhronizacija je zaustavljena: %1</translation>
    </message>
    <message>
        <source>This computer is not enrolled with a hub, so nothing is sent.</source>
        <translation>Ovaj računar nije prijavljen na čvorište, pa se ništa ne šalje.</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>Još nije sinhronizovano</translation>
    </message>
    <message>
        <source>waiting to send: %1</source>
        <translation>čeka slanje: %1</translation>
    </message>
    <message>
        <source>Up to date. %1</source>
        <translation>Sve je ažurno. %1</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message numerus="yes">
        <source>Too many failed attempts. Try again in %n second(s).</source>
        <translation>
            <numerusform>Previše neuspjelih pokušaja. Pokušajte ponovo za %n sekundu.</numerusform>
            <numerusform>Previše neuspjelih pokušaja. Pokušajte ponovo za %n sekunde.</numerusform>
            <numerusform>Previše neuspjelih pokušaja. Pokušajte ponovo za %n sekundi.</numerusform>
        </translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>Upišite korisničko ime.</translation>
    </message>
    <message>
        <source>Screening Desk is locked</source>
        <translation>Screening Desk je zaključan</translation>
    </message>
    <message>
        <source>Type your user name and passphrase to unlock.</source>
        <translation>Upišite korisničko ime i lozinku da otključate.</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>Uputstvo</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Korisničko ime</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Lozinka</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Otključaj</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>Promijeni korisnika</translation>
    </message>
    <message>
        <source>Unlocking</source>
        <translation>Otključavanje</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Waiting time</source>
        <translation>Vrijeme čekanja</translation>
    </message>
    <message>
        <source>Vault folder: %1</source>
        <translation>Folder trezora: %1</translation>
    </message>
    <message>
        <source>Vault folder</source>
        <translation>Folder trezora</translation>
    </message>
</context>
<context>
    <name>ops</name>
    <message>
        <source>Something went wrong and the task was not finished. Everything saved before is safe; try again, and tell your coordinator if it keeps happening.</source>
        <translation>Nešto je pošlo naopako i zadatak nije završen. Sve što je ranije sačuvano je bezbjedno; pokušajte ponovo i obavijestite koordinatora ako se to ponavlja.</translation>
    </message>
    <message>
        <source>Screening Desk</source>
        <translation>Screening Desk</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>U redu</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>strength</name>
    <message>
        <source>Use four or five unrelated words.</source>
        <translation>Koristite četiri ili pet nepovezanih riječi.</translation>
    </message>
    <message>
        <source>Too short: use at least %1 characters.</source>
        <translation>Prekratko: koristite najmanje %1 znakova.</translation>
    </message>
    <message>
        <source>Too easy to guess: add another unrelated word.</source>
        <translation>Previše lako za pogađanje: dodajte još jednu nepovezanu riječ.</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>Jaka</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Dobra</translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation>Jačina lozinke</translation>
    </message>
</context>
</TS>
