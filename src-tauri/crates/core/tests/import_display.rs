//! Display text: the importer gives every text a person reads in its display form (from the
//! parser's events), once, for the window and the paper alike; ids stay derived from the same
//! text as before.

mod common;

use common::*;
use greenlight_core::{Block, LineStyle, spans_text};

const TRICKY: &str = "# T

## Checks

- [ ] **bold** done
- [ ] run `code` now
- [ ] ~~struck~~ text
- [ ] set snake_case_name
- [ ] compute 2 * 3 * 4
- [ ] see [link](http://x)
- [ ] keep <b>html</b>
- [ ] Tom &amp; Jerry
";

#[test]
fn item_titles_are_display_text() {
    let template = import(TRICKY);
    let titles: Vec<&str> = items(&template)
        .iter()
        .map(|item| item.display_title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "bold",
            "run code now",
            "struck text",
            "set snake_case_name",
            "compute 2 * 3 * 4",
            "see link",
            "keep <b>html</b>",
            "Tom & Jerry",
        ]
    );
    for item in items(&template) {
        if !item.title.is_empty() {
            assert_eq!(
                item.display_title, item.title,
                "parser titles are display text"
            );
        }
    }
}

#[test]
fn labels_read_by_the_recognisers_get_display_text_and_keep_their_ids() {
    let source = "# T\n\n## Sign-off\n\n- [ ] **Ratio 2 * 3 &amp; 4:** ____\n- [ ] **QA &amp; Test Lead:** ____ Date: ____\n- [ ] Result `x`: PASS / FAIL\n\n**Decision Authority:** *Ann* &amp; Bob\n\n**Decision: [ ] GO [ ] NO-GO**\n";
    let template = import(source);
    let field = items(&template)[0].fields[0].clone();
    assert_eq!(field.display_label, "Ratio 2 * 3 & 4");
    assert_eq!(
        field.label, "Ratio 2  3 &amp; 4",
        "the label ids hash is unchanged"
    );
    assert_eq!(items(&template)[0].display_title, "Ratio 2 * 3 & 4");
    let slot = items(&template)[1].signature.clone().expect("signature");
    assert_eq!(slot.display_role, "QA & Test Lead");
    assert_eq!(items(&template)[2].choices[0].display_label, "Result x");
    let gate = blocks(&template)
        .into_iter()
        .find_map(|block| match block {
            Block::Gate(gate) => Some(gate.clone()),
            _ => None,
        })
        .expect("gate");
    assert_eq!(gate.display_title, "Sign-off");
    assert_eq!(gate.display_authority.as_deref(), Some("Ann & Bob"));
}

#[test]
fn notes_prose_and_tables_become_display_lines() {
    let source = "# T\n\nIntro with **bold** and `code`.\n\n## S\n\n> quoted *text*\n\n- plain bullet\n  - nested [link](http://x)\n\n| **Role** | Name |\n|---|---|\n| QA &amp; Test | <i>Ann</i> |\n\n<div>raw</div>\n\n- [ ] Item\n  - note with `cmd` and __strong__\n    - deeper note\n  - Expected: **200** OK\n";
    let template = import(source);
    let description: Vec<String> = template
        .description_lines
        .iter()
        .map(|line| line.text())
        .collect();
    assert_eq!(description, ["Intro with bold and code."]);
    let code = &template.description_lines[0].spans;
    assert!(code.iter().any(|span| span.code && span.text == "code"));
    assert!(
        code.iter()
            .any(|span| span.strong && span.text.trim() == "bold")
    );
    let prose: Vec<(LineStyle, u8, String)> = blocks(&template)
        .into_iter()
        .filter_map(|block| match block {
            Block::Prose { lines, .. } => Some(lines.clone()),
            _ => None,
        })
        .flatten()
        .map(|line| (line.style, line.depth, line.text()))
        .collect();
    assert_eq!(
        prose,
        [
            (LineStyle::Quote, 0, "quoted text".to_string()),
            (LineStyle::Bullet, 0, "plain bullet".to_string()),
            (LineStyle::Bullet, 1, "nested link".to_string()),
            (LineStyle::TableHeader, 0, "Role | Name".to_string()),
            (LineStyle::TableRow, 0, "QA & Test | <i>Ann</i>".to_string()),
            (LineStyle::Verbatim, 0, "<div>raw</div>".to_string()),
        ]
    );
    let item = item(&template, "Item");
    let notes: Vec<(u8, String)> = item
        .note_lines
        .iter()
        .map(|line| (line.depth, spans_text(&line.spans)))
        .collect();
    assert_eq!(
        notes,
        [
            (0, "note with cmd and strong".to_string()),
            (1, "deeper note".to_string())
        ]
    );
    assert_eq!(item.expectations, ["200 OK"]);
    assert_eq!(item.display_expectations, ["200 OK"]);
}

#[test]
fn every_seed_and_bundled_item_has_a_display_title() {
    let mut sources = bundled();
    match seeds() {
        Some(seeds) => sources.extend(seeds),
        None => eprintln!("skipped the seeds: {} is absent", seed_dir().display()),
    }
    for (name, source) in &sources {
        let template = import(source);
        for item in items(&template) {
            assert!(
                !item.display_title.is_empty() || item.title.is_empty(),
                "{name} line {}",
                item.line
            );
            assert!(
                !item.display_title.contains("**") && !item.display_title.contains('`'),
                "{name} line {}: {}",
                item.line,
                item.display_title
            );
            assert_eq!(
                item.notes.is_empty(),
                item.note_lines.is_empty(),
                "{name} line {}",
                item.line
            );
            assert_eq!(
                item.display_expectations.len(),
                item.expectations.len(),
                "{name} line {}",
                item.line
            );
        }
    }
}

fn bundled() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../checklists");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("checklists folder")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(entry.path()).expect("readable"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_markdown_snippet_reads_as_display_lines() {
    let lines: Vec<String> = greenlight_core::display_lines("**Bold** `x`\n\n- one\n  - two\n")
        .iter()
        .map(|line| line.text())
        .collect();
    assert_eq!(lines, ["Bold x", "one", "two"]);
}
