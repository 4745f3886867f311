"""What the demo offers (``offers.demo``) are drawn from: the providers' profiles, the shares of
modalities, periods and languages, and the wording in English, French and Spanish.

Titles and descriptions are put together from parts: a topic per theme, a title and an opening
sentence per kind of help, points per top-level kind, an audience per eligibility. French and
Spanish topics carry their article, so templates say "sur {topic}" / "sobre {topic}".
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Profile:
    """What a provider is known for: theme code prefixes, kinds, currency, region, languages written in."""

    themes: tuple = ()
    kinds: tuple = ()
    currency: str = "USD"
    region: str = ""
    french: float = 0.08
    spanish: float = 0.06


PROFILES = {
    "FOEN": Profile(("legal", "enforcement", "waste_management.ewaste"), ("advice", "resources.financial"), "CHF",
                    french=0.2),
    "MOEJ": Profile(("technologies", "waste_management.ewaste", "waste_management.mercury", "disposal"),
                    ("training.twinning", "knowhow.technology", "resources.equipment"), "JPY", "ASIA_PACIFIC", 0.02, 0.02),
    "NEA": Profile(("waste_management.plastic", "monitoring", "information"), ("resources.financial", "advice.expert")),
    "BMUKN": Profile(("waste_management.ewaste", "technologies.recycling", "legal"),
                     ("advice.expert", "resources.financial", "training.twinning"), "EUR"),
    "SEPA": Profile(("enforcement", "waste_management.pops", "monitoring"), ("training.twinning", "advice.expert"),
                    "EUR", "EASTERN_EUROPE"),
    "MTE": Profile(("legal", "waste_management.biomedical", "emergency"), ("advice", "training.course"), "EUR",
                   "AFRICA", french=0.7),
    "DCCEEW": Profile(("waste_management.plastic", "emergency", "disposal"), ("resources", "advice.expert"),
                      region="ASIA_PACIFIC"),
    "UNEP": Profile(("waste_management", "information", "coordination"),
                    ("knowhow.guidance", "training.elearning", "resources.financial"), french=0.15, spanish=0.12),
    "UNIDO": Profile(("technologies", "waste_management.pops", "disposal"), ("resources.equipment", "advice.expert")),
    "UNITAR": Profile(("information", "monitoring", "notification"), ("training.elearning", "training.course"),
                      french=0.15, spanish=0.12),
    "WCO": Profile(("enforcement", "notification.classification"), ("training.course", "knowhow.guidance")),
    "IPEN": Profile(("waste_management.mercury", "waste_management.pops", "information.awareness"),
                    ("knowhow", "advice.expert"), spanish=0.1),
    "BAN": Profile(("enforcement", "waste_management.ewaste", "waste_management.plastic"),
                   ("knowhow.guidance", "advice.legal")),
    "Oeko-Institut": Profile(("technologies", "monitoring.inventories", "waste_management.ewaste"),
                             ("knowhow", "advice.expert"), "EUR"),
    "SRI": Profile(("waste_management.ewaste", "technologies.recycling"), ("training.course", "advice.expert"),
                   "CHF", spanish=0.1),
}
# A second kind that often goes with the first.
COMPANIONS = {
    "training.course": "knowhow.guidance",
    "training.elearning": "knowhow.guidance",
    "advice.expert": "advice.legal",
    "resources.financial": "advice.expert",
    "resources.equipment": "training.course",
    "knowhow.technology": "resources.equipment",
}
MODALITIES = {
    "training.course": ["in_person"] * 6 + ["hybrid"] * 3 + ["online"],
    "training.elearning": ["self_paced"] * 3 + ["online"] * 2,
    "training.twinning": ["in_person"],
    "knowhow.guidance": ["self_paced"],
    "knowhow.technology": ["online", "self_paced"],
    "advice.expert": ["in_person"] * 3 + ["hybrid"],
    "advice.legal": ["online", "hybrid", "hybrid", "in_person"],
    "resources.financial": ["online", "hybrid"],
    "resources.equipment": ["in_person"],
    "resources.inkind": ["in_person", "hybrid"],
}
# Of every 20 offers: standing, running, ended (closed) and still to come.
PERIODS = ["standing"] * 4 + ["running"] * 9 + ["ended"] * 3 + ["future"] * 4
RATES = {"USD": 1, "EUR": Decimal("0.9"), "CHF": Decimal("0.9"), "JPY": 150}
EXTRA_LANGUAGES = {"en": [("fr", 0.3), ("es", 0.15), ("ar", 0.08), ("ru", 0.05), ("zh", 0.04), ("pt", 0.03)],
                   "fr": [("en", 0.4), ("ar", 0.05)], "es": [("en", 0.3), ("pt", 0.1)]}


# Theme code → what an offer on it is about (en, fr, es).
TOPICS = {
    "notification": ("the notification procedure of the Convention", "la procédure de notification de la Convention",
                     "el procedimiento de notificación del Convenio"),
    "notification.procedure": ("prior informed consent and movement documents",
                               "le consentement préalable en connaissance de cause et les documents de mouvement",
                               "el consentimiento fundamentado previo y los documentos de movimiento"),
    "notification.electronic": ("electronic notification systems", "les systèmes de notification électronique",
                                "los sistemas electrónicos de notificación"),
    "notification.classification": ("waste classification and coding", "la classification et le codage des déchets",
                                    "la clasificación y codificación de desechos"),
    "waste_management": ("the environmentally sound management of hazardous wastes",
                         "la gestion écologiquement rationnelle des déchets dangereux",
                         "el manejo ambientalmente racional de los desechos peligrosos"),
    "waste_management.ewaste": ("e-waste", "les déchets d'équipements électriques et électroniques",
                                "los residuos de aparatos eléctricos y electrónicos"),
    "waste_management.plastic": ("plastic waste", "les déchets plastiques", "los desechos plásticos"),
    "waste_management.pops": ("POPs wastes", "les déchets de polluants organiques persistants",
                              "los desechos de contaminantes orgánicos persistentes"),
    "waste_management.mercury": ("mercury wastes", "les déchets de mercure", "los desechos de mercurio"),
    "waste_management.ulab": ("used lead-acid batteries", "les batteries au plomb usagées",
                              "las baterías de plomo-ácido usadas"),
    "waste_management.biomedical": ("biomedical and healthcare wastes", "les déchets biomédicaux et de soins de santé",
                                    "los desechos biomédicos y sanitarios"),
    "waste_management.household": ("household wastes", "les déchets ménagers", "los desechos domésticos"),
    "waste_management.minimisation": ("waste prevention and minimisation", "la prévention et la réduction des déchets",
                                      "la prevención y minimización de desechos"),
    "technologies": ("environmentally sound technologies", "les technologies écologiquement rationnelles",
                     "las tecnologías ambientalmente racionales"),
    "technologies.recycling": ("recycling and recovery of wastes", "le recyclage et la valorisation des déchets",
                               "el reciclaje y la recuperación de desechos"),
    "technologies.cleaner_production": ("cleaner production", "la production plus propre", "la producción más limpia"),
    "disposal": ("environmentally sound disposal", "l'élimination écologiquement rationnelle",
                 "la eliminación ambientalmente racional"),
    "disposal.facilities": ("treatment and disposal facilities", "les installations de traitement et d'élimination",
                            "las instalaciones de tratamiento y eliminación"),
    "disposal.contaminated_sites": ("contaminated sites", "les sites contaminés", "los sitios contaminados"),
    "monitoring": ("monitoring of hazardous wastes", "la surveillance des déchets dangereux",
                   "el monitoreo de los desechos peligrosos"),
    "monitoring.inventories": ("national waste inventories", "les inventaires nationaux de déchets",
                               "los inventarios nacionales de desechos"),
    "monitoring.laboratories": ("waste sampling and laboratory analysis",
                                "l'échantillonnage et l'analyse des déchets en laboratoire",
                                "el muestreo y el análisis de desechos en laboratorio"),
    "emergency": ("emergency response", "l'intervention d'urgence", "la respuesta a emergencias"),
    "emergency.preparedness": ("emergency preparedness", "la préparation aux situations d'urgence",
                               "la preparación para emergencias"),
    "emergency.incidents": ("incidents during transboundary movements",
                            "les incidents survenant lors des mouvements transfrontières",
                            "los incidentes durante los movimientos transfronterizos"),
    "legal": ("national legal frameworks", "les cadres juridiques nationaux", "los marcos jurídicos nacionales"),
    "legal.legislation": ("national legislation implementing the Convention",
                          "la législation nationale d'application de la Convention",
                          "la legislación nacional de aplicación del Convenio"),
    "legal.institutions": ("competent authorities and institutions", "les autorités compétentes et les institutions",
                           "las autoridades competentes y las instituciones"),
    "enforcement": ("enforcement against illegal traffic", "la lutte contre le trafic illicite",
                    "la lucha contra el tráfico ilícito"),
    "enforcement.customs": ("customs controls of waste shipments", "les contrôles douaniers des transferts de déchets",
                            "los controles aduaneros de los envíos de desechos"),
    "enforcement.prosecution": ("the prosecution of illegal traffic", "la poursuite du trafic illicite",
                                "el enjuiciamiento del tráfico ilícito"),
    "coordination": ("coordination among national authorities", "la coordination entre autorités nationales",
                     "la coordinación entre autoridades nacionales"),
    "coordination.national": ("national coordination mechanisms", "les mécanismes de coordination nationale",
                              "los mecanismos de coordinación nacional"),
    "coordination.regional": ("regional cooperation on wastes", "la coopération régionale sur les déchets",
                              "la cooperación regional sobre desechos"),
    "information": ("information exchange", "l'échange d'informations", "el intercambio de información"),
    "information.reporting": ("national reporting under the Convention",
                              "les rapports nationaux au titre de la Convention",
                              "los informes nacionales en virtud del Convenio"),
    "information.awareness": ("public awareness of hazardous wastes", "la sensibilisation du public aux déchets dangereux",
                              "la sensibilización del público sobre los desechos peligrosos"),
}

# Kind of help (refinement) → title templates per language.
TITLES = {
    "training.course": {
        "en": ["Regional training workshop on {topic}", "Training course for inspectors on {topic}",
               "Train-the-trainers programme on {topic}"],
        "fr": ["Atelier régional de formation sur {topic}", "Formation des inspecteurs sur {topic}",
               "Programme de formation de formateurs sur {topic}"],
        "es": ["Taller regional de capacitación sobre {topic}", "Curso para inspectores sobre {topic}",
               "Programa de formación de formadores sobre {topic}"],
    },
    "training.elearning": {
        "en": ["Online course on {topic}", "Self-paced e-learning module on {topic}", "Webinar series on {topic}"],
        "fr": ["Cours en ligne sur {topic}", "Module d'autoformation en ligne sur {topic}", "Série de webinaires sur {topic}"],
        "es": ["Curso en línea sobre {topic}", "Módulo de autoaprendizaje en línea sobre {topic}",
               "Serie de seminarios web sobre {topic}"],
    },
    "training.twinning": {
        "en": ["Twinning of competent authorities on {topic}", "Study visit on {topic}"],
        "fr": ["Jumelage d'autorités compétentes sur {topic}", "Visite d'étude sur {topic}"],
        "es": ["Hermanamiento de autoridades competentes sobre {topic}", "Visita de estudio sobre {topic}"],
    },
    "knowhow.guidance": {
        "en": ["Practical manual on {topic}", "Guidance and checklists on {topic}", "Toolkit on {topic}"],
        "fr": ["Manuel pratique sur {topic}", "Orientations et listes de contrôle sur {topic}", "Boîte à outils sur {topic}"],
        "es": ["Manual práctico sobre {topic}", "Orientaciones y listas de verificación sobre {topic}",
               "Caja de herramientas sobre {topic}"],
    },
    "knowhow.technology": {
        "en": ["Technology fact sheets on {topic}", "Technical briefings on {topic}"],
        "fr": ["Fiches techniques sur {topic}", "Notes d'information technique sur {topic}"],
        "es": ["Fichas técnicas sobre {topic}", "Notas técnicas informativas sobre {topic}"],
    },
    "advice.expert": {
        "en": ["Expert mission on {topic}", "Advisory service on {topic}", "On-site expert support on {topic}"],
        "fr": ["Mission d'experts sur {topic}", "Service de conseil sur {topic}", "Appui d'experts sur place sur {topic}"],
        "es": ["Misión de expertos sobre {topic}", "Servicio de asesoramiento sobre {topic}",
               "Apoyo de expertos sobre el terreno sobre {topic}"],
    },
    "advice.legal": {
        "en": ["Legal advice on {topic}", "Review of national rules on {topic}", "Policy advice on {topic}"],
        "fr": ["Conseils juridiques sur {topic}", "Examen des règles nationales sur {topic}"],
        "es": ["Asesoramiento jurídico sobre {topic}", "Revisión de las normas nacionales sobre {topic}"],
    },
    "resources.financial": {
        "en": ["Small grants for projects on {topic}", "Seed funding for pilot projects on {topic}"],
        "fr": ["Petites subventions pour des projets sur {topic}", "Financement de projets pilotes sur {topic}"],
        "es": ["Pequeñas subvenciones para proyectos sobre {topic}", "Financiación de proyectos piloto sobre {topic}"],
    },
    "resources.equipment": {
        "en": ["Field and laboratory equipment for {topic}", "Technology transfer package for {topic}"],
        "fr": ["Équipement de terrain et de laboratoire pour {topic}", "Transfert de technologie pour {topic}"],
        "es": ["Equipo de campo y de laboratorio para {topic}", "Transferencia de tecnología para {topic}"],
    },
    "resources.inkind": {
        "en": ["Secondment of specialists on {topic}", "Access to training facilities on {topic}"],
        "fr": ["Détachement de spécialistes sur {topic}", "Accès à des installations de formation sur {topic}"],
        "es": ["Adscripción de especialistas sobre {topic}", "Acceso a instalaciones de formación sobre {topic}"],
    },
}

# Kind of help (refinement) → the description's opening sentence. Placeholders: provider, topic, days, amount.
OPENINGS = {
    "training.course": {
        "en": "{provider} runs a {days}-day course on {topic} for officers of competent authorities, customs and "
              "environmental inspectorates.",
        "fr": "{provider} organise une formation de {days} jours sur {topic} pour les agents des autorités compétentes, "
              "des douanes et des inspections de l'environnement.",
        "es": "{provider} organiza un curso de {days} días sobre {topic} para funcionarios de las autoridades "
              "competentes, las aduanas y las inspecciones ambientales.",
    },
    "training.elearning": {
        "en": "A self-paced course on {topic} in {days} short modules, with exercises and a certificate of completion.",
        "fr": "Un cours d'autoformation sur {topic} en {days} modules courts, avec des exercices et une attestation.",
        "es": "Un curso de autoaprendizaje sobre {topic} en {days} módulos breves, con ejercicios y un certificado.",
    },
    "training.twinning": {
        "en": "Staff of a competent authority spend {days} days with their counterparts at {provider} to see how "
              "{topic} is handled in practice.",
        "fr": "Des agents d'une autorité compétente passent {days} jours auprès de leurs homologues de {provider} pour "
              "voir comment {topic} est traité en pratique.",
        "es": "Funcionarios de una autoridad competente pasan {days} días con sus homólogos de {provider} para ver "
              "cómo se aborda en la práctica {topic}.",
    },
    "knowhow.guidance": {
        "en": "A practical manual on {topic}, with step-by-step procedures, checklists and case studies from Parties.",
        "fr": "Un manuel pratique sur {topic}, avec des procédures pas à pas, des listes de contrôle et des études de cas.",
        "es": "Un manual práctico sobre {topic}, con procedimientos paso a paso, listas de verificación y casos "
              "prácticos de las Partes.",
    },
    "knowhow.technology": {
        "en": "Fact sheets on proven technologies for {topic}: how they work, what they cost and what they need.",
        "fr": "Des fiches sur des technologies éprouvées pour {topic} : fonctionnement, coûts et conditions d'emploi.",
        "es": "Fichas sobre tecnologías probadas para {topic}: cómo funcionan, cuánto cuestan y qué requieren.",
    },
    "advice.expert": {
        "en": "{provider} sends experts for up to {days} days to assess {topic} and advise the national authorities "
              "on the next steps.",
        "fr": "{provider} envoie des experts pendant {days} jours au plus pour évaluer {topic} et conseiller les "
              "autorités nationales.",
        "es": "{provider} envía expertos durante un máximo de {days} días para evaluar {topic} y asesorar a las "
              "autoridades nacionales.",
    },
    "advice.legal": {
        "en": "Lawyers of {provider} review draft laws and regulations on {topic} and advise on giving effect to the "
              "Convention's obligations.",
        "fr": "Les juristes de {provider} examinent les projets de lois et de règlements sur {topic} et conseillent "
              "sur la mise en œuvre des obligations de la Convention.",
        "es": "Los juristas de {provider} examinan proyectos de leyes y reglamentos sobre {topic} y asesoran sobre la "
              "aplicación de las obligaciones del Convenio.",
    },
    "resources.financial": {
        "en": "Grants of up to {amount} for projects on {topic} led by government agencies, with at least 10% "
              "co-financing.",
        "fr": "Des subventions pouvant atteindre {amount} pour des projets sur {topic} menés par des organismes publics, "
              "avec un cofinancement d'au moins 10 %.",
        "es": "Subvenciones de hasta {amount} para proyectos sobre {topic} dirigidos por organismos públicos, con una "
              "cofinanciación de al menos el 10 %.",
    },
    "resources.equipment": {
        "en": "{provider} provides equipment worth up to {amount} for {topic}, with installation, training of the "
              "operators and two years of maintenance.",
        "fr": "{provider} fournit de l'équipement d'une valeur maximale de {amount} pour {topic}, avec l'installation, "
              "la formation des opérateurs et deux ans de maintenance.",
        "es": "{provider} suministra equipo por un valor de hasta {amount} para {topic}, con la instalación, la "
              "capacitación de los operadores y dos años de mantenimiento.",
    },
    "resources.inkind": {
        "en": "{provider} seconds specialists on {topic} for up to {days} days and opens its facilities to staff "
              "of eligible Parties.",
        "fr": "{provider} détache des spécialistes sur {topic} pendant {days} jours au plus et ouvre ses installations "
              "au personnel des Parties admissibles.",
        "es": "{provider} adscribe especialistas sobre {topic} durante un máximo de {days} días y abre sus "
              "instalaciones al personal de las Partes que reúnen los requisitos.",
    },
}

HEADINGS = {"en": "What is included", "fr": "Ce qui est prévu", "es": "Qué incluye"}

# Top-level kind → what an offer of it may include (three or four are picked).
POINTS = {
    "training": {
        "en": ["Lectures and exercises built on real cases", "A visit to a licensed facility",
               "Material to train colleagues at home", "A certificate for those who complete the programme",
               "A follow-up call three months later"],
        "fr": ["Exposés et exercices fondés sur des cas réels", "Visite d'une installation autorisée",
               "Supports pour former les collègues au retour", "Attestation pour les participants qui terminent",
               "Entretien de suivi trois mois plus tard"],
        "es": ["Exposiciones y ejercicios basados en casos reales", "Visita a una instalación autorizada",
               "Material para formar a los colegas al regresar", "Certificado para quienes completen el programa",
               "Llamada de seguimiento tres meses después"],
    },
    "knowhow": {
        "en": ["Checklists ready to use in inspections", "Examples from Parties in every region",
               "Templates for permits and notifications", "Updated every year", "Free to download and adapt"],
        "fr": ["Listes de contrôle prêtes à l'emploi", "Exemples de Parties de toutes les régions",
               "Modèles de permis et de notifications", "Mise à jour chaque année", "Téléchargement gratuit"],
        "es": ["Listas de verificación listas para usar", "Ejemplos de Partes de todas las regiones",
               "Modelos de permisos y notificaciones", "Actualización anual", "Descarga gratuita"],
    },
    "advice": {
        "en": ["An assessment of the current situation", "Written recommendations within four weeks",
               "Meetings with the ministries concerned", "Remote follow-up for six months",
               "Help in preparing a project proposal"],
        "fr": ["Évaluation de la situation actuelle", "Recommandations écrites sous quatre semaines",
               "Réunions avec les ministères concernés", "Suivi à distance pendant six mois",
               "Aide à la préparation d'une proposition de projet"],
        "es": ["Evaluación de la situación actual", "Recomendaciones por escrito en cuatro semanas",
               "Reuniones con los ministerios interesados", "Seguimiento a distancia durante seis meses",
               "Ayuda para preparar una propuesta de proyecto"],
    },
    "resources": {
        "en": ["A short application form", "A decision within eight weeks", "A simple final report on results",
               "Cooperation with the regional centre", "Training of the staff concerned"],
        "fr": ["Formulaire de demande court", "Décision sous huit semaines", "Rapport final simple sur les résultats",
               "Coopération avec le centre régional", "Formation du personnel concerné"],
        "es": ["Formulario de solicitud breve", "Decisión en un plazo de ocho semanas",
               "Informe final sencillo sobre los resultados", "Cooperación con el centro regional",
               "Capacitación del personal interesado"],
    },
}

CLOSINGS = {
    "en": "Focal points and competent authorities of eligible Parties are welcome to apply.",
    "fr": "Les correspondants et autorités compétentes des Parties admissibles sont invités à présenter une demande.",
    "es": "Se invita a los puntos focales y autoridades competentes de las Partes que reúnen los requisitos a "
          "presentar su solicitud.",
}

HOW_TO_APPLY = {
    "en": "Send a short letter of interest through your Basel Convention focal point to {email}, naming the "
          "participants or the need the help would address.",
    "fr": "Envoyez une courte lettre d'intérêt par l'intermédiaire de votre correspondant de la Convention de Bâle "
          "à {email}, en indiquant les participants ou le besoin visé.",
    "es": "Envíe una breve carta de interés por conducto de su punto focal del Convenio de Basilea a {email}, "
          "indicando los participantes o la necesidad que se atendería.",
}

# Who the title names as the audience, by eligibility.
AUDIENCES = {
    "ldc": {"en": " for least developed countries", "fr": " pour les pays les moins avancés",
            "es": " para los países menos adelantados"},
    "sids": {"en": " for small island developing States", "fr": " pour les petits États insulaires en développement",
             "es": " para los pequeños Estados insulares en desarrollo"},
    "group": {"en": " for {name}", "fr": " pour les {name}", "es": " para los {name}"},
    "countries": {"en": " for {first} and {second}", "fr": " ({first} et {second})", "es": " para {first} y {second}"},
}

EDITION = {"en": " (edition {n})", "fr": " (édition {n})", "es": " (edición {n})"}
MORE_INFORMATION = {"en": "More information", "fr": "Plus d'informations", "es": "Más información"}
WITHDRAWN_REASONS = [
    "The funding for this offer ended.",
    "Replaced by a new edition of the programme.",
    "The provider's programme was restructured.",
]
# French- and Spanish-speaking Parties, for the eligible countries of offers written in those languages.
FRENCH_SPEAKING = ["BDI", "BEN", "BFA", "CIV", "CMR", "COD", "COG", "COM", "DJI", "GAB", "GIN", "HTI", "MDG", "MLI",
                   "MRT", "NER", "RWA", "SEN", "TCD", "TGO"]
SPANISH_SPEAKING = ["ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "GTM", "HND", "MEX", "NIC", "PAN", "PER",
                    "PRY", "SLV", "URY", "VEN"]
