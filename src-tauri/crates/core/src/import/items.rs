//! Building one checkbox item from its own text and nested content (notes, code, fields,
//! choices, signature, `Expected:` lines, child items).

use super::blanks::FieldSpec;
use super::choices::ChoiceSpec;
use super::display::literal;
use super::line_kind::{LineContext, LineKind, classify_line};
use super::signatures::{SignatureSpec, mentions_sign_off};
use super::text_block::TextBlock;
use crate::model::{
    Choice, CodeBlock, DisplayLine, Field, FieldKind, Item, LineStyle, SignatureSlot, Span,
};

/// An item being built while the walker is inside it.
#[derive(Debug)]
pub(crate) struct ItemBuilder {
    item: Item,
    /// Sign-off context inherited from the section or a parent item (`All approvals obtained:`).
    inherited_sign_off: bool,
    mentions_sign_off: bool,
    /// Children were attached out of order because deep nesting was flattened.
    needs_child_sort: bool,
    /// Source indentation of each display note line (its depth is relative to the shallowest).
    note_indents: Vec<usize>,
}

impl ItemBuilder {
    pub fn new(line: u32, checked: bool, inherited_sign_off: bool) -> Self {
        let item = Item {
            id: String::new(),
            line,
            title: String::new(),
            display_title: String::new(),
            detail: String::new(),
            checked_in_source: checked,
            notes: Vec::new(),
            note_lines: Vec::new(),
            code: Vec::new(),
            expectations: Vec::new(),
            display_expectations: Vec::new(),
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
            note_indents: Vec::new(),
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
            let (kind, shown) = classify_line(line.source, &line.plain, context);
            if index == 0 {
                self.set_title(block, &kind, shown.first());
            } else if kind == LineKind::Text || matches!(kind, LineKind::Expectation(_)) {
                detail.push(line.plain.clone());
                continue;
            }
            if let LineKind::Filler(blanks) = kind {
                fillers.push((line.line, blanks));
            } else {
                self.add_structured(line.line, kind, shown, None);
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

    /// The title from the first line; `shown` is the display text of its label, if it has one.
    fn set_title(&mut self, block: &TextBlock<'_>, kind: &LineKind, shown: Option<&String>) {
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
            (Some(label), _) if !label.is_empty() => {
                self.item.display_title = shown.cloned().unwrap_or_else(|| label.clone());
                self.item.title = label;
                return;
            }
            (Some(_), _) => self.item.title = first_plain,
            (None, Some((bold, after))) if !bold.is_empty() => {
                self.item.title = bold.trim_end_matches([':', ' ']).to_string();
                self.item.detail = after
                    .trim_start_matches(|c: char| c.is_whitespace() || ":-–—".contains(c))
                    .to_string();
            }
            (None, _) => self.item.title = first_plain,
        }
        // Every other title is already the parser's display text.
        self.item.display_title.clone_from(&self.item.title);
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
            let full_line = full_lines.get(index).copied();
            match classify_line(line.source, &line.plain, context) {
                (LineKind::Filler(blanks), _) => fillers.push((line.line, blanks)),
                (LineKind::Text, _) => {
                    let full = full_line.unwrap_or(line.source);
                    self.add_note(full, index == 0, line.spans.clone());
                }
                (kind, shown) => self.add_structured(line.line, kind, shown, full_line),
            }
        }
        fillers
    }

    /// One note: its source line and its display line (a bullet when the source line is a list
    /// item's first line).
    fn add_note(&mut self, full: &str, first_of_block: bool, spans: Vec<Span>) {
        let bullet = first_of_block && is_list_line(full);
        self.item.notes.push(full.to_string());
        self.note_indents.push(indent_of(full));
        self.item.note_lines.push(DisplayLine {
            style: if bullet {
                LineStyle::Bullet
            } else {
                LineStyle::Paragraph
            },
            depth: 0,
            spans,
            cells: Vec::new(),
        });
    }

    fn add_structured(
        &mut self,
        line: u32,
        kind: LineKind,
        shown: Vec<String>,
        full_line: Option<&str>,
    ) {
        let mut shown = shown.into_iter();
        match kind {
            LineKind::Fields(fields) => {
                for spec in fields {
                    let display = shown.next();
                    self.item.fields.push(field(line, spec, display));
                }
            }
            LineKind::Signature(signature) => self.add_signature(line, signature, shown.next()),
            LineKind::Choice(choice) => {
                self.item
                    .choices
                    .push(choice_at(line, choice, shown.next()));
            }
            LineKind::Expectation(expected) => {
                self.item
                    .display_expectations
                    .push(shown.next().unwrap_or_else(|| expected.clone()));
                self.item.expectations.push(expected);
            }
            LineKind::Text => {
                if let Some(text) = full_line {
                    let spans = literal(text.trim());
                    self.add_note(text, true, spans);
                }
            }
            LineKind::Filler(_) => {}
        }
    }

    /// The first signature line signs the item; any further one becomes name and date fields.
    /// `shown` is the role's display text.
    fn add_signature(&mut self, line: u32, signature: SignatureSpec, shown: Option<String>) {
        let display = shown.unwrap_or_else(|| signature.role.clone());
        if self.item.signature.is_none() {
            self.item.signature = Some(SignatureSlot {
                id: String::new(),
                line,
                role: signature.role,
                display_role: display,
                dated: signature.dated,
            });
            return;
        }
        self.item.fields.push(Field {
            id: String::new(),
            line,
            label: signature.role,
            display_label: display,
            unit: None,
            kind: FieldKind::Person,
        });
        if signature.dated {
            self.item.fields.push(Field {
                id: String::new(),
                line,
                label: "Date".into(),
                display_label: "Date".into(),
                unit: None,
                kind: FieldKind::Date,
            });
        }
    }

    /// Lines kept verbatim as notes (tables, HTML, headings inside the item), with their display
    /// lines (a table's rows from the parser, anything else literal).
    pub fn add_note_lines(&mut self, lines: &[&str], display: Vec<DisplayLine>) {
        self.item.notes.extend(
            lines
                .iter()
                .filter(|line| !line.trim().is_empty())
                .map(|line| line.to_string()),
        );
        let indent = lines
            .iter()
            .find(|line| !line.trim().is_empty())
            .map_or(0, |line| indent_of(line));
        self.note_indents
            .extend(std::iter::repeat_n(indent, display.len()));
        self.item.note_lines.extend(display);
    }

    pub fn add_code(&mut self, code: CodeBlock) {
        self.item
            .expectations
            .extend(code.expectations.iter().cloned());
        // Code comments are not Markdown: their display text is the text itself.
        self.item
            .display_expectations
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
        let base = self.note_indents.iter().copied().min().unwrap_or(0);
        for (note, indent) in self.item.note_lines.iter_mut().zip(&self.note_indents) {
            note.depth = u8::try_from((indent - base) / 2).unwrap_or(u8::MAX);
        }
        self.item
    }
}

/// A field; `shown` is its label's display text (the source label when absent).
pub(crate) fn field(line: u32, spec: FieldSpec, shown: Option<String>) -> Field {
    Field {
        id: String::new(),
        line,
        display_label: shown.unwrap_or_else(|| spec.label.clone()),
        label: spec.label,
        unit: spec.unit,
        kind: spec.kind,
    }
}

/// A choice; `shown` is its label's display text (the source label when absent).
pub(crate) fn choice_at(line: u32, spec: ChoiceSpec, shown: Option<String>) -> Choice {
    Choice {
        id: String::new(),
        line,
        display_label: shown.unwrap_or_else(|| spec.label.clone()),
        label: spec.label,
        options: spec.options,
    }
}

/// Columns of leading whitespace (a tab counts four, as the UI used to count it).
fn indent_of(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// A list item's line (`- x`, `* x`, `+ x`, `1. x`, `1) x`).
fn is_list_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let rest = if digits > 0 {
        trimmed
            .get(digits..)
            .and_then(|r| r.strip_prefix('.').or_else(|| r.strip_prefix(')')))
    } else {
        trimmed
            .strip_prefix('-')
            .or_else(|| trimmed.strip_prefix('*'))
            .or_else(|| trimmed.strip_prefix('+'))
    };
    rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
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
