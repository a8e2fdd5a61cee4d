-- 002_first_terms.sql - the first version of the terms of use (CGU), so a
-- fresh installation can be activated. Operators publish later versions
-- with `orgactl cgu publish FILE`.
INSERT INTO terms (body) VALUES (
'Conditions générales d''utilisation d''Orga (version 1)

1. Objet
Orga est l''espace des établissements scolaires du service public en ligne d''évaluation et de certification des compétences numériques. Il permet aux équipes pédagogiques de créer des campagnes, d''inviter les élèves à y participer et de suivre leurs résultats.

2. Accès
L''accès à l''espace d''un établissement est réservé aux personnes invitées par cet établissement. Chaque utilisateur est responsable de la confidentialité de son mot de passe et s''engage à ne pas le communiquer.

3. Données personnelles des élèves
Les données des élèves (nom, prénom, date de naissance, classe, résultats) ne sont visibles que des membres de l''établissement. Elles sont traitées dans le seul but du suivi pédagogique et ne sont jamais cédées à des tiers. L''établissement s''engage à n''importer que les données de ses propres élèves.

4. Engagements de l''utilisateur
L''utilisateur s''engage à utiliser Orga dans un cadre strictement pédagogique, à respecter la vie privée des élèves et à signaler toute anomalie de sécurité.

5. Évolution des conditions
Les présentes conditions peuvent évoluer. Toute nouvelle version devra être acceptée lors de la connexion suivante.');
