"""Text similarity across scripts: character n-gram TF-IDF, hashed so that vectors can be kept.

Character n-grams (2 to 4 characters, within words) work alike for Latin, Arabic, Cyrillic and
Chinese script; a word need not be cut out of a Chinese sentence, and an inflected French or
Russian form shares most of its n-grams with the base form. Vectors are hashed (no vocabulary to
keep), stored per record (``TextVector``) and weighted by the inverse document frequencies of
the last full recompute (``MatchingIndex``). Plain functions: no ORM here.
"""

import hashlib
import re
import unicodedata
from functools import cache

import numpy as np
from scipy import sparse

FEATURES = 2**18
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
_SPACE = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text):
    """Case, accents, Arabic letter variants and tatweel, and punctuation folded away."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_ARABIC)).strip()


@cache
def _vectorizer():
    # scikit-learn is imported when texts are first vectorised, not by every process that loads tahub.
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), n_features=FEATURES, alternate_sign=False, norm=None,
        preprocessor=normalise, dtype=np.float32,
    )


def digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def counts(texts):
    """Hashed n-gram counts, one sparse row per text."""
    return _vectorizer().transform(texts).tocsr()


def pack(row):
    """One sparse row as two byte strings (indices, counts) to store."""
    return row.indices.astype(np.int32).tobytes(), row.data.astype(np.float32).tobytes()


def unpack(rows):
    """Stored (indices, counts) byte pairs back into one sparse matrix."""
    indptr = [0]
    indices, data = [], []
    for raw_indices, raw_data in rows:
        indices.append(np.frombuffer(raw_indices, dtype=np.int32))
        data.append(np.frombuffer(raw_data, dtype=np.float32))
        indptr.append(indptr[-1] + len(indices[-1]))
    if not rows:
        return sparse.csr_matrix((0, FEATURES), dtype=np.float32)
    return sparse.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), np.array(indptr)), shape=(len(rows), FEATURES)
    )


def inverse_frequencies(matrix):
    """Smoothed IDF over the rows of ``matrix`` (every record matched)."""
    frequency = np.bincount(matrix.indices, minlength=FEATURES).astype(np.float32)
    return (np.log((1 + matrix.shape[0]) / (1 + frequency)) + 1).astype(np.float32)


def weighted(matrix, idf):
    """Sublinear TF × IDF, each row of unit length (so a product of rows is a cosine)."""
    matrix = matrix.copy()
    matrix.data = 1 + np.log(matrix.data)
    matrix = matrix @ sparse.diags(idf) if idf is not None else matrix
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.diags(1 / norms).astype(np.float32) @ matrix
