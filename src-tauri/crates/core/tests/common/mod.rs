//! Helpers shared by the importer's integration tests: reading seeds and fixtures, flattening a
//! template into its elements, and the line and blank accounting the conformance tests check.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use greenlight_core::{
    Block, Choice, Field, Gate, Item, Section, SignatureSlot, Template, import_markdown, run,
};

/// The seed corpus beside the project (`../shared/seeds` from the repository root).
pub fn seed_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/seeds"
    ))
}

/// The seeds as (file name, text), sorted by name; `None` (with a printed reason) when absent.
pub fn seeds() -> Option<Vec<(String, String)>> {
    let dir = seed_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: seed folder {} is absent", dir.display());
        return None;
    };
    let mut seeds: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().to_string();
            Some((name, std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    seeds.sort();
    if seeds.is_empty() {
        eprintln!("skipping: no seeds in {}", dir.display());
        return None;
    }
    Some(seeds)
}

/// The seed whose file name starts with `prefix` (`"002"`).
pub fn seed(prefix: &str) -> Option<(String, String)> {
    seeds()?
        .into_iter()
        .find(|(name, _)| name.starts_with(prefix))
}

/// A fixture from `tests/fixtures`.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn import(source: &str) -> Template {
    import_markdown(source.as_bytes(), "Fallback title")
        .unwrap_or_else(|e| panic!("import failed: {e}"))
}

/// Every section, depth first.
pub fn sections(template: &Template) -> Vec<&Section> {
    let mut out = Vec::new();
    let mut stack: Vec<&Section> = template.sections.iter().rev().collect();
    while let Some(section) = stack.pop() {
        out.push(section);
        stack.extend(section.children.iter().rev());
    }
    out
}

pub fn section<'t>(template: &'t Template, title: &str) -> &'t Section {
    sections(template)
        .into_iter()
        .find(|section| section.title == title)
        .unwrap_or_else(|| panic!("no section {title:?}"))
}

pub fn items(template: &Template) -> Vec<&Item> {
    run::items_in_order(template)
}

pub fn item<'t>(template: &'t Template, title: &str) -> &'t Item {
    items(template)
        .into_iter()
        .find(|item| item.title == title)
        .unwrap_or_else(|| panic!("no item {title:?}"))
}

pub fn blocks(template: &Template) -> Vec<&Block> {
    sections(template)
        .into_iter()
        .flat_map(|section| section.blocks.iter())
        .collect()
}

/// Metadata fields, field blocks and item fields.
pub fn fields(template: &Template) -> Vec<&Field> {
    let mut out: Vec<&Field> = template.metadata_fields.iter().collect();
    out.extend(
        blocks(template)
            .into_iter()
            .filter_map(|block| match block {
                Block::Field(field) => Some(field),
                _ => None,
            }),
    );
    out.extend(
        items(template)
            .into_iter()
            .flat_map(|item| item.fields.iter()),
    );
    out
}

pub fn signatures(template: &Template) -> Vec<&SignatureSlot> {
    let mut out: Vec<&SignatureSlot> = blocks(template)
        .into_iter()
        .filter_map(|block| match block {
            Block::Signature(slot) => Some(slot),
            _ => None,
        })
        .collect();
    out.extend(
        items(template)
            .into_iter()
            .filter_map(|item| item.signature.as_ref()),
    );
    out
}

pub fn choices(template: &Template) -> Vec<&Choice> {
    let mut out: Vec<&Choice> = blocks(template)
        .into_iter()
        .filter_map(|block| match block {
            Block::Choice(choice) => Some(choice),
            _ => None,
        })
        .collect();
    out.extend(
        items(template)
            .into_iter()
            .flat_map(|item| item.choices.iter()),
    );
    out
}

pub fn gates(template: &Template) -> Vec<&Gate> {
    blocks(template)
        .into_iter()
        .filter_map(|block| match block {
            Block::Gate(gate) => Some(gate),
            _ => None,
        })
        .collect()
}

pub fn prose(template: &Template) -> Vec<&str> {
    blocks(template)
        .into_iter()
        .filter_map(|block| match block {
            Block::Prose { markdown, .. } => Some(markdown.as_str()),
            _ => None,
        })
        .collect()
}

/// Every id in the template, in a stable order.
pub fn ids(template: &Template) -> Vec<String> {
    let mut out: Vec<String> = sections(template).iter().map(|s| s.id.clone()).collect();
    out.extend(items(template).iter().map(|i| i.id.clone()));
    out.extend(fields(template).iter().map(|f| f.id.clone()));
    out.extend(choices(template).iter().map(|c| c.id.clone()));
    out.extend(signatures(template).iter().map(|s| s.id.clone()));
    out.extend(gates(template).iter().map(|g| g.id.clone()));
    out
}

/// Lines taken by structured elements: the title heading, section headings, item spans
/// (nested content included), fields, choices, signatures and gates.
pub fn structured_lines(source: &str, template: &Template) -> BTreeSet<u32> {
    let mut lines = BTreeSet::new();
    // The model keeps the title's text, not its line: the first ATX H1 is the title heading.
    if let Some(title_line) = source.lines().position(|line| line.starts_with("# ")) {
        lines.insert(title_line as u32 + 1);
    }
    lines.extend(sections(template).iter().map(|s| s.line));
    for span in &template.report.item_spans {
        lines.extend(span.first_line..=span.last_line);
    }
    lines.extend(fields(template).iter().map(|f| f.line));
    lines.extend(choices(template).iter().map(|c| c.line));
    lines.extend(signatures(template).iter().map(|s| s.line));
    lines.extend(gates(template).iter().map(|g| g.line));
    lines
}

/// Non-blank source lines that are neither structured nor listed in the import report.
pub fn unaccounted_lines(source: &str, template: &Template) -> Vec<u32> {
    let structured = structured_lines(source, template);
    let reported: BTreeSet<u32> = template
        .report
        .unstructured
        .iter()
        .map(|line| line.line)
        .collect();
    source
        .lines()
        .enumerate()
        .map(|(index, text)| (index as u32 + 1, text))
        .filter(|(line, text)| {
            !text.trim().is_empty() && !structured.contains(line) && !reported.contains(line)
        })
        .map(|(line, _)| line)
        .collect()
}

/// Runs of 3+ underscores in the raw text, outside fenced code blocks.
pub fn blank_runs_outside_fences(source: &str) -> usize {
    let mut in_fence = false;
    let mut runs = 0;
    for line in source.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence {
            runs += underscore_runs(line);
        }
    }
    runs
}

pub fn underscore_runs(text: &str) -> usize {
    text.split(|c| c != '_')
        .filter(|run| run.len() >= 3)
        .count()
}

/// Blanks the import accounted for: one per field, one per signature plus one more when it is
/// dated, and the runs on filler lines the report lists as ignored.
pub fn accounted_blanks(template: &Template) -> usize {
    let filler: usize = template
        .report
        .unstructured
        .iter()
        .filter(|line| line.disposition == greenlight_core::LineDisposition::Ignored)
        .map(|line| underscore_runs(&line.text))
        .sum();
    let signature_blanks: usize = signatures(template)
        .iter()
        .map(|slot| 1 + usize::from(slot.dated))
        .sum();
    fields(template).len() + signature_blanks + filler
}
