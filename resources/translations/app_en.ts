<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>CaseListPage</name>
        <message numerus="yes">
            <source>%Ln interview(s)</source>
            <translation>
                <numerusform>%Ln interview</numerusform>
                <numerusform>%Ln interviews</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>IdleBanner</name>
        <message numerus="yes">
            <source>No activity: the screen locks in %n second(s).</source>
            <translation>
                <numerusform>No activity: the screen locks in %n second.</numerusform>
                <numerusform>No activity: the screen locks in %n seconds.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>UnlockPage</name>
        <message numerus="yes">
            <source>Too many failed attempts. Try again in %n second(s).</source>
            <translation>
                <numerusform>Too many failed attempts. Try again in %n second.</numerusform>
                <numerusform>Too many failed attempts. Try again in %n seconds.</numerusform>
            </translation>
        </message>
    </context>
</TS>
