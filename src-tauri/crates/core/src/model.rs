//! The checklist template model: what the importer produces and every other layer reads.
//!
//! A template is a tree of sections; a section holds blocks in source order (prose, items,
//! write-in fields, choices, signature slots, decision gates, loose code). Every element that a
//! run can record state against carries a stable `id` (see `ids.rs`) and its 1-based source line.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A parsed checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    /// Text of the first H1, or a name derived from the file when there is none.
    pub title: String,
    /// Prose between the title and the first section, as Markdown source text.
    pub description: String,
    /// The description as display lines (see [`DisplayLine`]): what the window and the paper show.
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<DisplayLine>>")]
    pub description_lines: Vec<DisplayLine>,
    /// SHA-256 (lowercase hex) of the normalised source text (BOM stripped, CRLF -> LF).
    pub content_hash: String,
    /// Run metadata write-ins (`**Deployment Date:** ____`) found outside any item; filled per run.
    pub metadata_fields: Vec<Field>,
    /// Top-level sections in source order.
    pub sections: Vec<Section>,
    /// What the importer did with every source line that did not become a structured element.
    pub report: ImportReport,
}

/// A heading and everything under it up to the next heading of the same or higher level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Section {
    pub id: String,
    /// Heading text as displayed, from the parser's events: emphasis, strikethrough and code
    /// markers removed, links as their text, inline HTML as literal text, entities decoded, emoji
    /// kept. Also the text the section's id is derived from.
    pub title: String,
    /// Heading level, 1..=6.
    pub level: u8,
    pub line: u32,
    /// Content of this section before its first sub-section, in source order.
    pub blocks: Vec<Block>,
    /// Sub-sections (deeper headings) in source order.
    pub children: Vec<Section>,
}

/// One element of a section's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Block {
    /// Paragraphs, tables, block quotes, plain bullet lists: kept as their Markdown source, and
    /// as display lines (what the window and the paper show).
    Prose {
        line: u32,
        markdown: String,
        #[serde(default)]
        #[ts(optional, as = "Option<Vec<DisplayLine>>")]
        lines: Vec<DisplayLine>,
    },
    /// A fenced or indented code block that is not under any item.
    Code(CodeBlock),
    Item(Item),
    Field(Field),
    Choice(Choice),
    Signature(SignatureSlot),
    Gate(Gate),
}

/// A checkbox list item (`- [ ]`, `* [x]`, `1. [ ]`, any depth).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Item {
    pub id: String,
    pub line: u32,
    /// Bold lead text when the item starts with one, otherwise the item's whole first line (plain
    /// text). When the first line is a write-in, signature or choice, its label as the line
    /// recognisers clean it. The item's id is derived from it: never change how it is computed.
    pub title: String,
    /// The title as displayed (from the parser's events, see [`Section::title`]); what both the
    /// window and the paper print. Equal to `title` except when `title` is a recogniser's label.
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub display_title: String,
    /// The rest of the item's own text after a bold title, as displayed (from the parser's
    /// events), empty when none.
    pub detail: String,
    /// `[x]` in the source: informational only, a run always starts unchecked.
    pub checked_in_source: bool,
    /// Nested plain bullets and paragraphs under the item, as Markdown source lines.
    pub notes: Vec<String>,
    /// The notes as display lines, one per note (see [`DisplayLine`]).
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<DisplayLine>>")]
    pub note_lines: Vec<DisplayLine>,
    /// Fenced code under the item (commands), in source order.
    pub code: Vec<CodeBlock>,
    /// `# Expected: ...` lines from the item's code blocks and `Expected:` bullets.
    pub expectations: Vec<String>,
    /// The expectations as displayed, one per expectation (code comments verbatim, bullets
    /// from the parser's events).
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub display_expectations: Vec<String>,
    /// Write-in blanks on the item's own line or its nested bullets.
    pub fields: Vec<Field>,
    /// Inline choice sets on the item's line or nested bullets (`[ ] GO [ ] NO-GO`, `PASS / FAIL`).
    pub choices: Vec<Choice>,
    /// Set when the item is a signatory line (`- [ ] QA Lead: ____ Date: ____`).
    pub signature: Option<SignatureSlot>,
    /// Nested checkbox items.
    pub children: Vec<Item>,
}

/// A fenced or indented code block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CodeBlock {
    pub line: u32,
    /// Info string of the fence (`bash`, `sql`, `probe`), empty when none.
    pub lang: String,
    pub code: String,
    /// `# Expected: ...` (and `-- Expected:` for SQL) lines inside the block, text after the colon.
    pub expectations: Vec<String>,
}

/// What kind of value a write-in blank expects; guessed from its label and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Time,
    DateTime,
    Person,
}

/// A write-in blank (`Response time P95: ____ ms`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Field {
    pub id: String,
    pub line: u32,
    /// Text before the blank on its line, trailing colon removed (`Response time P95`); the
    /// field's id is derived from it.
    pub label: String,
    /// The label as displayed (from the parser's events).
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub display_label: String,
    /// Text right after the blank (`ms`, `%`, `minutes`), when it is a unit.
    pub unit: Option<String>,
    /// Serialised as `value_kind`: `kind` is the tag of `Block`, which embeds fields.
    #[serde(rename = "value_kind")]
    pub kind: FieldKind,
}

/// An inline choice set (`[ ] GO [ ] NO-GO`, `✓ VERIFIED / ✗ ISSUES FOUND`, `PASS / FAIL`, `Yes / No`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Choice {
    pub id: String,
    pub line: u32,
    /// The id is derived from it (with the options).
    pub label: String,
    /// The label as displayed (from the parser's events).
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub display_label: String,
    pub options: Vec<String>,
}

/// A place for a person to sign (`QA Lead: ____ Date: ____`, `Role: ____ (Signature)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignatureSlot {
    pub id: String,
    pub line: u32,
    /// The id is derived from it.
    pub role: String,
    /// The role as displayed (from the parser's events).
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub display_role: String,
    /// The line also asks for a date.
    pub dated: bool,
}

/// A decision gate (`**Decision: [ ] GO [ ] NO-GO**` with its `**Decision Authority:**`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Gate {
    pub id: String,
    pub line: u32,
    /// The enclosing section's title, or the label before the boxes; the id is derived from it.
    pub title: String,
    /// The title as displayed (from the parser's events).
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub display_title: String,
    pub authority: Option<String>,
    /// The authority as displayed (from the parser's events).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub display_authority: Option<String>,
    /// Options in source order; the first is the "go" option.
    pub options: Vec<String>,
    /// Ids of the checkbox items of the gate's section that the decision covers.
    pub covers: Vec<String>,
}

/// Why a source line is listed in the import report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineDisposition {
    /// Kept verbatim as section prose (paragraph, table, quote, plain list).
    KeptAsProse,
    /// Kept as a loose code block (not under an item).
    KeptAsCode,
    /// Dropped on purpose: thematic break, HTML comment, blank filler line of underscores.
    Ignored,
}

/// One source line that did not become a structured element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportLine {
    pub line: u32,
    pub text: String,
    pub disposition: LineDisposition,
}

/// Counts and line-by-line account of an import, shown in the import preview.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub sections: u32,
    pub items: u32,
    pub fields: u32,
    pub choices: u32,
    pub signatures: u32,
    pub gates: u32,
    pub code_blocks: u32,
    /// Every non-blank source line that is not a heading, item, field, choice, signature or gate line.
    pub unstructured: Vec<ReportLine>,
    /// Things the user should look at (duplicate item text, a gate with no authority, ...).
    pub warnings: Vec<String>,
    /// The source lines each checkbox item takes, nested content included, in source order.
    #[serde(default)]
    pub item_spans: Vec<ItemSpan>,
}

/// The source lines a checkbox item takes: its own line through its last nested line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemSpan {
    pub item_id: String,
    pub first_line: u32,
    /// Last non-blank line of the item, nested notes, code and child items included.
    pub last_line: u32,
}

/// A run of display text with its inline style. Display text is what a person reads, computed
/// once by the importer from the parser's events: emphasis, strong, strikethrough and code
/// markers removed, links as their text, HTML as literal text (never markup), entities decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Span {
    pub text: String,
    #[serde(default)]
    pub strong: bool,
    #[serde(default)]
    pub emphasis: bool,
    #[serde(default)]
    pub strike: bool,
    /// An inline code span (shown monospaced).
    #[serde(default)]
    pub code: bool,
}

/// What a display line is in its block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineStyle {
    Paragraph,
    /// The first line of a list item.
    Bullet,
    Quote,
    Heading,
    /// A table row (`cells`); `TableHeader` for the header row.
    TableRow,
    TableHeader,
    /// Source text kept literally (HTML blocks and anything the parser does not read as text).
    Verbatim,
}

/// One line of display text (prose, a note under an item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisplayLine {
    pub style: LineStyle,
    /// List nesting (0 = outermost).
    pub depth: u8,
    /// The line's styled runs; empty for table rows.
    pub spans: Vec<Span>,
    /// A table row's cells, each as styled runs; empty for other lines.
    #[serde(default)]
    pub cells: Vec<Vec<Span>>,
}

impl DisplayLine {
    /// The line as plain display text (table cells joined with ` | `).
    pub fn text(&self) -> String {
        if self.cells.is_empty() {
            spans_text(&self.spans)
        } else {
            self.cells
                .iter()
                .map(|cell| spans_text(cell))
                .collect::<Vec<_>>()
                .join(" | ")
        }
    }
}

/// The plain text of styled runs.
pub fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|span| span.text.as_str()).collect()
}

/// `display` when the importer filled it in, else `fallback` (templates stored before display
/// text existed).
pub fn shown<'a>(display: &'a str, fallback: &'a str) -> &'a str {
    if display.is_empty() {
        fallback
    } else {
        display
    }
}
