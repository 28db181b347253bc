//! Runs of a template: the states an item can be in, the rules for changing them, and progress.
//!
//! Everything here is pure: the store persists what these rules allow, with `now` passed in.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Block, Item, Section, Template};

/// The outcome recorded for one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemState {
    Pending,
    Pass,
    Fail,
    NotApplicable,
    Skipped,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Pending => "pending",
            ItemState::Pass => "pass",
            ItemState::Fail => "fail",
            ItemState::NotApplicable => "not_applicable",
            ItemState::Skipped => "skipped",
        }
    }

    pub fn parse(text: &str) -> Option<ItemState> {
        [
            ItemState::Pending,
            ItemState::Pass,
            ItemState::Fail,
            ItemState::NotApplicable,
            ItemState::Skipped,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }

    /// Anything but pending counts as done for progress.
    pub fn is_done(self) -> bool {
        self != ItemState::Pending
    }
}

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RunStatus {
    Active,
    Completed,
    Abandoned,
    Archived,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Active => "active",
            RunStatus::Completed => "completed",
            RunStatus::Abandoned => "abandoned",
            RunStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<RunStatus> {
        [
            RunStatus::Active,
            RunStatus::Completed,
            RunStatus::Abandoned,
            RunStatus::Archived,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// Only an active run accepts changes to item states, values and notes.
    pub fn is_editable(self) -> bool {
        self == RunStatus::Active
    }
}

/// Why a requested change to a run is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    #[error("this run is {0} and read-only; add a correction note instead")]
    RunNotEditable(&'static str),
    #[error("a failed item needs a note saying what failed")]
    FailNeedsNote,
    #[error("no element with id {0} in this run's template")]
    UnknownElement(String),
    #[error("only an active run can be {0}")]
    NotActive(&'static str),
    #[error("a note cannot be empty")]
    EmptyNote,
    #[error("{option:?} is not an option of this gate ({options})")]
    NotAGateOption { option: String, options: String },
    #[error(
        "choosing {option} here overrides {failed} failed and {pending} pending items; write a justification for the override"
    )]
    GateNeedsOverride {
        option: String,
        failed: u32,
        pending: u32,
    },
}

/// Checks a state change against the rules. `note` is the note sent with the change, if any;
/// `has_note` says whether the item already has a note in this run.
pub fn check_state_change(
    status: RunStatus,
    new_state: ItemState,
    note: Option<&str>,
    has_note: bool,
) -> Result<(), RuleViolation> {
    if !status.is_editable() {
        return Err(RuleViolation::RunNotEditable(status.as_str()));
    }
    let note_given = note.is_some_and(|text| !text.trim().is_empty());
    if new_state == ItemState::Fail && !note_given && !has_note {
        return Err(RuleViolation::FailNeedsNote);
    }
    Ok(())
}

/// Checks that a run can be completed or abandoned (it must be active).
pub fn check_finish(status: RunStatus, verb: &'static str) -> Result<(), RuleViolation> {
    if status == RunStatus::Active {
        Ok(())
    } else {
        Err(RuleViolation::NotActive(verb))
    }
}

/// Progress counts for a set of items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Progress {
    pub total: u32,
    pub done: u32,
    pub passed: u32,
    pub failed: u32,
    pub not_applicable: u32,
    pub skipped: u32,
}

impl Progress {
    fn add(&mut self, state: ItemState) {
        self.total += 1;
        match state {
            ItemState::Pending => {}
            ItemState::Pass => self.passed += 1,
            ItemState::Fail => self.failed += 1,
            ItemState::NotApplicable => self.not_applicable += 1,
            ItemState::Skipped => self.skipped += 1,
        }
        if state.is_done() {
            self.done += 1;
        }
    }

    fn merge(&mut self, other: Progress) {
        self.total += other.total;
        self.done += other.done;
        self.passed += other.passed;
        self.failed += other.failed;
        self.not_applicable += other.not_applicable;
        self.skipped += other.skipped;
    }
}

/// Progress of one section (including its sub-sections).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SectionProgress {
    pub section_id: String,
    pub progress: Progress,
}

fn item_progress(item: &Item, states: &HashMap<String, ItemState>, into: &mut Progress) {
    into.add(states.get(&item.id).copied().unwrap_or(ItemState::Pending));
    for child in &item.children {
        item_progress(child, states, into);
    }
}

fn section_progress(
    section: &Section,
    states: &HashMap<String, ItemState>,
    out: &mut Vec<SectionProgress>,
) -> Progress {
    let mut progress = Progress::default();
    for block in &section.blocks {
        if let Block::Item(item) = block {
            item_progress(item, states, &mut progress);
        }
    }
    for child in &section.children {
        progress.merge(section_progress(child, states, out));
    }
    out.push(SectionProgress {
        section_id: section.id.clone(),
        progress,
    });
    progress
}

/// Overall progress and per-section progress (every section, sub-sections included).
pub fn progress(
    template: &Template,
    states: &HashMap<String, ItemState>,
) -> (Progress, Vec<SectionProgress>) {
    let mut overall = Progress::default();
    let mut per_section = Vec::new();
    for section in &template.sections {
        overall.merge(section_progress(section, states, &mut per_section));
    }
    (overall, per_section)
}

/// The planned deployment window and where `now` is against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WindowPhase {
    NoWindow,
    BeforeWindow,
    InWindow,
    Overrun,
}

/// Where `now` falls relative to a planned window.
pub fn window_phase(
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> WindowPhase {
    match (start, end) {
        (None, None) => WindowPhase::NoWindow,
        (Some(start), _) if now < start => WindowPhase::BeforeWindow,
        (_, Some(end)) if now > end => WindowPhase::Overrun,
        _ => WindowPhase::InWindow,
    }
}

/// Every item of a template in walkthrough order (depth first), for next/previous navigation.
pub fn items_in_order(template: &Template) -> Vec<&Item> {
    fn walk_items<'a>(item: &'a Item, out: &mut Vec<&'a Item>) {
        out.push(item);
        for child in &item.children {
            walk_items(child, out);
        }
    }
    fn walk_section<'a>(section: &'a Section, out: &mut Vec<&'a Item>) {
        for block in &section.blocks {
            if let Block::Item(item) = block {
                walk_items(item, out);
            }
        }
        for child in &section.children {
            walk_section(child, out);
        }
    }
    let mut out = Vec::new();
    for section in &template.sections {
        walk_section(section, &mut out);
    }
    out
}

/// Checks a gate decision. Choosing the gate's first ("go") option while any covered item is
/// failed or pending is an override and needs a written justification. Returns whether the
/// decision is an override.
pub fn check_gate_decision(
    gate: &crate::model::Gate,
    option: &str,
    states: &HashMap<String, ItemState>,
    justification: Option<&str>,
) -> Result<bool, RuleViolation> {
    if !gate.options.iter().any(|o| o == option) {
        return Err(RuleViolation::NotAGateOption {
            option: option.to_string(),
            options: gate.options.join(", "),
        });
    }
    if gate.options.first().map(String::as_str) != Some(option) {
        return Ok(false);
    }
    let (mut failed, mut pending) = (0, 0);
    for id in &gate.covers {
        match states.get(id).copied().unwrap_or(ItemState::Pending) {
            ItemState::Fail => failed += 1,
            ItemState::Pending => pending += 1,
            _ => {}
        }
    }
    if failed + pending == 0 {
        return Ok(false);
    }
    if justification.is_some_and(|text| !text.trim().is_empty()) {
        Ok(true)
    } else {
        Err(RuleViolation::GateNeedsOverride {
            option: option.to_string(),
            failed,
            pending,
        })
    }
}

/// What a run can record against an element id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ElementRef<'a> {
    Item(&'a Item),
    Field(&'a crate::model::Field),
    Choice(&'a crate::model::Choice),
    Signature(&'a crate::model::SignatureSlot),
    Gate(&'a crate::model::Gate),
}

/// Finds the element with `id` anywhere in the template (metadata fields included).
pub fn find_element<'a>(template: &'a Template, id: &str) -> Option<ElementRef<'a>> {
    fn in_item<'a>(item: &'a Item, id: &str) -> Option<ElementRef<'a>> {
        if item.id == id {
            return Some(ElementRef::Item(item));
        }
        if let Some(field) = item.fields.iter().find(|f| f.id == id) {
            return Some(ElementRef::Field(field));
        }
        if let Some(choice) = item.choices.iter().find(|c| c.id == id) {
            return Some(ElementRef::Choice(choice));
        }
        if let Some(slot) = item.signature.as_ref().filter(|s| s.id == id) {
            return Some(ElementRef::Signature(slot));
        }
        item.children.iter().find_map(|child| in_item(child, id))
    }
    fn in_section<'a>(section: &'a Section, id: &str) -> Option<ElementRef<'a>> {
        let found = section.blocks.iter().find_map(|block| match block {
            Block::Item(item) => in_item(item, id),
            Block::Field(field) if field.id == id => Some(ElementRef::Field(field)),
            Block::Choice(choice) if choice.id == id => Some(ElementRef::Choice(choice)),
            Block::Signature(slot) if slot.id == id => Some(ElementRef::Signature(slot)),
            Block::Gate(gate) if gate.id == id => Some(ElementRef::Gate(gate)),
            _ => None,
        });
        found.or_else(|| {
            section
                .children
                .iter()
                .find_map(|child| in_section(child, id))
        })
    }
    template
        .metadata_fields
        .iter()
        .find(|f| f.id == id)
        .map(ElementRef::Field)
        .or_else(|| {
            template
                .sections
                .iter()
                .find_map(|section| in_section(section, id))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn failing_an_item_without_any_note_is_refused() {
        assert_eq!(
            check_state_change(RunStatus::Active, ItemState::Fail, None, false),
            Err(RuleViolation::FailNeedsNote)
        );
        assert_eq!(
            check_state_change(RunStatus::Active, ItemState::Fail, Some("   "), false),
            Err(RuleViolation::FailNeedsNote)
        );
    }

    #[test]
    fn failing_an_item_with_a_note_now_or_before_is_allowed() {
        assert!(
            check_state_change(RunStatus::Active, ItemState::Fail, Some("500s"), false).is_ok()
        );
        assert!(check_state_change(RunStatus::Active, ItemState::Fail, None, true).is_ok());
    }

    #[test]
    fn finished_runs_refuse_every_state_change() {
        for status in [
            RunStatus::Completed,
            RunStatus::Abandoned,
            RunStatus::Archived,
        ] {
            for state in [ItemState::Pass, ItemState::Pending, ItemState::Skipped] {
                assert_eq!(
                    check_state_change(status, state, Some("x"), true),
                    Err(RuleViolation::RunNotEditable(status.as_str()))
                );
            }
        }
    }

    #[test]
    fn only_active_runs_can_be_completed() {
        assert!(check_finish(RunStatus::Active, "completed").is_ok());
        assert!(check_finish(RunStatus::Completed, "completed").is_err());
        assert!(check_finish(RunStatus::Abandoned, "abandoned").is_err());
    }

    #[test]
    fn state_names_round_trip() {
        for state in [
            ItemState::Pending,
            ItemState::Pass,
            ItemState::Fail,
            ItemState::NotApplicable,
            ItemState::Skipped,
        ] {
            assert_eq!(ItemState::parse(state.as_str()), Some(state));
        }
        assert_eq!(ItemState::parse("PASS"), None);
    }

    #[test]
    fn window_phase_follows_the_clock() {
        let at = |h| Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap();
        let (start, end) = (Some(at(10)), Some(at(12)));
        let table = [
            (9, WindowPhase::BeforeWindow),
            (10, WindowPhase::InWindow),
            (11, WindowPhase::InWindow),
            (12, WindowPhase::InWindow),
            (13, WindowPhase::Overrun),
        ];
        for (hour, expected) in table {
            assert_eq!(window_phase(start, end, at(hour)), expected, "at {hour}:00");
        }
        assert_eq!(window_phase(None, None, at(9)), WindowPhase::NoWindow);
        assert_eq!(window_phase(None, end, at(13)), WindowPhase::Overrun);
    }

    fn item(id: &str, children: Vec<Item>) -> Item {
        Item {
            id: id.into(),
            line: 1,
            title: id.into(),
            display_title: id.into(),
            detail: String::new(),
            checked_in_source: false,
            notes: vec![],
            note_lines: vec![],
            code: vec![],
            expectations: vec![],
            display_expectations: vec![],
            fields: vec![],
            choices: vec![],
            signature: None,
            children,
        }
    }

    fn section(id: &str, items: Vec<Item>, children: Vec<Section>) -> Section {
        Section {
            id: id.into(),
            title: id.into(),
            level: 2,
            line: 1,
            blocks: items.into_iter().map(Block::Item).collect(),
            children,
        }
    }

    #[test]
    fn progress_counts_nested_items_and_sub_sections() {
        let template = Template {
            title: "t".into(),
            description: String::new(),
            description_lines: vec![],
            content_hash: String::new(),
            metadata_fields: vec![],
            sections: vec![section(
                "s1",
                vec![item("a", vec![item("a1", vec![])])],
                vec![section(
                    "s2",
                    vec![item("b", vec![]), item("c", vec![])],
                    vec![],
                )],
            )],
            report: ImportReport::default(),
        };
        let states = HashMap::from([
            ("a1".to_string(), ItemState::Pass),
            ("b".to_string(), ItemState::Fail),
            ("c".to_string(), ItemState::NotApplicable),
        ]);
        let (overall, per_section) = progress(&template, &states);
        assert_eq!(overall.total, 4);
        assert_eq!(overall.done, 3);
        assert_eq!(
            (overall.passed, overall.failed, overall.not_applicable),
            (1, 1, 1)
        );
        let s2 = per_section.iter().find(|p| p.section_id == "s2").unwrap();
        assert_eq!((s2.progress.total, s2.progress.done), (2, 2));
        let order: Vec<&str> = items_in_order(&template)
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(order, ["a", "a1", "b", "c"]);
        assert!(matches!(find_element(&template, "a1"), Some(ElementRef::Item(i)) if i.id == "a1"));
        assert!(find_element(&template, "zz").is_none());
    }

    use crate::model::{Gate, ImportReport};

    fn gate() -> Gate {
        Gate {
            id: "g".into(),
            line: 1,
            title: "Gate 1".into(),
            display_title: "Gate 1".into(),
            authority: Some("Release Manager".into()),
            display_authority: Some("Release Manager".into()),
            options: vec!["GO".into(), "NO-GO".into()],
            covers: vec!["a".into(), "b".into()],
        }
    }

    #[test]
    fn go_over_failed_or_pending_items_needs_a_justification() {
        let states = HashMap::from([("a".to_string(), ItemState::Fail)]);
        assert_eq!(
            check_gate_decision(&gate(), "GO", &states, None),
            Err(RuleViolation::GateNeedsOverride {
                option: "GO".into(),
                failed: 1,
                pending: 1
            })
        );
        assert_eq!(
            check_gate_decision(&gate(), "GO", &states, Some("hotfix approved")),
            Ok(true)
        );
        assert_eq!(
            check_gate_decision(&gate(), "NO-GO", &states, None),
            Ok(false)
        );
    }

    #[test]
    fn go_with_every_covered_item_done_is_not_an_override() {
        let states = HashMap::from([
            ("a".to_string(), ItemState::Pass),
            ("b".to_string(), ItemState::NotApplicable),
        ]);
        assert_eq!(check_gate_decision(&gate(), "GO", &states, None), Ok(false));
        assert!(matches!(
            check_gate_decision(&gate(), "MAYBE", &states, None),
            Err(RuleViolation::NotAGateOption { .. })
        ));
    }
}
