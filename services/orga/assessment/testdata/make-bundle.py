#!/usr/bin/env python3
# make-bundle.py - writes bundle/, the small valid bundle of the unit
# tests (content_test.c, engine_test.c, results_test.c): every competence
# has a filler topic, 1.1 and 1.2 hold the engine's test topics, 4.1 one
# question of each kind. Run it again after changing it; the tests name
# lines of these files.
import json
import os
import shutil

AREAS = [
    ("1", "Information et données", [
        ("1.1", "Mener une recherche et une veille d'information"),
        ("1.2", "Gérer des données"),
        ("1.3", "Traiter des données")]),
    ("2", "Communication et collaboration", [
        ("2.1", "Interagir"), ("2.2", "Partager et publier"),
        ("2.3", "Collaborer"),
        ("2.4", "S'insérer dans le monde numérique")]),
    ("3", "Création de contenu", [
        ("3.1", "Développer des documents textuels"),
        ("3.2", "Développer des documents multimédia"),
        ("3.3", "Adapter les documents à leur finalité"),
        ("3.4", "Programmer")]),
    ("4", "Protection et sécurité", [
        ("4.1", "Sécuriser l'environnement numérique"),
        ("4.2", "Protéger les données personnelles et la vie privée"),
        ("4.3", "Protéger la santé, le bien-être et l'environnement")]),
    ("5", "Environnement numérique", [
        ("5.1", "Résoudre des problèmes techniques"),
        ("5.2", "Construire un environnement numérique")]),
]


def qcu(qid, right=1):
    return {"id": qid, "kind": "QCU", "text": "Question " + qid + " ?",
            "choices": ["Oui", "Non", "Peut-être"], "solution": [right],
            "explanation": "Parce que."}


def topic(tid, name, difficulties, per_skill=None):
    per_skill = per_skill or {}
    skills = []
    for d in difficulties:
        n = per_skill.get(d, 1)
        skills.append({
            "difficulty": d,
            "name": "Savoir faire %s au niveau %d" % (tid, d),
            "questions": [qcu("%s%d-%s" % (tid, d, "abcdefgh"[i]))
                          for i in range(n)]})
    return {"id": tid, "name": name, "skills": skills}


def kinds_topic():
    return {"id": "motdepasse", "name": "Choisir ses mots de passe",
            "skills": [
                {"difficulty": 1, "name": "Savoir qu'un mot de passe protège",
                 "questions": [{
                     "id": "motdepasse1-a", "kind": "QCM",
                     "text": "Lesquels sont de bons mots de passe ?",
                     "choices": ["123456", "Tr0mb0ne!Vert", "motdepasse",
                                 "Vélo-Lune-42"],
                     "solution": [2, 4],
                     "explanation": "Longs et variés.",
                     "image": {"file": "images/cle.png",
                               "alt": "Une clé"}}]},
                {"difficulty": 2, "name": "Nommer un gestionnaire",
                 "questions": [{
                     "id": "motdepasse2-a", "kind": "QROC",
                     "text": "Quelle région a pour capitale Paris ?",
                     "answers": ["Île-de-France"],
                     "tolerances": ["t1", "t2", "t3"],
                     "placeholder": "Une région",
                     "explanation": "Paris est en Île-de-France."}]},
                {"difficulty": 3, "name": "Compléter une adresse",
                 "questions": [{
                     "id": "motdepasse3-a", "kind": "QROCM",
                     "text": "Complétez.",
                     "fields": [{"label": "Protocole",
                                 "answers": ["https"]},
                                {"label": "Domaine",
                                 "answers": ["exemple.fr", "www.exemple.fr"]}],
                     "dependent": False,
                     "tolerances": ["t1"],
                     "explanation": "Une adresse web."}]},
                {"difficulty": 4, "name": "Citer deux navigateurs",
                 "questions": [{
                     "id": "motdepasse4-a", "kind": "QROCM",
                     "text": "Citez deux navigateurs.",
                     "fields": [{"label": "Premier"}, {"label": "Second"}],
                     "dependent": True,
                     "answers": [["Firefox", "Mozilla Firefox"],
                                 ["Chrome", "Google Chrome"],
                                 ["Safari"], ["Edge"]],
                     "tolerances": ["t1", "t3"],
                     "explanation": "Il y en a d'autres."}]},
            ]}


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bundle")
    shutil.rmtree(root, ignore_errors=True)
    for d in ("competences", "parcours", "images"):
        os.makedirs(os.path.join(root, d))

    def write(rel, doc):
        with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")

    write("referentiel.json", {"areas": [
        {"code": a, "name": n, "competences": [
            {"code": c, "name": cn} for c, cn in comps]}
        for a, n, comps in AREAS]})
    topics = {}
    for _, _, comps in AREAS:
        for code, _ in comps:
            tid = "t" + code.replace(".", "")
            topics[code] = [topic(tid, "Sujet " + code, [1])]
    # The engine's topics: alpha 1..6 (three questions at 2), beta 1..3
    # (an easy topic), gamma 1, 2, 5 (a gap).
    topics["1.1"] = [topic("alpha", "Alpha", [1, 2, 3, 4, 5, 6], {2: 3}),
                     topic("beta", "Beta", [1, 2, 3])]
    topics["1.2"] = [topic("gamma", "Gamma", [5, 1, 2])]
    # Three skills share the 8 points of level 1 in 1.3.
    topics["1.3"] += [topic("delta", "Delta", [1]),
                      topic("epsilon", "Epsilon", [1])]
    topics["4.1"].insert(0, kinds_topic())
    every = []
    for code, ts in topics.items():
        write("competences/%s.json" % code,
              {"competence": code, "topics": ts})
        for t in ts:
            every.append({"topic": t["id"], "max_difficulty":
                          max(s["difficulty"] for s in t["skills"])})
    parcours = [
        ("decouverte-6e", "Découverte (6e)",
         [{"topic": "alpha", "max_difficulty": 3}]),
        ("parcours-3e", "Parcours 3e",
         [{"topic": "alpha", "max_difficulty": 5},
          {"topic": "beta", "max_difficulty": 3}]),
        ("parcours-2nde", "Parcours 2nde",
         [{"topic": "motdepasse", "max_difficulty": 4}]),
        ("tous-les-domaines", "Tous les domaines", every),
        ("test-moteur", "Test du moteur",
         [{"topic": "alpha", "max_difficulty": 6},
          {"topic": "beta", "max_difficulty": 3},
          {"topic": "gamma", "max_difficulty": 5}]),
    ]
    for pid, name, tubes in parcours:
        write("parcours/%s.json" % pid,
              {"id": pid, "name": name,
               "description": "Un parcours de test.", "tubes": tubes})
    with open(os.path.join(root, "images", "cle.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write("Test bundle written by ../make-bundle.py; not content.\n")


main()
