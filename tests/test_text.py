"""Words shared by the program's text: capitals where a sentence starts, names as written."""

from game.text import counted, lower_first, sentence_case


def test_a_sentence_starts_with_a_capital_and_keeps_its_names():
    assert sentence_case("DMZ incident") == "DMZ incident"  # str.capitalize: "Dmz incident"
    assert sentence_case("taiwan Strait incident") == "Taiwan Strait incident"
    assert sentence_case("") == ""


def test_words_that_follow_others_keep_acronyms_and_names():
    assert lower_first("Move at the UN Security Council") == "move at the UN Security Council"
    assert lower_first("DMZ incident") == "DMZ incident"
    assert lower_first("Blockade / grey-zone clash") == "blockade / grey-zone clash"
    assert counted(1, "month") == "1 month" and counted(2000, "run") == "2,000 runs"
