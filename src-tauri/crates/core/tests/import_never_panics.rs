//! Robustness: arbitrary bytes and Markdown-ish noise never panic; deep nesting and very long
//! lines neither overflow the stack nor take quadratic time.

mod common;

use std::time::{Duration, Instant};

use common::*;
use greenlight_core::import::MAX_ITEM_DEPTH;
use greenlight_core::import_markdown;
use proptest::prelude::*;

/// Generous for a debug build on a shared machine; quadratic behaviour would take minutes.
const TIME_LIMIT: Duration = Duration::from_secs(20);

fn timed_import(
    source: &str,
) -> (
    Result<greenlight_core::Template, greenlight_core::ImportError>,
    Duration,
) {
    let start = Instant::now();
    let result = import_markdown(source.as_bytes(), "x");
    (result, start.elapsed())
}

fn depth(item: &greenlight_core::Item) -> usize {
    1 + item.children.iter().map(depth).max().unwrap_or(0)
}

#[test]
fn a_thousand_nested_checkbox_levels_are_flattened_at_the_depth_cap() {
    let source: String = (0..1000)
        .map(|level| format!("{}- [ ] level {level}\n", "  ".repeat(level)))
        .collect();
    let (result, elapsed) = timed_import(&source);
    let template = result.expect("imports");
    assert!(elapsed < TIME_LIMIT, "took {elapsed:?}");
    assert_eq!(items(&template).len(), 1000);
    let top = items(&template)[0];
    assert_eq!(depth(top), MAX_ITEM_DEPTH);
    assert!(
        template
            .report
            .warnings
            .iter()
            .any(|w| w.contains("nested deeper than 64 levels"))
    );
    let lines: Vec<u32> = items(&template).iter().map(|item| item.line).collect();
    assert!(
        lines.windows(2).all(|pair| pair[0] < pair[1]),
        "source order kept"
    );
}

#[test]
fn a_thousand_nested_block_quotes_and_bullets_do_not_overflow() {
    let quotes = format!("{}- [ ] deep quote\n", "> ".repeat(1000));
    let (result, elapsed) = timed_import(&quotes);
    assert!(result.is_ok() && elapsed < TIME_LIMIT, "{elapsed:?}");
    let bullets = format!("{}[ ] deep bullets\n", "- ".repeat(1000));
    let (result, elapsed) = timed_import(&bullets);
    assert!(result.is_ok() && elapsed < TIME_LIMIT, "{elapsed:?}");
}

#[test]
fn a_one_megabyte_line_imports_in_linear_time() {
    let long_title = format!("# T\n\n- [ ] {}\n", "word ".repeat(200_000));
    let blanks = format!("# T\n\n- [ ] ok\n\n{}\n", "Label: ____ ms ".repeat(70_000));
    let markup = format!("# T\n\n- [ ] ok\n\n{}\n", "**[a](b * _c_ ".repeat(80_000));
    let boxes = format!("# T\n\n- [ ] {}\n", "[ ] X ".repeat(170_000));
    for source in [long_title, blanks, markup, boxes] {
        assert!(source.len() >= 1_000_000);
        let (result, elapsed) = timed_import(&source);
        assert!(result.is_ok(), "{:?}", result.err());
        assert!(elapsed < TIME_LIMIT, "took {elapsed:?}");
    }
}

/// Fragments that exercise every recogniser when glued together at random.
fn markdownish() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "- [ ] ",
        "* [x] ",
        "1. [X] ",
        "#",
        "## ",
        "```",
        "```bash\n",
        "____",
        "**",
        "*",
        "_",
        "[ ] GO",
        "[ ] NO-GO",
        " / ",
        "✓ PASS",
        "Decision: ",
        "Decision Authority: ",
        "Date: ",
        "QA Lead: ",
        "(Signature)",
        "# Expected: ",
        "-- Expected: ",
        "Expected: ",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "  ",
        "    ",
        "\t",
        "> ",
        "| a | b |\n|---|---|\n",
        "<script>",
        "<!-- ",
        "-->",
        "[link](javascript:x)",
        "🚀",
        "é",
        "中文",
        "\u{fe0f}",
        "\u{200d}",
        "ms ",
        "% ",
    ]);
    prop::collection::vec(
        prop_oneof![fragment.prop_map(str::to_string), "[a-zA-Z0-9 :/()]{0,8}"],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_markdown(&bytes, "x");
    }

    #[test]
    fn markdownish_text_never_panics_and_keeps_its_invariants(source in markdownish()) {
        if let Ok(template) = import_markdown(source.as_bytes(), "x") {
            let ids = ids(&template);
            let unique: std::collections::HashSet<&String> = ids.iter().collect();
            prop_assert_eq!(unique.len(), ids.len());
            prop_assert_eq!(template.report.items as usize, items(&template).len());
            prop_assert!(items(&template).iter().all(|item| depth(item) <= MAX_ITEM_DEPTH));
        }
    }
}
