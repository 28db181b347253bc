//! Hostile sizes: a 100,000-item template imports whole; a 50 MB one is refused by size before
//! anything is parsed.

use greenlight_core::{ImportError, MAX_TEMPLATE_BYTES, import_markdown};

#[test]
fn a_hundred_thousand_items_import_with_every_item_and_unique_ids() {
    let mut text = String::from("# Huge\n\n");
    for n in 0..100_000 {
        if n % 1_000 == 0 {
            text.push_str(&format!("\n## Part {}\n\n", n / 1_000));
        }
        text.push_str(&format!("- [ ] step {n}\n"));
    }
    assert!(text.len() < MAX_TEMPLATE_BYTES);
    let template = import_markdown(text.as_bytes(), "huge").expect("imports");
    assert_eq!(template.report.items, 100_000);
    let ids: std::collections::HashSet<&str> = template
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .filter_map(|b| {
            if let greenlight_core::Block::Item(i) = b {
                Some(i.id.as_str())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(ids.len(), 100_000);
}

#[test]
fn fifty_megabytes_are_refused_by_size() {
    let text = "- [ ] x\n".repeat(50 * 1024 * 1024 / 8);
    match import_markdown(text.as_bytes(), "big") {
        Err(ImportError::TooLarge { size, limit }) => {
            assert_eq!(size, text.len());
            assert_eq!(limit, MAX_TEMPLATE_BYTES);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}
