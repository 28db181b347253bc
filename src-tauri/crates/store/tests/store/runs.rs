//! Run rules as the store enforces them: states, notes, values, finishing, read-only runs.

use greenlight_core::run::{ElementRef, ItemState, RunStatus, find_element};
use greenlight_store::{GateDecisionInput, NewRun, NoteKind};

use crate::{Fixture, at, item_ids, new_run};

#[tokio::test]
async fn marking_items_records_state_actor_time_and_progress() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let ids = item_ids(&template);
    let state = fixture
        .store
        .set_item_state(&run.id, &ids[0], ItemState::Pass, None, "ann", at(5))
        .await
        .unwrap();
    let state = {
        let _ = state;
        fixture
            .store
            .set_item_state(
                &run.id,
                &ids[1],
                ItemState::NotApplicable,
                None,
                "bob",
                at(6),
            )
            .await
            .unwrap()
    };
    assert_eq!(state.progress.total, 6);
    assert_eq!(state.progress.done, 2);
    assert_eq!(
        (state.progress.passed, state.progress.not_applicable),
        (1, 1)
    );
    let entry = state
        .entries
        .iter()
        .find(|e| e.element_id == ids[1])
        .unwrap();
    assert_eq!(entry.state, Some(ItemState::NotApplicable));
    assert_eq!(entry.actor, "bob");
    assert_eq!(entry.at, at(6));
    // run_started + two item_state events
    assert_eq!(state.event_count, 3);
}

#[tokio::test]
async fn failing_needs_a_note_which_is_saved_with_the_state() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let id = &item_ids(&template)[0];
    let error = fixture
        .store
        .set_item_state(&run.id, id, ItemState::Fail, None, "ann", at(5))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "fail_needs_note");
    let state = fixture
        .store
        .set_item_state(
            &run.id,
            id,
            ItemState::Fail,
            Some("backup job exited 2"),
            "ann",
            at(6),
        )
        .await
        .unwrap();
    assert_eq!(state.progress.failed, 1);
    assert_eq!(state.notes.len(), 1);
    assert_eq!(state.notes[0].body, "backup job exited 2");
    assert_eq!(state.notes[0].element_id.as_deref(), Some(id.as_str()));
}

#[tokio::test]
async fn unknown_items_runs_and_wrong_element_kinds_are_refused() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let store = &fixture.store;
    let error = store
        .set_item_state(&run.id, "nope", ItemState::Pass, None, "a", at(2))
        .await;
    assert_eq!(error.unwrap_err().code(), "rule_violation");
    let error = store
        .set_item_state(
            "no-run",
            &item_ids(&template)[0],
            ItemState::Pass,
            None,
            "a",
            at(2),
        )
        .await;
    assert_eq!(error.unwrap_err().code(), "not_found");
    // An item id is not a value-bearing element.
    let error = store
        .set_value(&run.id, &item_ids(&template)[0], "x", "a", at(2))
        .await;
    assert_eq!(error.unwrap_err().code(), "rule_violation");
}

#[tokio::test]
async fn write_in_fields_and_choices_keep_their_values() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let items = greenlight_core::run::items_in_order(&template);
    let field = items
        .iter()
        .find_map(|i| i.fields.first())
        .expect("a field");
    let choice = items
        .iter()
        .find_map(|i| i.choices.first())
        .expect("a choice");
    assert_eq!(field.unit.as_deref(), Some("ms"));
    let store = &fixture.store;
    store
        .set_value(&run.id, &field.id, "412", "ann", at(3))
        .await
        .unwrap();
    let error = store
        .set_value(&run.id, &choice.id, "MAYBE", "ann", at(4))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    let state = store
        .set_value(&run.id, &choice.id, &choice.options[0], "ann", at(4))
        .await
        .unwrap();
    let value = |id: &str| {
        state
            .entries
            .iter()
            .find(|e| e.element_id == id)
            .and_then(|e| e.value.clone())
    };
    assert_eq!(value(&field.id).as_deref(), Some("412"));
    assert_eq!(value(&choice.id), Some(choice.options[0].clone()));
    assert!(matches!(
        find_element(&template, &field.id),
        Some(ElementRef::Field(_))
    ));
}

#[tokio::test]
async fn a_completed_run_is_read_only_and_notes_become_corrections() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let id = &item_ids(&template)[0];
    let store = &fixture.store;
    store
        .set_item_state(&run.id, id, ItemState::Pass, None, "ann", at(5))
        .await
        .unwrap();
    let state = store.complete_run(&run.id, "ann", at(80)).await.unwrap();
    assert_eq!(state.status, RunStatus::Completed);
    assert_eq!(state.finished_at, Some(at(80)));

    let error = store
        .set_item_state(&run.id, id, ItemState::Fail, Some("x"), "ann", at(81))
        .await;
    assert_eq!(error.unwrap_err().code(), "run_read_only");
    let error = store.complete_run(&run.id, "ann", at(81)).await;
    assert!(error.is_err(), "a completed run cannot be completed again");

    let state = store
        .add_note(
            &run.id,
            Some(id),
            "checked the wrong cluster first",
            "ann",
            at(82),
        )
        .await
        .unwrap();
    assert_eq!(state.notes.last().unwrap().kind, NoteKind::Correction);
    let entry = state.entries.iter().find(|e| &e.element_id == id).unwrap();
    assert_eq!(
        entry.state,
        Some(ItemState::Pass),
        "the recorded state is not overwritten"
    );

    let archived = store.archive_run(&run.id, "ann", at(90)).await.unwrap();
    assert_eq!(archived.status, RunStatus::Archived);
}

#[tokio::test]
async fn an_abandoned_run_cannot_be_completed_and_an_active_one_cannot_be_archived() {
    let fixture = Fixture::new().await;
    let (run, _) = fixture.run().await;
    assert_eq!(
        fixture
            .store
            .archive_run(&run.id, "a", at(2))
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    fixture
        .store
        .abandon_run(&run.id, "a", at(3))
        .await
        .unwrap();
    assert!(
        fixture
            .store
            .complete_run(&run.id, "a", at(4))
            .await
            .is_err()
    );
    assert_eq!(
        fixture.store.run_summary(&run.id).await.unwrap().status,
        RunStatus::Abandoned
    );
}

#[tokio::test]
async fn starting_a_run_validates_the_form_and_pins_the_template_hash() {
    let fixture = Fixture::new().await;
    let template = fixture.template(crate::SMALL_TEMPLATE).await;
    let mut new_run = NewRun {
        release_name: " ".into(),
        ..crate::new_run(&template.id)
    };
    assert_eq!(
        fixture
            .store
            .start_run(&new_run, "a", at(0))
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    new_run.release_name = "api".into();
    new_run.window_start = Some(at(10));
    new_run.window_end = Some(at(5));
    assert_eq!(
        fixture
            .store
            .start_run(&new_run, "a", at(0))
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    new_run.window_end = None;
    let run = fixture.store.start_run(&new_run, "a", at(0)).await.unwrap();
    assert_eq!(run.template_hash, template.content_hash);
    assert_eq!(run.status, RunStatus::Active);
    assert_eq!(fixture.store.list_runs().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_run_list_shows_each_runs_own_progress_newest_first() {
    let fixture = Fixture::new().await;
    let (first, template) = fixture.run().await;
    let second = fixture
        .store
        .start_run(&new_run(&first.template_id), "bob", at(2))
        .await
        .unwrap();
    let untouched = fixture
        .store
        .start_run(&new_run(&first.template_id), "cy", at(3))
        .await
        .unwrap();
    let ids = item_ids(&template);
    for id in &ids[..2] {
        fixture
            .store
            .set_item_state(&first.id, id, ItemState::Pass, None, "ann", at(5))
            .await
            .unwrap();
    }
    fixture
        .store
        .set_item_state(&second.id, &ids[0], ItemState::Skipped, None, "bob", at(6))
        .await
        .unwrap();

    let listed = fixture.store.list_runs().await.unwrap();
    let order: Vec<&str> = listed.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        order,
        [untouched.id.as_str(), second.id.as_str(), first.id.as_str()]
    );
    let done: Vec<u32> = listed.iter().map(|r| r.progress.done).collect();
    assert_eq!(done, [0, 1, 2]);
    for run in &listed {
        let alone = fixture.store.run_summary(&run.id).await.unwrap();
        assert_eq!(
            alone.progress, run.progress,
            "list and single summary agree"
        );
    }
}

#[tokio::test]
async fn a_write_in_refuses_a_value_its_kind_cannot_hold_and_keeps_the_previous_one() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let field = greenlight_core::run::items_in_order(&template)
        .iter()
        .find_map(|i| i.fields.first().cloned())
        .expect("a field");
    let store = &fixture.store;
    store
        .set_value(&run.id, &field.id, "412", "ann", at(3))
        .await
        .unwrap();
    let events_before = store.run_state(&run.id).await.unwrap().event_count;
    let error = store
        .set_value(&run.id, &field.id, "1.8 GB", "ann", at(4))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    assert!(error.to_string().contains("is not a number"), "{error}");
    let state = store.run_state(&run.id).await.unwrap();
    assert_eq!(state.event_count, events_before, "nothing logged");
    let kept = state.entries.iter().find(|e| e.element_id == field.id);
    assert_eq!(kept.and_then(|e| e.value.as_deref()), Some("412"));
}

/// Two gates, each over two items.
const TWO_GATES: &str = "# Gated release\n\n\
## Gate 1: Go/No-Go\n\n\
- [ ] Backups verified\n\
- [ ] Smoke tests green\n\n\
**Decision: [ ] GO [ ] NO-GO**\n\n\
## Gate 2: Traffic\n\n\
- [ ] Canary healthy\n\
- [ ] Error rate flat\n\n\
**Decision: [ ] GO [ ] NO-GO**\n";

fn gate_ids(template: &greenlight_core::Template) -> Vec<String> {
    template
        .sections
        .iter()
        .flat_map(|section| &section.blocks)
        .filter_map(|block| match block {
            greenlight_core::Block::Gate(gate) => Some(gate.id.clone()),
            _ => None,
        })
        .collect()
}

fn decision(gate_id: &str, option: &str, justification: Option<&str>) -> GateDecisionInput {
    GateDecisionInput {
        gate_id: gate_id.to_string(),
        option: option.into(),
        reason: None,
        override_justification: justification.map(str::to_string),
    }
}

#[tokio::test]
async fn the_run_list_counts_failed_items_and_the_overrides_in_force_of_each_of_50_runs() {
    let fixture = Fixture::new().await;
    let template = fixture.template(TWO_GATES).await;
    let model = fixture
        .store
        .template_detail(&template.id)
        .await
        .unwrap()
        .template;
    let (items, gates) = (item_ids(&model), gate_ids(&model));
    let mut runs = Vec::new();
    for minute in 0..50 {
        let run = fixture
            .store
            .start_run(&new_run(&template.id), "ann", at(minute))
            .await
            .unwrap();
        runs.push(run.id);
    }
    let store = &fixture.store;
    // Run 0: two items failed and both gates overridden.
    for id in &items[..2] {
        store
            .set_item_state(&runs[0], id, ItemState::Fail, Some("red"), "ann", at(60))
            .await
            .unwrap();
    }
    for gate in &gates {
        store
            .decide_gate(
                &runs[0],
                &decision(gate, "GO", Some("CAB accepted")),
                "rm",
                at(61),
            )
            .await
            .unwrap();
    }
    // Run 1: gate 1 overridden, then decided NO-GO: the override is no longer in force.
    store
        .decide_gate(
            &runs[1],
            &decision(&gates[0], "GO", Some("CAB accepted")),
            "rm",
            at(62),
        )
        .await
        .unwrap();
    store
        .decide_gate(&runs[1], &decision(&gates[0], "NO-GO", None), "rm", at(63))
        .await
        .unwrap();
    // Run 2: a failed item marked again as passed, then a plain GO once gate 1's items passed.
    store
        .set_item_state(
            &runs[2],
            &items[0],
            ItemState::Fail,
            Some("red"),
            "ann",
            at(64),
        )
        .await
        .unwrap();
    for id in &items[..2] {
        store
            .set_item_state(&runs[2], id, ItemState::Pass, None, "ann", at(65))
            .await
            .unwrap();
    }
    store
        .decide_gate(&runs[2], &decision(&gates[0], "GO", None), "rm", at(66))
        .await
        .unwrap();

    let listed = store.list_runs().await.unwrap();
    assert_eq!(listed.len(), 50);
    let counts = |id: &str| {
        let run = listed.iter().find(|r| r.id == id).expect("listed");
        (run.progress.failed, run.overrides)
    };
    assert_eq!(counts(&runs[0]), (2, 2), "two failed, two overrides");
    assert_eq!(
        counts(&runs[1]),
        (0, 0),
        "a later NO-GO replaces the override"
    );
    assert_eq!(counts(&runs[2]), (0, 0), "passed again, and a plain GO");
    for run in &runs[3..] {
        assert_eq!(counts(run), (0, 0));
    }
    for run in &listed[..] {
        let alone = store.run_summary(&run.id).await.unwrap();
        assert_eq!(
            (alone.progress.failed, alone.overrides),
            (run.progress.failed, run.overrides),
            "list and single summary agree"
        );
    }
}
