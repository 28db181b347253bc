//! Stable element ids. An id is the first 16 hex digits of SHA-256 over (kind, the id of the
//! enclosing section, the element's normalised text, its occurrence among elements of the same
//! kind and text in that section). A section's own id hangs off its parent section's id (its
//! heading path); items at any depth and their fields, choices and signatures hang off their
//! section; metadata fields off a fixed root. So editing, adding, removing or re-nesting an
//! element changes no other element's id, unless an identical-text element follows it in the
//! same section (its occurrence index shifts) or a heading above it is renamed.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::markup::squash_spaces;
use crate::model::{Block, Item, Section, Template};

const ID_HEX_DIGITS: usize = 16;
const METADATA_PARENT: &str = "metadata";

/// Fills in every id of the template.
pub(crate) fn assign_ids(template: &mut Template) {
    let mut metadata = Siblings::new(METADATA_PARENT);
    for field in &mut template.metadata_fields {
        field.id = metadata.id("field", &field_text(&field.label, field.unit.as_deref()));
    }
    let mut top = Siblings::new("");
    for section in &mut template.sections {
        assign_section(section, &mut top);
    }
}

/// Counts identical siblings under one parent and derives their ids.
struct Siblings<'p> {
    parent: &'p str,
    seen: HashMap<(&'static str, String), u32>,
}

impl<'p> Siblings<'p> {
    fn new(parent: &'p str) -> Self {
        Self {
            parent,
            seen: HashMap::new(),
        }
    }

    fn id(&mut self, kind: &'static str, text: &str) -> String {
        let text = squash_spaces(text);
        let count = self.seen.entry((kind, text.clone())).or_insert(0);
        let occurrence = *count;
        *count += 1;
        element_id(kind, self.parent, &text, occurrence)
    }
}

/// The id of one element: kind, parent id, normalised text and occurrence, length-prefixed.
pub(crate) fn element_id(kind: &str, parent: &str, text: &str, occurrence: u32) -> String {
    let mut hasher = Sha256::new();
    for part in [kind, parent, text] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.update(occurrence.to_le_bytes());
    let digest = hasher.finalize();
    let mut id = hex::encode(digest);
    id.truncate(ID_HEX_DIGITS);
    id
}

fn assign_section(section: &mut Section, siblings: &mut Siblings<'_>) {
    section.id = siblings.id("section", &section.title);
    let parent = section.id.clone();
    let mut blocks = Siblings::new(&parent);
    for block in &mut section.blocks {
        match block {
            Block::Prose { .. } | Block::Code(_) => {}
            Block::Item(item) => assign_item(item, &mut blocks),
            Block::Field(field) => {
                field.id = blocks.id("field", &field_text(&field.label, field.unit.as_deref()))
            }
            Block::Choice(choice) => {
                choice.id = blocks.id("choice", &choice_text(&choice.label, &choice.options))
            }
            Block::Signature(slot) => {
                slot.id = blocks.id("signature", &signature_text(&slot.role, slot.dated))
            }
            Block::Gate(gate) => {
                gate.id = blocks.id("gate", &choice_text(&gate.title, &gate.options))
            }
        }
    }
    let mut children = Siblings::new(&parent);
    for child in &mut section.children {
        assign_section(child, &mut children);
    }
}

/// Items nest at most `MAX_ITEM_DEPTH` levels, so this recursion is bounded. Items, their
/// fields, choices and signature all count as siblings in the section, whatever their depth.
fn assign_item(item: &mut Item, section: &mut Siblings<'_>) {
    item.id = section.id("item", &item_text(item));
    for field in &mut item.fields {
        field.id = section.id("field", &field_text(&field.label, field.unit.as_deref()));
    }
    for choice in &mut item.choices {
        choice.id = section.id("choice", &choice_text(&choice.label, &choice.options));
    }
    if let Some(slot) = &mut item.signature {
        slot.id = section.id("signature", &signature_text(&slot.role, slot.dated));
    }
    for child in &mut item.children {
        assign_item(child, section);
    }
}

fn item_text(item: &Item) -> String {
    format!("{}\u{1f}{}", item.title, item.detail)
}

fn field_text(label: &str, unit: Option<&str>) -> String {
    format!("{label}\u{1f}{}", unit.unwrap_or(""))
}

fn choice_text(label: &str, options: &[String]) -> String {
    format!("{label}\u{1f}{}", options.join("\u{1f}"))
}

fn signature_text(role: &str, dated: bool) -> String {
    format!("{role}\u{1f}{dated}")
}

#[cfg(test)]
mod tests {
    use super::element_id;

    #[test]
    fn ids_are_sixteen_hex_digits_and_depend_on_every_part() {
        let id = element_id("item", "parent", "Check backups", 0);
        assert_eq!(id.len(), 16);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(id, element_id("item", "parent", "Check backups", 0));
        assert_ne!(id, element_id("item", "parent", "Check backups", 1));
        assert_ne!(id, element_id("field", "parent", "Check backups", 0));
        assert_ne!(id, element_id("item", "other", "Check backups", 0));
    }
}
