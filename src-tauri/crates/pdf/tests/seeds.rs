//! Every seed checklist prints as a blank PDF in which every item title can be read back, only
//! embedded fonts are used and qpdf finds no structural error.

mod common;

use std::path::PathBuf;

use common::*;
use greenlight_core::{Block, Item, Section, import_markdown};
use greenlight_pdf::{Face, FontCoverage, Paper, printable, render_blank};

fn seeds_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/seeds"
    ))
}

fn seed_files() -> Option<Vec<PathBuf>> {
    let dir = seeds_dir();
    let Ok(read) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipping the seed tests: no seed folder at {}",
            dir.display()
        );
        return None;
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        eprintln!(
            "skipping the seed tests: {} holds no .txt seeds",
            dir.display()
        );
        return None;
    }
    Some(files)
}

fn titles(section: &Section, out: &mut Vec<String>) {
    fn walk(item: &Item, out: &mut Vec<String>) {
        let title = if item.title.trim().is_empty() {
            &item.detail
        } else {
            &item.title
        };
        out.push(title.clone());
        for child in &item.children {
            walk(child, out);
        }
    }
    for block in &section.blocks {
        if let Block::Item(i) = block {
            walk(i, out);
        }
    }
    for child in &section.children {
        titles(child, out);
    }
}

#[test]
fn every_seed_prints_blank_with_every_item_title_readable_embedded_fonts_and_a_valid_structure() {
    let Some(files) = seed_files() else { return };
    if !(have("pdftotext") && have("pdffonts") && have("qpdf")) {
        return;
    }
    let dir = temp_dir();
    let coverage = FontCoverage::of(Face::Regular);
    for path in files {
        let name = path
            .file_stem()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).expect("read seed");
        let template =
            import_markdown(&bytes, &name).unwrap_or_else(|e| panic!("{name}: import failed: {e}"));
        for paper in [Paper::A4, Paper::Letter] {
            let pdf = render_blank(&template, &blank_options(paper)).expect("render blank");
            let file = write(dir.path(), &format!("{name}-{paper:?}.pdf"), &pdf);
            assert_qpdf_ok(&file);
            assert_fonts_embedded(&file);
            let text = normalise(&pdftotext(&file));
            let mut expected = Vec::new();
            for section in &template.sections {
                titles(section, &mut expected);
            }
            assert!(!expected.is_empty(), "{name}: no items");
            for title in &expected {
                let want = normalise(&printable(title, &coverage));
                assert!(
                    text.contains(&want),
                    "{name} ({paper:?}): item title not found in the PDF text: {want:?}"
                );
            }
            assert!(text.contains("Page 1 of"), "{name}: footer missing");
        }
    }
}

#[test]
fn every_character_of_the_seeds_prints_or_is_replaced_by_a_readable_fallback() {
    let Some(files) = seed_files() else { return };
    for face in [Face::Regular, Face::Bold, Face::Mono] {
        let coverage = FontCoverage::of(face);
        for path in &files {
            let text = std::fs::read_to_string(path).expect("seed is UTF-8");
            let out = printable(&text, &coverage);
            for ch in out.chars().filter(|c| !c.is_whitespace()) {
                assert!(
                    coverage.covers(ch),
                    "{face:?} cannot print {ch:?} after fallback ({})",
                    path.display()
                );
            }
            for emoji in ['🚀', '📊', '🧪'] {
                assert!(!out.contains(emoji));
            }
        }
    }
}
