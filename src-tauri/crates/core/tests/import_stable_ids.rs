//! Ids survive re-import of an edited template for every element that did not change.

mod common;

use std::collections::{BTreeMap, HashSet};

use common::*;
use greenlight_core::Template;

const ORIGINAL: &str = "\
# Release

**Release:** ______

## Prepare

- [ ] Freeze the branch
- [ ] Tag the release
  - [ ] Push the tag
  - Build time: ____ minutes
- [ ] Announce the window

**Decision Authority:** Release Manager

**Decision: [ ] GO [ ] NO-GO**

## Sign-off

- [ ] QA Lead: ______ Date: ______
";

/// Element label -> id, for comparing two imports.
fn ids_by_label(template: &Template) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for section in sections(template) {
        out.insert(format!("section {}", section.title), section.id.clone());
    }
    for item in items(template) {
        out.insert(format!("item {}", item.title), item.id.clone());
    }
    for field in fields(template) {
        out.insert(format!("field {}", field.label), field.id.clone());
    }
    for slot in signatures(template) {
        out.insert(format!("signature {}", slot.role), slot.id.clone());
    }
    for gate in gates(template) {
        out.insert(format!("gate {}", gate.title), gate.id.clone());
    }
    out
}

fn assert_unchanged_except(before: &str, after: &str, changed: &[&str]) {
    let before = ids_by_label(&import(before));
    let after = ids_by_label(&import(after));
    for (label, id) in &before {
        if changed.contains(&label.as_str()) {
            continue;
        }
        if let Some(new_id) = after.get(label) {
            assert_eq!(new_id, id, "{label} changed id");
        }
    }
}

#[test]
fn editing_one_item_changes_no_other_id() {
    let edited = ORIGINAL.replace("Tag the release", "Tag and sign the release");
    assert_unchanged_except(ORIGINAL, &edited, &["item Tag the release"]);
    let before = ids_by_label(&import(ORIGINAL));
    let after = ids_by_label(&import(&edited));
    assert!(
        !after
            .values()
            .any(|id| Some(id) == before.get("item Tag the release"))
    );
}

#[test]
fn adding_an_item_changes_no_existing_id() {
    let added = ORIGINAL.replace(
        "- [ ] Announce the window",
        "- [ ] Check the changelog\n- [ ] Announce the window",
    );
    assert_unchanged_except(ORIGINAL, &added, &[]);
    assert_eq!(
        ids_by_label(&import(&added)).len(),
        ids_by_label(&import(ORIGINAL)).len() + 1
    );
}

#[test]
fn removing_an_item_changes_no_remaining_id() {
    let removed = ORIGINAL.replace("- [ ] Freeze the branch\n", "");
    assert_unchanged_except(ORIGINAL, &removed, &[]);
}

#[test]
fn editing_prose_and_moving_lines_keeps_ids() {
    let with_prose = ORIGINAL.replace("## Prepare\n", "## Prepare\n\nSome new guidance.\n");
    assert_eq!(
        ids_by_label(&import(&with_prose)),
        ids_by_label(&import(ORIGINAL))
    );
}

#[test]
fn editing_a_parent_item_keeps_its_children_and_fields() {
    let edited = ORIGINAL.replace("Tag the release", "Tag the release candidate");
    let before = ids_by_label(&import(ORIGINAL));
    let after = ids_by_label(&import(&edited));
    assert_eq!(
        after.get("item Push the tag"),
        before.get("item Push the tag")
    );
    assert_eq!(
        after.get("field Build time"),
        before.get("field Build time")
    );
}

#[test]
fn identical_siblings_get_distinct_ids() {
    let template = import("# T\n## S\n- [ ] Same\n- [ ] Same\n- [ ] Same\n");
    let ids: HashSet<String> = items(&template)
        .iter()
        .map(|item| item.id.clone())
        .collect();
    assert_eq!(ids.len(), 3);
}

#[test]
fn the_same_item_text_in_two_sections_gets_two_ids() {
    let template = import("# T\n## A\n- [ ] Check health\n## B\n- [ ] Check health\n");
    let ids: HashSet<String> = items(&template)
        .iter()
        .map(|item| item.id.clone())
        .collect();
    assert_eq!(ids.len(), 2);
}
