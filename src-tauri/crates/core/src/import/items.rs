//! Building one checkbox item from its own text and nested content (notes, code, fields,
//! choices, signature, `Expected:` lines, child items).

use super::blanks::FieldSpec;
use super::choices::ChoiceSpec;
use super::line_kind::{LineContext, LineKind, classify};
use super::signatures::{SignatureSpec, mentions_sign_off};
use super::text_block::TextBlock;
use crate::model::{Choice, CodeBlock, Field, FieldKind, Item, SignatureSlot};

/// An item being built while the walker is inside it.
#[derive(Debug)]
pub(crate) struct ItemBuilder {
    item: Item,
    /// Sign-off context inherited from the section or a parent item (`All approvals obtained:`).
    inherited_sign_off: bool,
    mentions_sign_off: bool,
    /// Children were attached out of order because deep nesting was flattened.
    needs_child_sort: bool,
}

impl ItemBuilder {
    pub fn new(line: u32, checked: bool, inherited_sign_off: bool) -> Self {
        let item = Item {
            id: String::new(),
            line,
            title: String::new(),
            detail: String::new(),
            checked_in_source: checked,
            notes: Vec::new(),
            code: Vec::new(),
            expectations: Vec::new(),
            fields: Vec::new(),
            choices: Vec::new(),
            signature: None,
            children: Vec::new(),
        };
        Self {
            item,
            inherited_sign_off,
            mentions_sign_off: false,
            needs_child_sort: false,
        }
    }

    /// Sign-off context for this item's children.
    pub fn sign_off_for_children(&self) -> bool {
        self.inherited_sign_off || self.mentions_sign_off
    }

    fn context(&self) -> LineContext {
        LineContext {
            sign_off: self.sign_off_for_children(),
            in_item: true,
        }
    }

    /// The item's own text (the paragraph after the checkbox). Returns the filler lines found.
    pub fn set_own_text(&mut self, block: &TextBlock<'_>) -> Vec<(u32, usize)> {
        self.mentions_sign_off = mentions_sign_off(&block.plain());
        let context = LineContext {
            sign_off: self.inherited_sign_off,
            in_item: true,
        };
        let mut fillers = Vec::new();
        let mut detail = Vec::new();
        for (index, line) in block.lines.iter().enumerate() {
            let kind = classify(line.source, context);
            if index == 0 {
                self.set_title(block, &kind);
            } else if kind == LineKind::Text || matches!(kind, LineKind::Expectation(_)) {
                detail.push(line.plain.clone());
                continue;
            }
            if let LineKind::Filler(blanks) = kind {
                fillers.push((line.line, blanks));
            } else {
                self.add_structured(line.line, kind, None);
            }
        }
        if !detail.is_empty() {
            let joined = detail.join(" ");
            self.item.detail = if self.item.detail.is_empty() {
                joined
            } else {
                format!("{} {joined}", self.item.detail)
            };
        }
        fillers
    }

    fn set_title(&mut self, block: &TextBlock<'_>, kind: &LineKind) {
        let first_plain = block
            .lines
            .first()
            .map(|line| line.plain.clone())
            .unwrap_or_default();
        let label = match kind {
            LineKind::Fields(fields) => fields.first().map(|field| field.label.clone()),
            LineKind::Signature(signature) => Some(signature.role.clone()),
            LineKind::Choice(choice) => Some(choice.label.clone()),
            _ => None,
        };
        match (label, &block.bold_lead) {
            (Some(label), _) if !label.is_empty() => self.item.title = label,
            (Some(_), _) => self.item.title = first_plain,
            (None, Some((bold, after))) if !bold.is_empty() => {
                self.item.title = bold.trim_end_matches([':', ' ']).to_string();
                self.item.detail = after
                    .trim_start_matches(|c: char| c.is_whitespace() || ":-–—".contains(c))
                    .to_string();
            }
            (None, _) => self.item.title = first_plain,
        }
    }

    /// A nested paragraph or plain bullet: fields, choices, expectations, or notes. Returns filler lines.
    pub fn add_nested_text(
        &mut self,
        block: &TextBlock<'_>,
        full_lines: &[&str],
    ) -> Vec<(u32, usize)> {
        let context = self.context();
        let mut fillers = Vec::new();
        for (index, line) in block.lines.iter().enumerate() {
            match classify(line.source, context) {
                LineKind::Filler(blanks) => fillers.push((line.line, blanks)),
                LineKind::Text => self.item.notes.push(
                    full_lines
                        .get(index)
                        .copied()
                        .unwrap_or(line.source)
                        .to_string(),
                ),
                kind => self.add_structured(line.line, kind, full_lines.get(index).copied()),
            }
        }
        fillers
    }

    fn add_structured(&mut self, line: u32, kind: LineKind, full_line: Option<&str>) {
        match kind {
            LineKind::Fields(fields) => self
                .item
                .fields
                .extend(fields.into_iter().map(|spec| field(line, spec))),
            LineKind::Signature(signature) => self.add_signature(line, signature),
            LineKind::Choice(choice) => self.item.choices.push(choice_at(line, choice)),
            LineKind::Expectation(expected) => self.item.expectations.push(expected),
            LineKind::Text => {
                if let Some(text) = full_line {
                    self.item.notes.push(text.to_string());
                }
            }
            LineKind::Filler(_) => {}
        }
    }

    /// The first signature line signs the item; any further one becomes name and date fields.
    fn add_signature(&mut self, line: u32, signature: SignatureSpec) {
        if self.item.signature.is_none() {
            self.item.signature = Some(SignatureSlot {
                id: String::new(),
                line,
                role: signature.role,
                dated: signature.dated,
            });
            return;
        }
        self.item.fields.push(Field {
            id: String::new(),
            line,
            label: signature.role,
            unit: None,
            kind: FieldKind::Person,
        });
        if signature.dated {
            self.item.fields.push(Field {
                id: String::new(),
                line,
                label: "Date".into(),
                unit: None,
                kind: FieldKind::Date,
            });
        }
    }

    /// Lines kept verbatim as notes (tables, HTML, headings inside the item).
    pub fn add_note_lines(&mut self, lines: &[&str]) {
        self.item.notes.extend(
            lines
                .iter()
                .filter(|line| !line.trim().is_empty())
                .map(|line| line.to_string()),
        );
    }

    pub fn add_code(&mut self, code: CodeBlock) {
        self.item
            .expectations
            .extend(code.expectations.iter().cloned());
        self.item.code.push(code);
    }

    pub fn add_child(&mut self, child: Item, out_of_order: bool) {
        self.needs_child_sort |= out_of_order;
        self.item.children.push(child);
    }

    /// The first source line of the item.
    pub fn line(&self) -> u32 {
        self.item.line
    }

    /// The finished item.
    pub fn finish(mut self) -> Item {
        if self.needs_child_sort {
            self.item.children.sort_by_key(|child| child.line);
        }
        dedent(&mut self.item.notes);
        self.item
    }
}

pub(crate) fn field(line: u32, spec: FieldSpec) -> Field {
    Field {
        id: String::new(),
        line,
        label: spec.label,
        unit: spec.unit,
        kind: spec.kind,
    }
}

pub(crate) fn choice_at(line: u32, spec: ChoiceSpec) -> Choice {
    Choice {
        id: String::new(),
        line,
        label: spec.label,
        options: spec.options,
    }
}

/// Removes the indentation all notes share, keeping nested bullets' relative indentation.
fn dedent(notes: &mut [String]) {
    let indent = notes
        .iter()
        .filter(|note| !note.trim().is_empty())
        .map(|note| note.len() - note.trim_start().len())
        .min()
        .unwrap_or(0);
    for note in notes.iter_mut() {
        let cut = indent.min(note.len() - note.trim_start().len());
        *note = note.get(cut..).unwrap_or(note).trim_end().to_string();
    }
}
