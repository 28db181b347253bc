//! The window and the paper read the same: for every seed and bundled checklist (and a fixture
//! of tricky Markdown), every item's display title, which the window shows, is what the blank
//! PDF prints (whitespace-normalised, as the PDF wraps lines). Needs `pdftotext`
//! (poppler-utils); seeds live in `../shared/seeds` and are skipped when absent.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use greenlight_core::{Block, Item, Section, Template, import_markdown};
use greenlight_pdf::{Face, FontCoverage, Paper, printable, render_blank};

const TRICKY: &str = "# Tricky titles

## Checks

- [ ] **bold** lead
- [ ] run `code` now
- [ ] ~~struck~~ text
- [ ] set snake_case_name
- [ ] compute 2 * 3 * 4
- [ ] see [link](http://x)
- [ ] keep <b>html</b> literal
- [ ] Tom &amp; Jerry
- [ ] **Ratio 2 * 3 &amp; 4:** ____

**Decision Authority:** *Ann* &amp; Bob

**Decision: [ ] GO [ ] NO-GO**
";

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let mut files = vec![("tricky".to_string(), TRICKY.to_string())];
    files.extend(read_dir(&root.join("checklists"), "md"));
    let seeds = root.join("../shared/seeds");
    if seeds.is_dir() {
        files.extend(read_dir(&seeds, "txt"));
        // The seeds folder's README.md describes them; it is not a checklist.
        files.extend(
            read_dir(&seeds, "md")
                .into_iter()
                .filter(|(name, _)| name != "README.md"),
        );
    } else {
        eprintln!("skipping the seeds: no seed folder at {}", seeds.display());
    }
    files
}

fn read_dir(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|read| read.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == ext));
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&path).expect("UTF-8 text"))
        })
        .collect()
}

/// What the window shows as each item's title (`ItemCard`: the display title, or the detail
/// when the item has no title) and each gate's title.
fn window_texts(template: &Template) -> Vec<String> {
    fn walk_item(item: &Item, out: &mut Vec<String>) {
        out.push(if item.title.trim().is_empty() {
            item.detail.clone()
        } else {
            item.display_title.clone()
        });
        item.children.iter().for_each(|child| walk_item(child, out));
    }
    fn walk_section(section: &Section, out: &mut Vec<String>) {
        for block in &section.blocks {
            match block {
                Block::Item(i) => walk_item(i, out),
                Block::Gate(gate) => out.push(gate.display_title.clone()),
                _ => {}
            }
        }
        section
            .children
            .iter()
            .for_each(|child| walk_section(child, out));
    }
    let mut out = Vec::new();
    template
        .sections
        .iter()
        .for_each(|s| walk_section(s, &mut out));
    out
}

#[test]
fn every_item_title_the_window_shows_is_printed_on_the_blank_pdf() {
    if !have("pdftotext") {
        eprintln!("skipping: pdftotext (poppler-utils) is not installed");
        return;
    }
    let dir = temp_dir();
    let coverage = FontCoverage::of(Face::Regular);
    for (name, source) in sources() {
        let template = import_markdown(source.as_bytes(), &name)
            .unwrap_or_else(|e| panic!("{name}: import failed: {e}"));
        let pdf = render_blank(&template, &blank_options(Paper::A4)).expect("render blank");
        let file = write(dir.path(), &format!("{name}.pdf"), &pdf);
        let text = normalise(&pdftotext(&file));
        let expected = window_texts(&template);
        assert!(!expected.is_empty(), "{name}: no items");
        for title in &expected {
            let want = normalise(&printable(title, &coverage));
            assert!(
                text.contains(&want),
                "{name}: the window's title {want:?} is not in the PDF text"
            );
        }
    }
}

#[test]
fn tricky_markdown_prints_as_display_text() {
    if !have("pdftotext") {
        eprintln!("skipping: pdftotext (poppler-utils) is not installed");
        return;
    }
    let template = import_markdown(TRICKY.as_bytes(), "tricky").expect("import");
    let dir = temp_dir();
    let pdf = render_blank(&template, &blank_options(Paper::A4)).expect("render blank");
    let text = normalise(&pdftotext(&write(dir.path(), "tricky.pdf", &pdf)));
    for want in [
        "bold lead",
        "run code now",
        "struck text",
        "set snake_case_name",
        "compute 2 * 3 * 4",
        "see link",
        "keep <b>html</b> literal",
        "Tom & Jerry",
        "Ratio 2 * 3 & 4:",
        "Decision authority: Ann & Bob",
    ] {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
    for marker in ["**", "~~", "`", "&amp;", "](http"] {
        assert!(!text.contains(marker), "{marker:?} printed in {text}");
    }
}
