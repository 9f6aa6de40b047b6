"""Every domain code has an English label for the English pages, and only codes that exist do."""

import re

import pytest

import workflows
from mediation.i18n import LABELS
from mediation.models import cases

CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]")
CODE_LIST_MODULES = [
    pytest.param(workflows.CODE_LISTS, workflows.LABELS_EN, id="workflows"),
    pytest.param(cases.CODE_LISTS, cases.LABELS_EN, id="case records"),
]


@pytest.mark.parametrize(("code_lists", "labels_en"), CODE_LIST_MODULES)
def test_every_code_of_every_list_has_an_english_label(code_lists, labels_en):
    """The English table lists exactly the codes of each list, each with an English label."""
    assert set(labels_en) == set(code_lists)
    for kind, pairs in code_lists.items():
        assert list(labels_en[kind]) == [code for code, _label in pairs], kind
        for code, label in labels_en[kind].items():
            assert label.strip() and not CHINESE.search(label), (kind, code, label)


def test_every_code_list_of_the_workflow_is_labelled():
    """A list added to workflows is part of a labelled kind (a kind may gather several lists)."""
    labelled = {code for pairs in workflows.CODE_LISTS.values() for code, _label in pairs}
    for name in workflows.__all__:
        value = getattr(workflows, name)
        if isinstance(value, tuple) and value and all(isinstance(p, tuple) for p in value):
            assert {code for code, _label in value} <= labelled, name


def test_states_and_triggers_have_english_labels():
    """Each state and each trigger carries its English label."""
    for item in (*workflows.STATES, *workflows.TRANSITIONS):
        assert item.label_en.strip() and not CHINESE.search(item.label_en), item


@pytest.mark.parametrize("kind", LABELS)
def test_each_kind_labels_the_same_codes_in_both_languages(kind):
    """label_of never finds a Chinese label without an English one."""
    chinese, english = LABELS[kind]
    assert list(chinese) == list(english)
    assert all(CHINESE.search(label) for label in chinese.values())
