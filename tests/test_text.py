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


def test_a_share_reads_as_none_or_all_only_when_it_is():
    """game.text.percent: more digits near 0 and near 1, so that 1,999 runs of 2,000 read
    99.95%, not 100.0%, and 1 of 25,000 reads 0.004%."""
    from game.text import percent

    assert percent(0.0) == "0.0%" and percent(1.0) == "100.0%"
    assert percent(1999 / 2000) == "99.95%"
    assert percent(1 / 2000) == "0.05%"
    assert percent(1 / 25_000) == "0.004%" and percent(1 - 1 / 25_000) == "99.996%"
    assert percent(0.5) == "50.0%" and percent(0.0104) == "1.0%"
    for n in range(1, 2000):
        x = n / 2000
        assert percent(x) not in ("0.0%", "100.0%")
