"""The texts a search found common, remembered by each process (mediation.cases.search)."""

from mediation.cases import search


def test_the_common_texts_keep_the_most_recently_searched():
    """At most `kept` texts are remembered; the one searched least recently goes first, and a
    text searched again counts as recent."""
    texts = search.CommonTexts(kept=2)
    texts.add("武汉")
    texts.add("公司")
    assert texts.known("武汉")  # now the most recent
    texts.add("积玉")
    assert [texts.known(t) for t in ("武汉", "公司", "积玉")] == [True, False, True]
    texts.forget()
    assert not texts.known("武汉") and not texts.known("积玉")
