"""The three-way merge of one field: both people's words kept, or a conflict — never a guess."""

from __future__ import annotations

import random

import pytest

from worksheets.sheet.merge import Overlap, edits, sentences, three_way

BASE = "利用者数は延べ1,000人。外出頻度は週1回以上。満足度は80%。"


def test_edits_of_different_sentences_are_both_kept():
    mine = BASE.replace("1,000人", "1,200人")
    theirs = BASE.replace("80%", "90%")
    assert (
        three_way(BASE, mine, theirs) == "利用者数は延べ1,200人。外出頻度は週1回以上。満足度は90%。"
    )


def test_the_order_of_the_two_sides_does_not_change_the_result():
    mine = BASE.replace("週1回", "週2回")
    theirs = "はじめに。" + BASE
    assert three_way(BASE, mine, theirs) == three_way(BASE, theirs, mine)


def test_edits_of_the_same_sentence_conflict():
    mine = BASE.replace("外出頻度は", "外出の頻度は")
    theirs = BASE.replace("週1回以上", "週3回以上")
    with pytest.raises(Overlap) as overlap:
        three_way(BASE, mine, theirs)
    start, end = overlap.value.spans[0]
    assert BASE[start:end] == "外出頻度は週1回以上。"


@pytest.mark.parametrize("theirs", ["800", "1,001", "2,000"])
def test_the_same_number_changed_two_ways_conflicts(theirs):
    with pytest.raises(Overlap):
        three_way("1,000", "1,200", theirs)


def test_the_same_number_changed_two_ways_inside_a_sentence_conflicts():
    with pytest.raises(Overlap):
        three_way(BASE, BASE.replace("1,000", "1,200"), BASE.replace("1,000", "800"))


def test_the_same_change_made_by_both_is_taken_once():
    mine = BASE.replace("80%", "90%")
    assert three_way(BASE, mine, mine) == mine
    both = mine.replace("1,000", "1,200")
    assert three_way(BASE, mine, both) == both


def test_two_sentences_added_at_the_end_conflict_because_their_order_is_unknown():
    with pytest.raises(Overlap):
        three_way(BASE, BASE + "甲。", BASE + "乙。")


def test_a_sentence_added_at_the_end_merges_with_an_edit_of_the_last_one():
    mine = BASE + "追記。"
    theirs = BASE.replace("80%", "85%")
    assert three_way(BASE, mine, theirs) == BASE.replace("80%", "85%") + "追記。"


def test_lines_count_as_sentences():
    base = "移動支援\n買い物支援\n見守り"
    merged = three_way(
        base, base.replace("移動支援", "移動の支援"), base.replace("見守り", "見守り活動")
    )
    assert merged == "移動の支援\n買い物支援\n見守り活動"


def test_characters_outside_the_bmp_survive():
    base = "𠮷野家で集合。𩸽を食べる。"
    merged = three_way(base, base.replace("𠮷野家", "𠮷野屋"), base.replace("𩸽", "𩸽と🍣"))
    assert merged == "𠮷野屋で集合。𩸽と🍣を食べる。"
    merged.encode("utf-8")  # would raise on half a surrogate pair
    assert (
        three_way(base, base.replace("𠮷", "吉"), base.replace("𩸽", "鯖"))
        == "吉野家で集合。鯖を食べる。"
    )


def test_combining_characters_survive():
    ga = "か\u3099"  # が written as か + combining voiced mark
    base = f"{ga}っこうで集合。午後2時。"
    merged = three_way(
        base, base.replace("午後2時", "午後3時"), base.replace(f"{ga}っこう", f"{ga}くしゅう")
    )
    assert merged == f"{ga}くしゅうで集合。午後3時。"


def test_a_combining_mark_removed_on_one_side_is_removed():
    base = "か\u3099っこう。午後。"
    merged = three_way(base, "かっこう。午後。", base.replace("午後", "午前"))
    assert merged == "かっこう。午前。"


def test_a_merge_is_idempotent():
    mine = BASE.replace("1,000人", "1,200人")
    theirs = BASE.replace("80%", "90%")
    merged = three_way(BASE, mine, theirs)
    assert three_way(BASE, mine, merged) == merged
    assert three_way(BASE, theirs, merged) == merged
    assert three_way(merged, merged, merged) == merged


def test_an_unchanged_side_gives_the_other():
    assert three_way(BASE, BASE, "別の文。") == "別の文。"
    assert three_way(BASE, "別の文。", BASE) == "別の文。"


def test_an_empty_base_with_two_new_texts_conflicts():
    with pytest.raises(Overlap):
        three_way("", "甲", "乙")


def test_edits_are_runs_of_whole_sentences_of_the_base():
    (edit,) = edits("abc。def。ghi。", "abc。dXf。ghi。")
    assert (edit.start, edit.end, edit.text) == (4, 8, "dXf。")
    (added,) = edits("abc。", "abc。def。")
    assert (added.start, added.end, added.text) == (4, 4, "def。")
    (removed,) = edits("abc。def。ghi。", "abc。ghi。")
    assert (removed.start, removed.end, removed.text) == (4, 8, "")


def test_sentences_cover_the_whole_text():
    text = "一文目。「二文目！」三文目\n\n四"
    spans = sentences(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert [text[s:e] for s, e in spans] == ["一文目。", "「二文目！」", "三文目\n", "\n", "四"]


def test_random_edits_of_different_sentences_always_merge_to_both():
    rng = random.Random(20261202)
    words = ["移動支援", "𠮷田さん", "1,000人", "か\u3099", "見守り", "a"]
    for _ in range(500):
        parts = [rng.choice(words) + "。" for _ in range(rng.randint(2, 6))]
        i, j = rng.sample(range(len(parts)), 2)
        mine_parts, their_parts = list(parts), list(parts)
        mine_parts[i] = rng.choice(words) + "甲。"
        their_parts[j] = rng.choice(words) + "乙。"
        expected = list(parts)
        expected[i], expected[j] = mine_parts[i], their_parts[j]
        base, mine, theirs = "".join(parts), "".join(mine_parts), "".join(their_parts)
        assert three_way(base, mine, theirs) == "".join(expected), (base, mine, theirs)
