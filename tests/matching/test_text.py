"""Text similarity across the six UN languages' scripts (no database)."""

import pytest

from tahub.matching import text

PAIRS = {
    # language: (a text, a related text, an unrelated text)
    "en": ("inventory of electronic waste imports", "e-waste inventories and electronic waste flows",
           "legal drafting of customs penalties"),
    "fr": ("inventaire des déchets électroniques", "Formation : inventaires de déchets electroniques",
           "procédure de consentement préalable"),
    "es": ("gestión de residuos peligrosos hospitalarios", "residuos hospitalarios peligrosos: gestión segura",
           "sistema de notificación electrónica"),
    "ar": ("إدارة النفايات الإلكترونية", "ادارة النفايات الالكترونية وإعادة التدوير",
           "التشريعات الجمركية والعقوبات"),
    "ru": ("инвентаризация ртутных отходов", "инвентаризации ртутных отходов в регионе",
           "таможенный контроль незаконного оборота"),
    "zh": ("电子废物管理培训", "电子废物的环境无害化管理", "海关边境管制执法"),
}


def similarity(a, b):
    matrix = text.weighted(text.counts([a, b]), None)
    return float((matrix[0] @ matrix[1].T).toarray()[0, 0])


@pytest.mark.parametrize("language", sorted(PAIRS))
def test_related_texts_score_higher_than_unrelated_in_every_script(language):
    base, related, unrelated = PAIRS[language]

    assert similarity(base, related) > similarity(base, unrelated) + 0.1


def test_case_accents_and_arabic_letter_variants_are_folded():
    assert text.normalise("Déchets ÉLECTRONIQUES") == "dechets electroniques"
    assert text.normalise("إدارة") == text.normalise("ادارة")
    assert text.normalise("النفايات الإلكترونيّة") == text.normalise("النفايات الالكترونية")


def test_vectors_survive_being_kept():
    counts = text.counts(["mercury waste", "déchets de mercure"])
    kept = [text.pack(counts[0]), text.pack(counts[1])]

    assert (text.unpack(kept) != counts).nnz == 0


def test_a_text_is_most_similar_to_itself():
    texts = [first for first, _related, _other in PAIRS.values()]
    matrix = text.weighted(text.counts(texts), text.inverse_frequencies(text.counts(texts)))
    products = (matrix @ matrix.T).toarray()

    for row in range(len(texts)):
        assert products[row].argmax() == row
        assert products[row, row] == pytest.approx(1.0, abs=1e-5)
