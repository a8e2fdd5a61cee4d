#!/usr/bin/python3
"""gen-siecle.py - writes realistic SIECLE "Élèves sans adresse" exports
(ElevesSansAdresses.xml, or the zip around it) for tests and benchmarks,
streamed, with the expected `orgactl learners` CSV on request.

Usage:
  gen-siecle.py --students N --uai UAI --seed S -o FILE
      [--encoding iso-8859-15|utf-8|iso-8859-1] [--bom] [--zip]
      [--left PCT] [--not-arrived PCT] [--no-class PCT] [--groups]
      [--classes K] [--today AAAA-MM-JJ]
      [--omit I,J,...] [--remove PCT] [--rename PCT] [--reclass PCT]
      [--keep I,J,...] [--variant V]
      [--break KIND] [--expect FILE.csv] [--expect-json FILE.json]

The file follows ../../../shared/design/siecle.md: BEE_ELEVES with
PARAMETRES (UAJ, ANNEE_SCOLAIRE, DATE_EXPORT, HORODATAGE), DONNEES with
ELEVES (children of each ELEVE in shuffled order, SCOLARITE_AN_DERNIER with
its own CODE_MEF and CODE_STRUCTURE, names with Latin-9 letters, usage
names sometimes), OPTIONS and STRUCTURES (one D class, sometimes the
pseudo-class "Inactifs" too; G groups with --groups), STRUCTURES_ELEVE in
another order than ELEVES, ELEVE_ID compared as strings (some students'
ELEVE_ID is another one's with a leading zero).

Student i is the same in every file of one seed (its names, INE, birth,
class...): the variant options only leave students out or change some of
them, so successive files model successive exports of one school.
  --omit LIST      leave these student indexes out of the file
  --remove PCT     leave out about PCT % of the students (drawn with
                   --variant; never those of --keep)
  --rename PCT     change the family name of about PCT % (a suffix is added)
  --reclass PCT    move about PCT % to another class
  --students N     more students than an earlier file: the new ones arrive
                   (pass --classes to keep the classes the same)
Statuses (fixed per student for a seed): --not-arrived PCT (no ID_NATIONAL
element), --left PCT (DATE_SORTIE before today, still in a class),
--no-class PCT (no STRUCTURES_ELEVE). Defaults 0.

--break KIND injects one fault into an importable student (index N // 2)
or into the file: empty-ine, duplicate-ine (student N // 3 gets the same
INE), bad-date (AAAA-MM-JJ), feb-31, no-sex (empty CODE_SEXE), no-commune
(born in France, empty CODE_COMMUNE_INSEE_NAISS), wrong-uai (UAJ of another
school), no-uai (no UAJ), malformed (a mismatched closing tag), double-utf8
(a first name that is UTF-8 read as Latin-1: "CÃ©cile").

--expect writes the CSV `orgactl learners --uai UAI` prints after importing
this file into an empty school (UTF-8; header `INE;Nom;Prénom;Date de
naissance;Classe`; sorted like services/orga/learners.c: lower(unaccent(
last name)), lower(unaccent(first name)); the generator never gives two
students the same pair, so the id never decides). --expect-json writes the
details: every importable learner with all imported fields and its index,
the counts skipped, the classes, the student indexes left out, and for
--break what was broken (the student; for malformed, the line and the
column, from 1 in characters, of the mismatched end tag's name, where expat
reports it).

The XML is written as it is generated: memory stays small (a few bytes per
student for the STRUCTURES section) whatever N; --expect and --expect-json
keep the importable learners in memory to sort them.
"""

import argparse
import array
import datetime
import json
import os
import random
import sys
import unicodedata
import zipfile

# --------------------------------------------------------------- name pools

LAST_NAMES = """
MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON
MICHEL LEFÈVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT
LAMBERT FONTAINE ROUSSEAU VINCENT MULLER FAURE ANDRÉ MERCIER BLANC GUÉRIN
BOYER GARNIER CHEVALIER FRANÇOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLÉMENT
MORIN NICOLAS HENRY ROUSSEL MATHIEU MASSON MARCHAND DUVAL DENIS DUMONT LEMAIRE
NOËL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIÈRE LUCAS BRUNET
GAILLARD BARBIER ARNAUD MARTÍNEZ GÉRARD ROCHE RENARD SCHMITT LEROUX COLIN
VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER
PHILIPPE BOURGEOIS BENOÎT LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE
LOPEZ DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN DESCHAMPS
HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET POIRIER MARTY AUBRY
GUYOT CARRÉ RENAULT CHARPENTIER MÉNARD MAILLARD BARON BERTIN BAILLY HERVÉ
SCHNEIDER FERNANDEZ COLLET LÉGER BOUVIER PRÉVOST MILLET PERROT COUSIN GERMAIN
BRETON BESSON LANGLOIS RÉMY PELLETIER LÉVÊQUE PERRIER LEBLANC BARRÉ LEBRUN
MARCHAL WEBER MALLET HAMON BOULANGER MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET
ÉTIENNE GRONDIN POULAIN TESSIER CHAUVIN BOUCHET LEMAÎTRE BÉNARD MARÉCHAL
HUMBERT REYNAUD HOARAU BARTHÉLEMY CORDIER PICHON LEJEUNE DELAUNAY PASQUIER
CŒUR LŒUILLET ŒUVRARD BŒUF KŒNIG DESVŒUX ŠKODA ŠIMEK NOVÁK ŽUPAN ŽIŽEK
ŠVEC ÇELIK ÖZTÜRK YILMAZ BENSAÏD MÜLLER WEIß DIALLO TRAORÉ NGUYEN
KOUASSI N'DIAYE
""".split() + ["LE GALL", "LE ROUX", "LE GOFF", "DA SILVA", "DOS SANTOS",
               "DE L'HAŸE", "L'HAŸ", "D'ARC", "O'NEILL", "DE LA FONTAINE",
               "VAN DER BERGHE", "SAINT-ŒUF"]

FEMALE = """
Emma Léa Chloé Manon Inès Jade Louise Zoé Lina Camille Anaïs Maëlys Noémie
Océane Élise Héloïse Cléa Agathe Maëlle Clémence Salomé Justine Mathilde Éva
Juliette Lou Rose Ambre Nour Yasmine Aïcha Fatoumata Šárka Žofie Anežka Zoë
Gaëlle Françoise Bénédicte Ségolène Maïwenn Héléna Laÿna Cœlia Ève Noëlla
Émilie Hélène Aurélie Céline Mélanie Stéphanie Valérie Gwenaëlle Raphaëlle
""".split() + ["Anne-Sophie", "Marie-Ève", "Marie-Thérèse"]

MALE = """
Lucas Hugo Louis Nathan Gabriel Jules Léo Raphaël Arthur Adam Maël Noé Éthan
Timéo Théo Mathéo Enzo Clément Baptiste Loïc Joël Gaël Noël Anaël Jérôme
Benoît François Grégoire Stéphane Yanis Rayan Mohamed Ilyès Šimon Žan Tomáš
Lukáš Matúš Aurélien Cédric Frédéric Sébastien Rémi Amaury Timothée
Valère Zoltán Ismaël Joachim Côme Angelo Björn Søren Œnomaüs
""".split() + ["Jean-Baptiste", "Pierre-Yves", "Jean-Noël"]

# Appended to a family name by --rename; no pool name ends like this.
RENAME_SUFFIXES = ["VERNIÈRE", "ŒILLET", "ŠTEFANÍK", "DUCŒUR"]

TOWNS = [("132", "LONDRES"), ("134", "MADRID"), ("139", "LISBOA"),
         ("127", "ROMA"), ("350", "CASABLANCA"), ("352", "ALGER"),
         ("351", "TUNIS"), ("109", "KÖLN"), ("136", "GENÈVE"),
         ("131", "BRUXELLES"), ("116", "PRAHA"), ("341", "DAKAR")]

# (département, commune INSEE code)
COMMUNES = [("033", "33063"), ("033", "33318"), ("075", "75109"),
            ("075", "75056"), ("069", "69123"), ("013", "13055"),
            ("031", "31555"), ("059", "59350"), ("067", "67482"),
            ("02A", "2A004"), ("02B", "2B033"), ("974", "97411"),
            ("035", "35238"), ("044", "44109"), ("006", "06088")]

LEVELS = [("6e", 11), ("5e", 12), ("4e", 13), ("3e", 14), ("2nde", 15),
          ("1ère", 16), ("Tle", 17)]
GROUPS = ["ANGL1", "ANGL2", "ESP LV2", "ALL LV2", "LATIN", "EURO", "42",
          "4e 1", "CHŒUR", "ATELIER SCIENCES", "AP MATHS", "OPT ŠACHY"]
MATIERES = ["030201", "030602", "030102", "020700", "061300", "100100"]
STATUTS = ["ST", "ST", "ST", "ST", "AP", "ST"]

for _n in LAST_NAMES + FEMALE + MALE + RENAME_SUFFIXES + GROUPS + \
        [t for _, t in TOWNS] + [lv for lv, _ in LEVELS]:
    _n.encode("iso8859_15")         # every name must exist in Latin-9

XML_DECL = {"iso-8859-15": "ISO-8859-15", "utf-8": "UTF-8",
            "iso-8859-1": "ISO-8859-1"}
BREAKS = ["empty-ine", "duplicate-ine", "bad-date", "feb-31", "no-sex",
          "no-commune", "wrong-uai", "no-uai", "malformed", "double-utf8"]

# --------------------------------------------------------------- unaccent


def load_unaccent():
    """The rules of PostgreSQL's unaccent dictionary (source -> target),
    read from the server's file when installed, else from Unicode."""
    rules = {}
    for d in ("/usr/share/postgresql/15/tsearch_data",
              "/usr/share/postgresql/16/tsearch_data",
              "/usr/share/postgresql/14/tsearch_data"):
        p = os.path.join(d, "unaccent.rules")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) == 2 and parts[0]:
                        rules[parts[0]] = parts[1]
                    elif len(parts) == 1 and parts[0].strip():
                        rules[parts[0].strip()] = ""
            return rules
    return None


UNACCENT = load_unaccent()
UNACCENT_MAXLEN = max((len(k) for k in UNACCENT), default=1) \
    if UNACCENT else 1
SPECIAL = {"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss",
           "Ø": "O", "ø": "o"}


def unaccent(s):
    """PostgreSQL's unaccent(): longest match of the rules, else as is."""
    if UNACCENT is None:
        out = []
        for ch in s:
            if ch in SPECIAL:
                out.append(SPECIAL[ch])
            else:
                d = unicodedata.normalize("NFKD", ch)
                out.append("".join(c for c in d
                                   if not unicodedata.combining(c)))
        return "".join(out)
    out = []
    i = 0
    n = len(s)
    while i < n:
        for k in range(min(UNACCENT_MAXLEN, n - i), 0, -1):
            t = UNACCENT.get(s[i:i + k])
            if t is not None:
                out.append(t)
                i += k
                break
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def sort_norm(s):
    return unaccent(s).lower()


def dedupe(pool):
    seen = set()
    out = []
    for name in pool:
        k = sort_norm(name)
        if k not in seen:
            seen.add(k)
            out.append(name)
    return out


# --------------------------------------------------------------- helpers


def esc(s):
    if "&" in s or "<" in s or ">" in s:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(
            ">", "&gt;")
    return s


def fr_date(d):
    return "%02d/%02d/%04d" % (d.day, d.month, d.year)


def pct_list(s):
    out = set()
    if s:
        for part in s.split(","):
            part = part.strip()
            if part:
                out.add(int(part))
    return out


def coprime_step(m, rnd):
    """An odd multiplier coprime with m, so that i -> (a*i+b) % m is a
    permutation of range(m)."""
    import math
    while True:
        a = rnd.randrange(m // 3, m) | 1
        if math.gcd(a, m) == 1:
            return a


def _sample(rr, n, k):
    """k distinct integers below n (k small)."""
    out = []
    while len(out) < k:
        x = rr(n)
        if x not in out:
            out.append(x)
    return out


def csv_field(v):
    if any(c in v for c in ';"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


class Names:
    """Distinct (family name, first name) pairs, by student index: the
    first L*F students get a single family name, the next ones a compound
    "A-B" (with the same first names), so no two students sort alike."""

    def __init__(self, seed):
        self.last = dedupe(LAST_NAMES)
        self.first = dedupe(FEMALE + MALE)
        self.female = set(FEMALE)
        r = random.Random("names:%d" % seed)
        nl, nf = len(self.last), len(self.first)
        self.m0 = nl * nf
        self.m1 = nl * (nl - 1) * nf
        self.a0, self.b0 = coprime_step(self.m0, r), r.randrange(self.m0)
        self.a1, self.b1 = coprime_step(self.m1, r), r.randrange(self.m1)

    def capacity(self):
        return self.m0 + self.m1

    def pair(self, i):
        nl, nf = len(self.last), len(self.first)
        if i < self.m0:
            p = (self.a0 * i + self.b0) % self.m0
            return self.last[p // nf], self.first[p % nf]
        p = (self.a1 * (i - self.m0) + self.b1) % self.m1
        first = self.first[p % nf]
        p //= nf
        a = p // (nl - 1)
        b = p % (nl - 1)
        if b >= a:
            b += 1
        return self.last[a] + "-" + self.last[b], first


# --------------------------------------------------------------- generator


class Gen:
    def __init__(self, o):
        self.o = o
        self.n = o.students
        self.names = Names(o.seed)
        if self.n > self.names.capacity():
            sys.exit("gen-siecle: at most %d students" %
                     self.names.capacity())
        self.today = (datetime.date.fromisoformat(o.today) if o.today
                      else datetime.date.today())
        t = self.today
        self.year = t.year if t.month >= 8 else t.year - 1
        nclasses = o.classes or max(1, round(self.n / 28))
        self.classes = []
        for k in range(nclasses):
            lvl, age = LEVELS[k % len(LEVELS)]
            self.classes.append((lvl + str(k // len(LEVELS) + 1), age))
        r = random.Random("ine:%d" % o.seed)
        self.ine_a = coprime_step(10 ** 10, r)
        self.ine_b = r.randrange(10 ** 10)
        self.eleve_base = 100000 + (o.seed % 1000) * 1000
        self.omit = pct_list(o.omit)
        self.keep = pct_list(o.keep)
        # Per student, for the STRUCTURES pass: class index (0xFFFF: none)
        # and a byte of flags (Inactifs before/after, D first/last) and
        # the groups packed 4 bits each with their count.
        self.cls = array.array("H", bytes(2 * self.n))
        self.flags = bytearray(self.n)
        self.grp = array.array("H", bytes(2 * self.n))
        self.written = bytearray(self.n)   # 1 when in the file
        self.learners = [] if (o.expect or o.expect_json) else None
        self.skipped = {"left": 0, "notArrived": 0, "noClass": 0}
        self.left_out = []
        self.changed = []
        self.broken = None
        self.line = 1
        self.track_lines = o.brk == "malformed"
        self.bi = self.n // 2 if o.brk else -1
        self.bi2 = self.n // 3 if o.brk == "duplicate-ine" else -1

    def ine(self, i):
        v = (self.ine_a * i + self.ine_b) % 10 ** 10
        return "%010d%s" % (v, "ABCDEFGHJKLMNPRSTUVWXYZ"[(v * 7 + i) % 23])

    def eleve_id(self, i):
        # Every 97th student's ELEVE_ID is its neighbour's with a leading
        # zero: joining STRUCTURES_ELEVE by number would mix them up.
        if i % 97 == 96:
            return "0" + str(self.eleve_base + i - 1)
        return str(self.eleve_base + i)

    def write(self, out, s):
        if self.track_lines:
            self.line += s.count("\n")
        out.write(s)

    # -- one student -----------------------------------------------------

    def student(self, i, r, v):
        """Draws student i (always the same draws for a seed), applies the
        variant and the break, returns (xml or None, learner or None)."""
        o = self.o
        rnd, vrnd = r.random, v.random

        def rr(n):
            return int(rnd() * n)

        def vr(n):
            return int(vrnd() * n)
        last, first = self.names.pair(i)
        female = first in self.names.female
        u = r.random()
        status = "active"
        if u < o.not_arrived / 100:
            status = "not-arrived"
        elif u < (o.not_arrived + o.left) / 100:
            status = "left"
        elif u < (o.not_arrived + o.left + o.no_class) / 100:
            status = "no-class"
        k = rr(len(self.classes))
        cls, age = self.classes[k]
        repeated = r.random() < 0.08
        if repeated:
            age += 1
        byear = self.year - age
        bdate = datetime.date(byear, 1, 1) + \
            datetime.timedelta(days=rr(365))
        usage = None
        u = r.random()
        if u < 0.12:
            usage = self.names.last[rr(len(self.names.last))]
        elif u < 0.7:
            usage = ""                   # present, empty
        pool = self.names.first
        first2 = pool[rr(len(pool))] if r.random() < 0.6 else None
        first3 = pool[rr(len(pool))] if r.random() < 0.2 else None
        if first2 is None and r.random() < 0.5:
            first2 = ""
        if first3 is None and r.random() < 0.5:
            first3 = ""
        born_fr = r.random() < 0.88
        if born_fr:
            dept, commune = COMMUNES[rr(len(COMMUNES))]
            country, town = "100", None
        else:
            country, town = TOWNS[rr(len(TOWNS))]
            dept = commune = None
        mef_direct = r.random() < 0.97
        mef = "1%03d%07d" % (k % 7 * 10 + 100, rr(10 ** 7))
        last_mef = "1%03d%07d" % (k % 7 * 10 + 90, rr(10 ** 7))
        statut = STATUTS[rr(len(STATUTS))]
        entry = datetime.date(self.year - rr(3), 9,
                              1 + rr(3))
        exit_date = None
        if status == "left":
            exit_date = self.today - datetime.timedelta(
                days=30 + rr(200))
        elif r.random() < 0.01:
            exit_date = self.today + datetime.timedelta(
                days=60 + rr(100))
        inactifs = r.random() < 0.1
        inactifs_after = r.random() < 0.3
        d_last = r.random() < 0.5
        ngroups = 0
        groups = []
        if o.groups:
            ngroups = rr(4)
            groups = _sample(rr, len(GROUPS), ngroups)
        rne = "0%06d%s" % (rr(10 ** 6),
                           "ABCDEFGHJKLMNPRSTUVWXYZ"[rr(23)])
        last_cls = LEVELS[max(0, k % len(LEVELS) - 1)][0] + \
            str(1 + rr(4))
        order = 1 + rr(1000000)
        sex = "2" if female else "1"

        # -- the variant (its own draws, one per option, every student) --
        rm, rn, rc = v.random(), v.random(), v.random()
        kk = vr(len(self.classes))
        sfx = RENAME_SUFFIXES[vr(len(RENAME_SUFFIXES))]
        omitted = i in self.omit or (i not in self.keep and
                                     rm < o.remove / 100)
        changed = False
        if i not in self.keep and rn < o.rename / 100:
            last = last + "-" + sfx
            changed = True
        if i not in self.keep and rc < o.reclass / 100 and \
                len(self.classes) > 1:
            if kk == k:
                kk = (k + 1) % len(self.classes)
            k = kk
            cls = self.classes[k][0]
            changed = True

        ine = None if status == "not-arrived" else self.ine(i)
        eid = self.eleve_id(i)
        elenoet = str(2000 + i)

        # -- the break --
        brk = o.brk if i in (self.bi, self.bi2) else None
        if brk:
            status = "active"
            exit_date = None
            ine = self.ine(i)
        bdate_s = fr_date(bdate)
        commune_s = commune
        sex_s = sex
        malformed = False
        if brk == "empty-ine":
            ine = ""
        elif brk == "duplicate-ine" and i == self.bi:
            ine = self.ine(self.bi2)
        elif brk == "bad-date":
            bdate_s = bdate.isoformat()
        elif brk == "feb-31":
            bdate_s = "31/02/%04d" % byear
        elif brk == "no-sex":
            sex_s = ""
        elif brk == "no-commune":
            country, town, dept, commune_s = "100", None, "033", ""
            born_fr = True
        elif brk == "double-utf8":
            first = "Cécile".encode("utf-8").decode("latin-1")
        elif brk == "malformed":
            malformed = True
        if brk:
            self.broken_student = {
                "index": i, "ine": ine, "lastName": last,
                "firstName": first, "eleveId": eid}

        if status == "no-class":
            k = 0xFFFF
        self.cls[i] = k
        self.flags[i] = (1 if inactifs else 0) | \
            (2 if inactifs_after else 0) | (4 if d_last else 0)
        g = ngroups
        for j, gi in enumerate(groups):
            g |= gi << (2 + 4 * j)
        self.grp[i] = g

        if omitted:
            self.left_out.append(i)
            return None, None
        self.written[i] = 1
        if changed:
            self.changed.append(i)

        # -- the XML, children in a shuffled order --
        ch = []
        if ine is not None:
            ch.append("<ID_NATIONAL>%s</ID_NATIONAL>" % ine)
        ch.append("<NOM_DE_FAMILLE>%s</NOM_DE_FAMILLE>" % esc(last))
        if usage is not None:
            ch.append("<NOM_USAGE>%s</NOM_USAGE>" % esc(usage))
        if malformed:
            ch.append("<PRENOM>%s</PRENOMS>" % esc(first))
        else:
            ch.append("<PRENOM>%s</PRENOM>" % esc(first))
        if first2 is not None:
            ch.append("<PRENOM2>%s</PRENOM2>" % esc(first2))
        if first3 is not None:
            ch.append("<PRENOM3>%s</PRENOM3>" % esc(first3))
        ch.append("<DATE_NAISS>%s</DATE_NAISS>" % bdate_s)
        ch.append("<CODE_SEXE>%s</CODE_SEXE>" % sex_s)
        ch.append("<CODE_PAYS>%s</CODE_PAYS>" % country)
        if born_fr:
            ch.append("<CODE_DEPARTEMENT_NAISS>%s</CODE_DEPARTEMENT_NAISS>"
                      % dept)
            ch.append("<CODE_COMMUNE_INSEE_NAISS>%s"
                      "</CODE_COMMUNE_INSEE_NAISS>" % commune_s)
        else:
            ch.append("<VILLE_NAISS>%s</VILLE_NAISS>" % esc(town))
        if mef_direct:
            ch.append("<CODE_MEF>%s</CODE_MEF>" % mef)
        ch.append("<CODE_STATUT>%s</CODE_STATUT>" % statut)
        ch.append("<CODE_REGIME>2</CODE_REGIME>")
        ch.append("<DOUBLEMENT>%d</DOUBLEMENT>" % repeated)
        ch.append("<DATE_ENTREE>%s</DATE_ENTREE>" % fr_date(entry))
        if exit_date is not None:
            ch.append("<DATE_SORTIE>%s</DATE_SORTIE>" % fr_date(exit_date))
            ch.append("<CODE_MOTIF_SORTIE>%s</CODE_MOTIF_SORTIE>" %
                      ("DEMEN" if status == "left" else "PREVU"))
        ch.append("<ADHESION_TRANSPORT>0</ADHESION_TRANSPORT>")
        ch.append("<SCOLARITE_AN_DERNIER>\n"
                  "          <CODE_MEF>%s</CODE_MEF>\n"
                  "          <CODE_STRUCTURE>%s</CODE_STRUCTURE>\n"
                  "          <CODE_RNE>%s</CODE_RNE>\n"
                  "          <SIGLE>CLG</SIGLE>\n"
                  "          <DENOM_PRINC>COLLEGE</DENOM_PRINC>\n"
                  "          <DENOM_COMPL>JEAN MOULIN</DENOM_COMPL>\n"
                  "        </SCOLARITE_AN_DERNIER>"
                  % (last_mef, esc(last_cls), rne))
        # A cheap shuffle: child n goes to ((n + 1) * order) mod a prime.
        ch = [c for _, c in sorted(
            (((n + 1) * order) % 1000003, c) for n, c in enumerate(ch))]
        if malformed:
            # The line of PRENOM, and the column (from 1, in characters)
            # where expat places a mismatched end tag: its name, after "</".
            pos = next(j for j, c in enumerate(ch) if c.startswith(
                "<PRENOM>"))
            before = sum(c.count("\n") for c in ch[:pos]) + pos + 1
            self.broken_line_offset = before
            self.broken_column = 8 + len("<PRENOM>") + len(first) + 3
        xml = ('      <ELEVE ELEVE_ID="%s" ELENOET="%s">\n        ' %
               (eid, elenoet)) + "\n        ".join(ch) + \
            "\n      </ELEVE>\n"

        learner = None
        if status == "not-arrived":
            self.skipped["notArrived"] += 1
        elif status == "left":
            self.skipped["left"] += 1
        elif status == "no-class":
            self.skipped["noClass"] += 1
        elif self.learners is not None:
            learner = {
                "index": i, "ine": ine, "lastName": last,
                "usageName": usage or "", "firstName": first,
                "firstName2": first2 or "", "firstName3": first3 or "",
                "birthDate": bdate_s, "sex": "F" if female else "M",
                "countryCode": country, "deptCode": dept or "",
                "communeCode": commune_s or "", "town": town or "",
                "class": cls, "mef": mef if mef_direct else "",
                "status": statut, "eleveId": eid, "elenoet": elenoet,
            }
            self.learners.append(learner)
        return xml, learner

    # -- sections --------------------------------------------------------

    def run(self, out):
        o = self.o
        uaj = o.uai
        if o.brk == "wrong-uai":
            uaj = "0999999Z" if o.uai.upper() != "0999999Z" else "0888888Y"
        now = datetime.datetime.now()
        w = self.write
        w(out, '<?xml version="1.0" encoding="%s"?>\n' %
          XML_DECL[o.encoding])
        w(out, '<BEE_ELEVES VERSION="3.0">\n  <PARAMETRES>\n')
        if o.brk != "no-uai":
            w(out, "    <UAJ>%s</UAJ>\n" % esc(uaj))
        w(out, "    <ANNEE_SCOLAIRE>%d</ANNEE_SCOLAIRE>\n"
               "    <DATE_EXPORT>%s</DATE_EXPORT>\n"
               "    <HORODATAGE>%s %02d:%02d:%02d</HORODATAGE>\n"
               "  </PARAMETRES>\n  <DONNEES>\n    <ELEVES>\n" %
          (self.year, fr_date(self.today), fr_date(self.today), now.hour,
           now.minute, now.second))
        r = random.Random("students:%d" % o.seed)
        v = random.Random("variant:%d:%d" % (o.seed, o.variant))
        buf = []
        pending = 0                      # lines in buf (malformed only)
        for i in range(self.n):
            xml, _ = self.student(i, r, v)
            if xml is None:
                continue
            if self.track_lines:
                if i == self.bi:
                    self.broken = {
                        "line": self.line + pending +
                        self.broken_line_offset,
                        "column": self.broken_column}
                pending += xml.count("\n")
            buf.append(xml)
            if len(buf) >= 256:
                w(out, "".join(buf))
                buf = []
                pending = 0
        if buf:
            w(out, "".join(buf))
        w(out, "    </ELEVES>\n    <OPTIONS>\n")
        self.write_options(out)
        w(out, "    </OPTIONS>\n    <STRUCTURES>\n")
        self.write_structures(out)
        w(out, "    </STRUCTURES>\n  </DONNEES>\n</BEE_ELEVES>\n")

    def write_options(self, out):
        r = random.Random("options:%d" % self.o.seed)
        buf = []
        for i in range(self.n):
            nopt = int(r.random() * 4)
            picks = [(j + 1, "SOF"[int(r.random() * 3)],
                      MATIERES[int(r.random() * len(MATIERES))])
                     for j in range(nopt)]
            if not self.written[i] or nopt == 0:
                continue
            s = ['      <OPTION ELEVE_ID="%s">\n' % self.eleve_id(i)]
            for num, mod, mat in picks:
                s.append("        <OPTIONS_ELEVE>\n"
                         "          <NUM_OPTION>%d</NUM_OPTION>\n"
                         "          <CODE_MODALITE_ELECT>%s"
                         "</CODE_MODALITE_ELECT>\n"
                         "          <CODE_MATIERE>%s</CODE_MATIERE>\n"
                         "        </OPTIONS_ELEVE>\n" % (num, mod, mat))
            s.append("      </OPTION>\n")
            buf.append("".join(s))
            if len(buf) >= 256:
                self.write(out, "".join(buf))
                buf = []
        if buf:
            self.write(out, "".join(buf))

    def write_structures(self, out):
        # Another order than ELEVES: a permutation of the indexes.
        n = self.n
        step = coprime_step(n, random.Random(self.o.seed)) if n > 2 else 1
        buf = []
        for j in range(n):
            i = (step * j + 7) % n
            if not self.written[i]:
                continue
            k = self.cls[i]
            f = self.flags[i]
            g = self.grp[i]
            items = []
            for t in range(g & 3):
                items.append((GROUPS[(g >> (2 + 4 * t)) & 15], "G"))
            if k != 0xFFFF:
                d = [(self.classes[k][0], "D")]
                if f & 1:
                    d = d + [("Inactifs", "D")] if f & 2 else \
                        [("Inactifs", "D")] + d
                items = items + d if f & 4 else d + items
            if not items:
                continue
            s = ['      <STRUCTURES_ELEVE ELEVE_ID="%s" ELENOET="%d">\n' %
                 (self.eleve_id(i), 2000 + i)]
            for code, typ in items:
                s.append("        <STRUCTURE>\n"
                         "          <CODE_STRUCTURE>%s</CODE_STRUCTURE>\n"
                         "          <TYPE_STRUCTURE>%s</TYPE_STRUCTURE>\n"
                         "        </STRUCTURE>\n" % (esc(code), typ))
            s.append("      </STRUCTURES_ELEVE>\n")
            buf.append("".join(s))
            if len(buf) >= 256:
                self.write(out, "".join(buf))
                buf = []
        if buf:
            self.write(out, "".join(buf))


# Latin-9 differs from Latin-1 in eight places: translate them to the
# Latin-9 bytes, then encode as Latin-1 (much faster than the charmap codec;
# the pools hold no Latin-1-only character, checked above).
LATIN9 = str.maketrans({"€": "\xa4", "Š": "\xa6", "š": "\xa8", "Ž": "\xb4",
                        "ž": "\xb8", "Œ": "\xbc", "œ": "\xbd", "Ÿ": "\xbe"})


class Out:
    """Encodes text into the raw (binary) output as it comes."""

    def __init__(self, raw, encoding):
        self.raw = raw
        if encoding == "iso-8859-15":
            self.enc = lambda s: s.translate(LATIN9).encode("latin-1")
        elif encoding == "iso-8859-1":
            # Latin-1 lacks Š š Ž ž Œ œ Ÿ: character references, as old
            # tools wrote them.
            self.enc = lambda s: s.encode("latin-1", "xmlcharrefreplace")
        else:
            self.enc = lambda s: s.encode("utf-8")

    def write(self, s):
        self.raw.write(self.enc(s))


def main():
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, required=True)
    ap.add_argument("--uai", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--encoding", default="iso-8859-15",
                    choices=sorted(XML_DECL))
    ap.add_argument("--bom", action="store_true",
                    help="UTF-8 only: start with a byte order mark")
    ap.add_argument("--zip", action="store_true")
    ap.add_argument("--left", type=float, default=0)
    ap.add_argument("--not-arrived", type=float, default=0)
    ap.add_argument("--no-class", type=float, default=0)
    ap.add_argument("--groups", action="store_true")
    ap.add_argument("--classes", type=int, default=0)
    ap.add_argument("--today")
    ap.add_argument("--omit", default="")
    ap.add_argument("--keep", default="")
    ap.add_argument("--remove", type=float, default=0)
    ap.add_argument("--rename", type=float, default=0)
    ap.add_argument("--reclass", type=float, default=0)
    ap.add_argument("--variant", type=int, default=0)
    ap.add_argument("--break", dest="brk", choices=BREAKS)
    ap.add_argument("--expect")
    ap.add_argument("--expect-json")
    ap.add_argument("-o", "--output", required=True)
    o = ap.parse_args()
    if o.students < 1:
        ap.error("--students must be at least 1")
    if o.brk == "duplicate-ine" and o.students < 4:
        ap.error("--break duplicate-ine needs at least 4 students")

    g = Gen(o)
    tmp = o.output + ".part"
    if o.zip:
        zf = zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED,
                             compresslevel=6)
        zi = zipfile.ZipInfo("ElevesSansAdresses.xml",
                             date_time=g.today.timetuple()[:6])
        zi.compress_type = zipfile.ZIP_DEFLATED
        raw = zf.open(zi, "w", force_zip64=o.students > 1_500_000)
    else:
        zf = None
        raw = open(tmp, "wb", buffering=1 << 20)
    if o.bom and o.encoding == "utf-8":
        raw.write(b"\xef\xbb\xbf")
    try:
        g.run(Out(raw, o.encoding))
    finally:
        raw.close()
        if zf is not None:
            zf.close()
    os.replace(tmp, o.output)

    if g.learners is not None:
        g.learners.sort(key=lambda l: (sort_norm(l["lastName"]),
                                       sort_norm(l["firstName"])))
    if o.expect:
        with open(o.expect, "w", encoding="utf-8", newline="") as f:
            f.write("INE;Nom;Prénom;Date de naissance;Classe\n")
            for l in g.learners:
                f.write(";".join(csv_field(x) for x in (
                    l["ine"], l["lastName"], l["firstName"],
                    l["birthDate"], l["class"])) + "\n")
    if o.expect_json:
        broken = None
        if o.brk:
            broken = {"kind": o.brk}
            if o.brk not in ("wrong-uai", "no-uai"):
                broken["student"] = g.broken_student
            if o.brk == "duplicate-ine":
                l2, f2 = g.names.pair(g.bi2)
                broken["other"] = {"index": g.bi2, "ine": g.ine(g.bi2),
                                   "lastName": l2, "firstName": f2,
                                   "eleveId": g.eleve_id(g.bi2)}
            if o.brk == "malformed":
                broken.update(g.broken)
            if o.brk == "wrong-uai":
                broken["uaj"] = "0999999Z" if o.uai.upper() != \
                    "0999999Z" else "0888888Y"
        used = sorted({c for l in g.learners for c in [l["class"]]})
        with open(o.expect_json, "w", encoding="utf-8") as f:
            json.dump({"uai": o.uai, "students": o.students,
                       "today": g.today.isoformat(),
                       "learners": g.learners, "skipped": g.skipped,
                       "classes": used, "omitted": g.left_out,
                       "changed": g.changed, "broken": broken}, f,
                      ensure_ascii=False, indent=0)


if __name__ == "__main__":
    main()
